// How long a helper client waits between connection attempts: doubling
// from `first` up to `max`, and never more than a quarter of the lease.
//
// Why the lease bounds it: a restarted helper starts its lease clock at its
// own start (common/proto/lease.h) and releases everything when no Hello
// arrives within the lease. heartbeatd cannot know when the helper comes
// back, only that it must be connected within a lease of that moment, so
// the wait between two attempts stays well under the lease however long
// the helper was gone. A failed connect to a Unix socket costs a system
// call; a quarter of the shortest lease (100 ms) is still 25 ms.
//
//   RetryBackoff backoff(100ms, 5s, lease_ms);
//   timer.arm_after(backoff.next());   // 100, 200, 400 ... ms, capped
//   backoff.reset();                    // connected
#pragma once

#include <cstdint>

#include "common/clock.h"

namespace vigil::helpers {

class RetryBackoff {
 public:
  // `lease_ms` 0: no lease yet, only `max` caps the wait.
  RetryBackoff(Duration first, Duration max, std::uint32_t lease_ms);

  // The wait before the next attempt; the one after it is twice as long.
  Duration next();
  // Connected: the next outage starts again from `first`.
  void reset() { current_ = first_; }
  // The lease changed (Lease message, or the next Hello).
  void set_lease(std::uint32_t lease_ms);

  // The longest wait: min(max, lease / 4), never below kFloor.
  Duration cap() const { return cap_; }

  static constexpr Duration kFloor = std::chrono::milliseconds(10);

 private:
  Duration first_;
  Duration max_;
  Duration cap_;
  Duration current_;
};

}  // namespace vigil::helpers
