#include "heartbeatd/helpers/retry_backoff.h"

#include <algorithm>
#include <chrono>

namespace vigil::helpers {

RetryBackoff::RetryBackoff(Duration first, Duration max, std::uint32_t lease_ms)
    : first_(first), max_(max), cap_(max), current_(first) {
  set_lease(lease_ms);
}

void RetryBackoff::set_lease(std::uint32_t lease_ms) {
  cap_ = std::max(max_, kFloor);
  if (lease_ms > 0) cap_ = std::min(cap_, Duration(std::chrono::milliseconds(lease_ms / 4)));
  cap_ = std::max(cap_, kFloor);
}

Duration RetryBackoff::next() {
  const Duration wait = std::clamp(current_, kFloor, cap_);
  current_ = std::min(wait * 2, cap_);
  return wait;
}

}  // namespace vigil::helpers
