// Resolution of a haresources IP entry (conf::IpSpec) against the host's
// interfaces and addresses into a ResolvedVip, as heartbeat's IPaddr,
// IPaddr2 and IPv6addr agents did with findif (heartbeat-compat.md §3.1).
// Pure: the kernel state is passed in.
//
// Rules, each filling only what the entry leaves out:
//  * interface: the named NIC; else the interface holding an address whose
//    subnet contains the VIP (the longest such prefix wins, then the lowest
//    ifindex). The VIP's own address never counts as such a subnet, so a
//    VIP that is already configured resolves as it did the first time —
//    unless no other address holds its subnet any more, then its own entry
//    does (so it can still be released). None → an Error naming the VIP.
//  * prefix length: the given CIDR bits; else the prefix of that subnet.
//  * broadcast (IPv4): the given one; else the highest address of the
//    VIP's subnet; none for /31 and /32.
//  * label (IPv4): IPaddr2 NIC:label → "NIC:label". IPaddr without a label
//    → "NIC:N", the lowest N ≥ 0 not already used on that NIC, because
//    heartbeat's IPaddr configured each VIP as the first free ifconfig
//    alias (eth0:0, eth0:1, ...) and users' scripts and `ifconfig` output
//    rely on it; a VIP already present keeps the label it has. IPaddr2
//    without a label → no label (the kernel shows the NIC name), as `ip
//    addr add` does. A label over 15 characters is an Error (ifconfig
//    silently truncated them, §9 item 4); a computed IPaddr label that
//    would be over 15 is left out instead.
//  * IPv6: no broadcast, no label; added without DAD (address_manager.h).
#pragma once

#include "common/result.h"
#include "conf/config.h"
#include "ipd/kernel_state.h"
#include "ipd/vip.h"

namespace vigil::ipd {

// The longest label the kernel keeps (IFNAMSIZ - 1).
inline constexpr std::size_t kMaxLabelLength = 15;

// For a resource of kind kIpAddr, kIpAddr2 or kIPv6addr with `ip` set.
// Errors name the VIP as written ("IP 10.0.0.5/24: ...").
Result<ResolvedVip> resolve_vip(const conf::Resource& resource, const KernelState& kernel);

// The same for a spec whose form is already known.
Result<ResolvedVip> resolve_vip(const conf::IpSpec& spec, VipForm form, const KernelState& kernel);

}  // namespace vigil::ipd
