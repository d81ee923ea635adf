// Monotonic time for the whole project. The sans-IO core never reads a
// clock: the I/O layer calls MonoClock::now() and passes the value in; the
// simulator passes virtual time points built from durations.
#pragma once

#include <time.h>

#include <chrono>

namespace vigil {

// CLOCK_MONOTONIC with microsecond resolution.
struct MonoClock {
  using duration = std::chrono::microseconds;
  using rep = duration::rep;
  using period = duration::period;
  using time_point = std::chrono::time_point<MonoClock>;
  static constexpr bool is_steady = true;

  static time_point now() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return time_point(std::chrono::seconds(ts.tv_sec) +
                      std::chrono::duration_cast<duration>(std::chrono::nanoseconds(ts.tv_nsec)));
  }
};

using MonoTime = MonoClock::time_point;
using Duration = MonoClock::duration;

}  // namespace vigil
