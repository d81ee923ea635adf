// Unsolicited IPv6 neighbour advertisements (RFC 4861 §7.2.6), built byte
// for byte so tests can check them and the announcer can send them from an
// AF_PACKET socket — the same frame the kernel sends for its own addresses
// when a link comes up (ndisc_send_unsol_na).
//
// Layout (86 bytes):
//   Ethernet  dst 33:33:00:00:00:01 · src = our MAC · type 0x86dd
//   IPv6      version 6 · payload length 32 · next header 58 · hop limit 255
//             src = VIP · dst = ff02::1
//   ICMPv6    type 136 · code 0 · checksum · flags R (router), S = 0,
//             O = 1 (override, so caches replace the old node's MAC)
//             target = VIP
//   option    type 2 (target link-layer address) · length 1 · our MAC
#pragma once

#include <cstdint>
#include <vector>

#include "ipd/ip_address.h"

namespace vigil::ipd {

inline constexpr std::uint16_t kEtherTypeIPv6 = 0x86dd;
inline constexpr std::size_t kNaFrameSize = 86;

// `vip` must be IPv6. `router` sets the R flag; it should be true when the
// node forwards IPv6 on that interface, or hosts drop the VIP from their
// default-router list (field-notes.md A6).
std::vector<std::uint8_t> build_unsolicited_na(const MacAddress& mac, const IpAddress& vip,
                                               bool router);

// The Internet checksum of an ICMPv6 message with its IPv6 pseudo-header
// (RFC 8200 §8.1); `icmp` has its checksum field zero.
std::uint16_t icmpv6_checksum(const IpAddress& src, const IpAddress& dst, const std::uint8_t* icmp,
                              std::size_t size);

}  // namespace vigil::ipd
