// What to send, and when, to announce a VIP after it is added — pure, so
// the timing rules are testable without a clock (announcer.h sends).
//
// IPv4, per round k (0 ≤ k < count), as heartbeat's send_arp did
// (heartbeat-compat.md §3.1, §9 item 4):
//   at k·interval                 a gratuitous ARP request
//   at k·interval + interval/2    a gratuitous ARP reply
// IPv6, per round k: one unsolicited neighbour advertisement at k·interval.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "ipd/vip.h"

namespace vigil::ipd {

struct ScheduledFrame {
  std::chrono::milliseconds offset{0};  // from the start of the announcement
  std::vector<std::uint8_t> frame;      // a whole Ethernet frame
};

// In send order (offsets never decrease). Empty when count ≤ 0.
std::vector<ScheduledFrame> announcement_frames(const ResolvedVip& vip, const MacAddress& mac,
                                                bool ipv6_router);

}  // namespace vigil::ipd
