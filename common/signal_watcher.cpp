#include "common/signal_watcher.h"

#include <event2/event.h>

#include <cstdlib>

namespace vigil {

SignalWatcher::SignalWatcher(EventLoop& loop, int signo, Callback callback)
    : signo_(signo), callback_(std::make_shared<Callback>(std::move(callback))) {
  event_ = evsignal_new(loop.base(), signo, &SignalWatcher::on_event, this);
  if (event_ == nullptr || event_add(event_, nullptr) != 0) std::abort();
}

SignalWatcher::~SignalWatcher() { event_free(event_); }

void SignalWatcher::on_event(int signo, short /*what*/, void* self) {
  std::shared_ptr<Callback> callback = static_cast<SignalWatcher*>(self)->callback_;
  (*callback)(signo);
}

}  // namespace vigil
