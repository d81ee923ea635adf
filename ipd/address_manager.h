// Adds, removes and lists the VIPs of this host over rtnetlink (libnl-route;
// no `ip` or `ifconfig` is run). It holds no state of its own: every call
// reads what the kernel has, so a restarted ipd sees exactly the addresses
// the previous one left, and restarting never removes an address.
//
// Needs CAP_NET_ADMIN in ipd's network namespace. Calls are synchronous
// rtnetlink requests, answered by the kernel at once; they never wait on
// the network.
#pragma once

#include <memory>
#include <vector>

#include "common/result.h"
#include "ipd/kernel_state.h"
#include "ipd/netlink.h"
#include "ipd/vip.h"

namespace vigil::ipd {

enum class AddOutcome { kAdded, kAlreadyPresent };
enum class RemoveOutcome { kRemoved, kAlreadyAbsent };

class AddressManager {
 public:
  static Result<std::unique_ptr<AddressManager>> open();

  // Every link and address of the namespace, as the kernel has them now.
  Result<KernelState> read_state();
  // Every address (all families, all links).
  Result<std::vector<AddressInfo>> list();

  // Adds `vip` (prefix, broadcast, label; IPv6 with IFA_F_NODAD so it is
  // usable at once, no tentative phase). Idempotent: the same address with
  // the same prefix already on that interface is kAlreadyPresent, not an
  // error — the caller announces it again either way. The address already
  // configured with another prefix or on another interface is an Error
  // (ipd does not guess which of the two the admin meant).
  Result<AddOutcome> add(const ResolvedVip& vip);

  // Removes `vip` from its interface. Idempotent: absent is kAlreadyAbsent.
  // For IPv4 it first sets promote_secondaries on the interface (sysctl.h),
  // so removing a VIP that became the subnet's primary address does not
  // take the host's other addresses of that subnet with it.
  Result<RemoveOutcome> remove(const ResolvedVip& vip);

 private:
  explicit AddressManager(netlink::Socket sock) : sock_(std::move(sock)) {}
  netlink::Socket sock_;
};

}  // namespace vigil::ipd
