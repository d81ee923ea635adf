#include "common/event_loop.h"

#include <event2/event.h>

#include <cstdio>
#include <cstdlib>

namespace vigil {

namespace {

Status loop_status(int rc) {
  if (rc < 0) return Error{"event loop failed"};
  return ok_status();
}

}  // namespace

EventLoop::EventLoop() {
  event_config* cfg = event_config_new();
  if (cfg != nullptr) {
    // The coarse clock libevent uses by default ticks every 4 ms on common
    // kernels; sub-second deadtimes want the precise one.
    event_config_set_flag(cfg, EVENT_BASE_FLAG_PRECISE_TIMER);
    base_ = event_base_new_with_config(cfg);
    event_config_free(cfg);
  }
  if (base_ == nullptr) {
    std::fputs("vigil: cannot create the event loop (libevent)\n", stderr);
    std::abort();
  }
}

EventLoop::~EventLoop() { event_base_free(base_); }

Status EventLoop::run() { return loop_status(event_base_loop(base_, 0)); }

Status EventLoop::run_once() { return loop_status(event_base_loop(base_, EVLOOP_ONCE)); }

Status EventLoop::poll() { return loop_status(event_base_loop(base_, EVLOOP_NONBLOCK)); }

void EventLoop::stop() { event_base_loopbreak(base_); }

}  // namespace vigil
