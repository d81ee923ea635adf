// A virtual IP resolved against this host's interfaces: everything needed
// to add it, remove it and announce it, with nothing left to compute.
// Produced by resolve_vip (resolve.h) from a haresources IP entry.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "ipd/ip_address.h"

namespace vigil::ipd {

// Which heartbeat resource agent the entry names (heartbeat-compat.md §3.1).
// It decides the default label and the announcement defaults.
enum class VipForm {
  kIpAddr,    // IPaddr::... or a bare IPv4 short form
  kIpAddr2,   // IPaddr2::...
  kIPv6addr,  // IPv6addr::...
};

// How a VIP is announced after it is added: `count` rounds, one every
// `interval`. For IPv4 a round is a gratuitous ARP request followed, half
// an interval later, by a gratuitous ARP reply (as heartbeat's send_arp;
// see announcer.h). For IPv6 a round is one unsolicited neighbour
// advertisement.
struct Announcement {
  int count = 0;
  std::chrono::milliseconds interval{0};

  friend bool operator==(const Announcement&, const Announcement&) = default;
};

// heartbeat's defaults (§3.1): IPaddr 10 rounds at 500 ms, IPaddr2 5 at
// 200 ms. IPv6addr has no documented count; vigil uses IPaddr2's 5 at
// 200 ms so a moved IPv6 VIP is learnt as fast as an IPv4 one.
Announcement default_announcement(VipForm form);

struct ResolvedVip {
  VipForm form = VipForm::kIpAddr;
  IpAddress address;
  int prefix_len = 32;
  int ifindex = 0;
  std::string interface;               // "eth0"
  std::optional<IpAddress> broadcast;  // IPv4 only; none for /31 and /32
  std::string label;                   // IPv4 only; empty means the kernel's default (the NIC name)
  Announcement announcement;

  // "10.0.0.5/24 on eth0", for log lines and errors.
  std::string describe() const;
};

}  // namespace vigil::ipd
