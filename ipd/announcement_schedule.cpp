#include "ipd/announcement_schedule.h"

#include "ipd/arp_frame.h"
#include "ipd/na_frame.h"

namespace vigil::ipd {

std::vector<ScheduledFrame> announcement_frames(const ResolvedVip& vip, const MacAddress& mac,
                                                bool ipv6_router) {
  std::vector<ScheduledFrame> frames;
  const auto interval = vip.announcement.interval;
  for (int k = 0; k < vip.announcement.count; ++k) {
    const auto at = interval * k;
    if (vip.address.is_v4()) {
      frames.push_back({at, build_gratuitous_arp(ArpOp::kRequest, mac, vip.address)});
      frames.push_back({at + interval / 2, build_gratuitous_arp(ArpOp::kReply, mac, vip.address)});
    } else {
      frames.push_back({at, build_unsolicited_na(mac, vip.address, ipv6_router)});
    }
  }
  return frames;
}

}  // namespace vigil::ipd
