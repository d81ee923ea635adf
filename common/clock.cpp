#include "common/clock.h"

#include <time.h>

namespace vigil {

MonoClock::time_point MonoClock::now() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return time_point(std::chrono::seconds(ts.tv_sec) +
                    std::chrono::duration_cast<duration>(std::chrono::nanoseconds(ts.tv_nsec)));
}

}  // namespace vigil
