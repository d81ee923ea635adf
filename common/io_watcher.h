// Calls back when a file descriptor is readable and/or writable, for as
// long as it is started (level-triggered, persistent). See event_loop.h for
// the ownership rules every watcher follows.
#pragma once

#include <functional>
#include <memory>

#include "common/event_loop.h"

struct event;

namespace vigil {

struct IoReady {
  bool readable = false;
  bool writable = false;
};

class IoWatcher {
 public:
  enum class Interest { kRead, kWrite, kReadWrite };
  using Callback = std::function<void(IoReady)>;

  // Created stopped; start() begins watching. Does not own `fd`.
  IoWatcher(EventLoop& loop, int fd, Interest interest, Callback callback);
  ~IoWatcher();
  IoWatcher(const IoWatcher&) = delete;
  IoWatcher& operator=(const IoWatcher&) = delete;

  void start();
  void stop();
  bool active() const { return active_; }
  int fd() const { return fd_; }

 private:
  static void on_event(int fd, short what, void* self);

  int fd_;
  event* event_ = nullptr;
  // Shared so that a callback that destroys this watcher keeps running on
  // its own copy.
  std::shared_ptr<Callback> callback_;
  bool active_ = false;
};

}  // namespace vigil
