#include "common/timer.h"

#include <event2/event.h>
#include <sys/time.h>

#include <cstdlib>

namespace vigil {

namespace {

timeval to_timeval(Duration d) {
  if (d < Duration::zero()) d = Duration::zero();
  const auto usec = d.count();
  return timeval{static_cast<time_t>(usec / 1'000'000),
                 static_cast<suseconds_t>(usec % 1'000'000)};
}

}  // namespace

Timer::Timer(EventLoop& loop, Callback callback)
    : callback_(std::make_shared<Callback>(std::move(callback))) {
  event_ = event_new(loop.base(), -1, 0, &Timer::on_event, this);
  if (event_ == nullptr) std::abort();  // out of memory
}

Timer::~Timer() { event_free(event_); }

void Timer::arm_at(MonoTime deadline) {
  deadline_ = deadline;
  schedule(MonoClock::now());
}

void Timer::arm_after(Duration delay) { arm_at(MonoClock::now() + delay); }

void Timer::cancel() {
  event_del(event_);
  deadline_.reset();
}

void Timer::schedule(MonoTime now) {
  const timeval tv = to_timeval(*deadline_ - now);
  event_add(event_, &tv);
}

void Timer::on_event(int /*fd*/, short /*what*/, void* arg) {
  auto* self = static_cast<Timer*>(arg);
  // libevent measures timeouts from the time it cached at the start of the
  // loop iteration, so a long callback earlier in the iteration can make
  // this fire early by MonoClock; a deadline is a promise, so wait the rest.
  const MonoTime now = MonoClock::now();
  if (self->deadline_ && now < *self->deadline_) {
    self->schedule(now);
    return;
  }
  self->deadline_.reset();
  std::shared_ptr<Callback> callback = self->callback_;
  (*callback)();
}

}  // namespace vigil
