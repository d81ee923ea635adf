#include "common/io_watcher.h"

#include <event2/event.h>

#include <cstdlib>

namespace vigil {

namespace {

short libevent_flags(IoWatcher::Interest interest) {
  switch (interest) {
    case IoWatcher::Interest::kRead: return EV_READ | EV_PERSIST;
    case IoWatcher::Interest::kWrite: return EV_WRITE | EV_PERSIST;
    case IoWatcher::Interest::kReadWrite: return EV_READ | EV_WRITE | EV_PERSIST;
  }
  return EV_READ | EV_PERSIST;
}

}  // namespace

IoWatcher::IoWatcher(EventLoop& loop, int fd, Interest interest, Callback callback)
    : fd_(fd), callback_(std::make_shared<Callback>(std::move(callback))) {
  event_ = event_new(loop.base(), fd, libevent_flags(interest), &IoWatcher::on_event, this);
  if (event_ == nullptr) std::abort();  // out of memory
}

IoWatcher::~IoWatcher() { event_free(event_); }

void IoWatcher::start() {
  if (event_add(event_, nullptr) == 0) active_ = true;
}

void IoWatcher::stop() {
  event_del(event_);
  active_ = false;
}

void IoWatcher::on_event(int /*fd*/, short what, void* self) {
  std::shared_ptr<Callback> callback = static_cast<IoWatcher*>(self)->callback_;
  (*callback)(IoReady{(what & EV_READ) != 0, (what & EV_WRITE) != 0});
}

}  // namespace vigil
