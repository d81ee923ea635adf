#include "heartbeatd/state/sequence_reservation.h"

#include <algorithm>
#include <limits>

namespace vigil::state {

namespace {
constexpr Duration kRestartFloor = std::chrono::milliseconds(100);
}  // namespace

ReservationPolicy reservation_policy(Duration continuation_window, Duration keepalive) {
  const Duration refresh = std::max(continuation_window / 8, kRestartFloor);
  if (keepalive <= Duration::zero()) return {};
  const auto per_refresh = static_cast<std::uint64_t>(refresh / keepalive);
  return ReservationPolicy{std::max<std::uint64_t>(per_refresh, 1)};
}

std::optional<std::uint64_t> mark_to_write(std::uint64_t seq, std::uint64_t reserved,
                                           const ReservationPolicy& policy) {
  if (seq <= reserved) return std::nullopt;
  constexpr std::uint64_t kLastUsable = std::numeric_limits<std::uint64_t>::max() - 1;
  if (seq >= kLastUsable) return seq;
  const std::uint64_t ahead = std::max<std::uint64_t>(policy.block, 1) - 1;
  return seq + std::min(ahead, kLastUsable - seq);
}

}  // namespace vigil::state
