// The lease a root helper grants heartbeatd (helper_common.h), as a small
// sans-IO clock the helper's event loop drives:
//
//   LeaseClock lease(default_lease, now);      // helper start: clock runs
//   lease.on_hello(hello.lease_ms, now);        // heartbeatd (re)connected
//   lease.on_disconnect(now);                   // its connection dropped
//   if (lease.expire(now)) release_everything();  // exactly once per lapse
//   timer.arm(*lease.deadline());
//
// At start the clock runs: a helper whose heartbeatd never connects
// releases what it finds when the lease runs out (the node's membership
// daemon is gone, so nothing may stay held). The default is half the
// deadtime: a peer declares us dead after deadtime, so our addresses are
// gone before it takes them over.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>

#include "common/clock.h"
#include "common/proto/helper_common.h"

namespace vigil::proto {

// THE lease formula: what heartbeatd asks for in Hello and what a helper
// grants before heartbeatd asks. Half the deadtime of ha.cf, within
// [kMinLeaseMs, kMaxLeaseMs]:
//  * Half: a peer declares us dead after deadtime and then takes the
//    groups over, so a helper whose heartbeatd is gone releases with half
//    a deadtime to spare (for ipd's and the scripts' own time to stop).
//  * At most kMaxLeaseMs (10 min): Hello and Lease carrying more are
//    refused (check_lease), so heartbeatd cannot ask for more. A helper's
//    default above that (it used to have no upper bound) would be a lease
//    heartbeatd never confirms, shrinking at the first Hello. The clamp
//    only ever shortens the lease, and a shorter lease is always safe: the
//    helper releases earlier, still before the peer takes over.
//  * At least kMinLeaseMs: the smallest the wire accepts.
inline std::chrono::milliseconds default_lease(std::chrono::milliseconds deadtime) {
  return std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(deadtime / 2),
                    std::chrono::milliseconds(kMinLeaseMs), std::chrono::milliseconds(kMaxLeaseMs));
}

class LeaseClock {
 public:
  LeaseClock(std::chrono::milliseconds default_lease, MonoTime now)
      : lease_(default_lease), deadline_(now + default_lease) {}

  // heartbeatd said Hello (or Lease while connected): the lease is set and
  // the clock stops until the connection drops.
  void on_hello(std::uint32_t lease_ms) {
    lease_ = std::chrono::milliseconds(lease_ms);
    connected_ = true;
    deadline_.reset();
  }
  void on_lease(std::uint32_t lease_ms) { lease_ = std::chrono::milliseconds(lease_ms); }

  // The connection of the heartbeatd that said Hello dropped.
  void on_disconnect(MonoTime now) {
    if (!connected_) return;
    connected_ = false;
    deadline_ = now + lease_;
  }

  // True exactly once when the lease has run out at `now`; the caller then
  // releases everything and logs why.
  bool expire(MonoTime now) {
    if (!deadline_ || now < *deadline_) return false;
    deadline_.reset();
    return true;
  }

  std::optional<MonoTime> deadline() const { return deadline_; }
  bool connected() const { return connected_; }
  std::chrono::milliseconds lease() const { return lease_; }

 private:
  std::chrono::milliseconds lease_;
  bool connected_ = false;
  std::optional<MonoTime> deadline_;
};

}  // namespace vigil::proto
