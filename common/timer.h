// A one-shot timer, re-armable at an absolute MonoTime deadline (the
// daemons re-arm from the core's next deadline) or after a duration. See
// event_loop.h for the ownership rules every watcher follows.
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include "common/clock.h"
#include "common/event_loop.h"

struct event;

namespace vigil {

class Timer {
 public:
  using Callback = std::function<void()>;

  // Created disarmed.
  Timer(EventLoop& loop, Callback callback);
  ~Timer();
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  // Fires once, at the first loop iteration where MonoClock::now() >=
  // deadline; never earlier. A deadline in the past fires at the next
  // iteration. Re-arming replaces the previous deadline.
  void arm_at(MonoTime deadline);
  // arm_at(MonoClock::now() + delay).
  void arm_after(Duration delay);
  void cancel();

  bool armed() const { return deadline_.has_value(); }
  std::optional<MonoTime> deadline() const { return deadline_; }

 private:
  static void on_event(int fd, short what, void* self);
  void schedule(MonoTime now);

  event* event_ = nullptr;
  std::shared_ptr<Callback> callback_;
  std::optional<MonoTime> deadline_;
};

}  // namespace vigil
