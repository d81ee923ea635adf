#include "heartbeatd/core/status_copies.h"

#include <algorithm>

namespace vigil::core {

int status_copies(Duration keepalive, Duration deadtime, int configured) {
  if (configured > 0) return std::min(configured, kMaxStatusCopies);
  if (keepalive <= Duration::zero()) return 1;
  const auto per_deadtime = static_cast<int>(deadtime / keepalive) - 1;
  const int k = std::max(per_deadtime, 1);
  return std::clamp((kLossesForDeath + k - 1) / k, 1, kMaxStatusCopies);
}

}  // namespace vigil::core
