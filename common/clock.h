// Monotonic time for the whole project. The sans-IO core never reads a
// clock: the I/O layer calls MonoClock::now() and passes the value in; the
// simulator passes virtual time points built from durations.
#pragma once

#include <chrono>

namespace vigil {

// CLOCK_MONOTONIC with microsecond resolution.
struct MonoClock {
  using duration = std::chrono::microseconds;
  using rep = duration::rep;
  using period = duration::period;
  using time_point = std::chrono::time_point<MonoClock>;
  static constexpr bool is_steady = true;

  // Defined in clock.cpp, which only the I/O libraries link: a call from a
  // sans-IO library fails the build (heartbeatd/engine/sans_io_check.py).
  static time_point now();
};

using MonoTime = MonoClock::time_point;
using Duration = MonoClock::duration;

}  // namespace vigil
