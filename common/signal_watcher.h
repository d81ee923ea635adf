// Calls back in the event loop (not in signal context) each time a signal
// arrives: SIGTERM, SIGHUP, SIGUSR1... Several arrivals between two loop
// iterations may be folded into one call. See event_loop.h for the
// ownership rules every watcher follows.
//
// libevent installs its own handler while the watcher lives and restores
// the previous disposition when it is destroyed. One EventLoop per process
// should own signals.
#pragma once

#include <functional>
#include <memory>

#include "common/event_loop.h"

struct event;

namespace vigil {

class SignalWatcher {
 public:
  using Callback = std::function<void(int signo)>;

  // Starts watching at once.
  SignalWatcher(EventLoop& loop, int signo, Callback callback);
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  int signo() const { return signo_; }

 private:
  static void on_event(int signo, short what, void* self);

  int signo_;
  event* event_ = nullptr;
  std::shared_ptr<Callback> callback_;
};

}  // namespace vigil
