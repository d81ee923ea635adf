// Gratuitous ARP frames, built byte for byte so tests can check them and
// the announcer can send them from an AF_PACKET socket.
//
// Layout (42 bytes, no padding; the NIC pads to the Ethernet minimum):
//   Ethernet  dst ff:ff:ff:ff:ff:ff · src = our MAC · type 0x0806
//   ARP       htype 1 · ptype 0x0800 · hlen 6 · plen 4 · op (1 request, 2 reply)
//             sha = our MAC · spa = VIP · tha = ff:ff:ff:ff:ff:ff · tpa = VIP
//
// This is what heartbeat's send_arp put on the wire, request and reply
// alike (target hardware address all ones, sent to the broadcast MAC). It
// sent both forms each round because some switches, firewalls and hosts
// update their caches only from one of them (heartbeat-compat.md §9 item 4;
// resource-agents #977 "only ARP REPLY").
#pragma once

#include <cstdint>
#include <vector>

#include "ipd/ip_address.h"

namespace vigil::ipd {

inline constexpr std::uint16_t kEtherTypeArp = 0x0806;
inline constexpr std::size_t kArpFrameSize = 42;

enum class ArpOp : std::uint16_t { kRequest = 1, kReply = 2 };

// `vip` must be IPv4.
std::vector<std::uint8_t> build_gratuitous_arp(ArpOp op, const MacAddress& mac,
                                               const IpAddress& vip);

}  // namespace vigil::ipd
