// RAII wrappers over libevent: one EventLoop per process, and watchers that
// call a std::function when a descriptor is ready (io_watcher.h), a
// deadline passes (timer.h) or a signal arrives (signal_watcher.h).
//
// Ownership rules shared by every watcher:
// - A watcher is pinned: libevent holds its address, so it is neither
//   copyable nor movable. Hold it in a std::unique_ptr to move it.
// - Destroying a watcher cancels it; it never fires afterwards.
// - A watcher may be destroyed (or re-armed) from inside its own callback.
// - Watchers must be destroyed before their EventLoop.
#pragma once

#include "common/result.h"

struct event_base;

namespace vigil {

class EventLoop {
 public:
  // Aborts if libevent cannot create an event base (no memory or no
  // epoll descriptor): a daemon cannot run without one.
  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Dispatches events until stop() is called or no watcher is left.
  Status run();
  // Waits for at least one event and dispatches what is ready, once.
  Status run_once();
  // Dispatches what is ready now without waiting.
  Status poll();
  // Makes run() return after the callback in progress finishes.
  void stop();

  // For the watchers in common/.
  event_base* base() const { return base_; }

 private:
  event_base* base_ = nullptr;
};

}  // namespace vigil
