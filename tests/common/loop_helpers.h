// Bounded event-loop runs for tests: a test never hangs, it fails.
#pragma once

#include <chrono>
#include <functional>

#include "common/clock.h"
#include "common/event_loop.h"
#include "common/timer.h"

namespace vigil::test {

// Runs `loop` until `done()` holds or `limit` passes; returns done().
inline bool run_until(EventLoop& loop, const std::function<bool()>& done,
                      Duration limit = std::chrono::seconds(5)) {
  const MonoTime give_up = MonoClock::now() + limit;
  Timer tick(loop, [] {});
  while (!done() && MonoClock::now() < give_up) {
    // A short tick so run_once() returns even when nothing else happens.
    tick.arm_after(std::chrono::milliseconds(10));
    (void)loop.run_once();
  }
  return done();
}

}  // namespace vigil::test
