#include "ipd/arp_frame.h"

#include <cassert>

namespace vigil::ipd {

namespace {

constexpr MacAddress kBroadcastMac = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

void put16(std::vector<std::uint8_t>& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v & 0xff));
}

void put(std::vector<std::uint8_t>& out, const std::uint8_t* data, std::size_t size) {
  out.insert(out.end(), data, data + size);
}

}  // namespace

std::vector<std::uint8_t> build_gratuitous_arp(ArpOp op, const MacAddress& mac,
                                               const IpAddress& vip) {
  assert(vip.is_v4());
  std::vector<std::uint8_t> f;
  f.reserve(kArpFrameSize);
  put(f, kBroadcastMac.data(), 6);
  put(f, mac.data(), 6);
  put16(f, kEtherTypeArp);
  put16(f, 1);       // Ethernet
  put16(f, 0x0800);  // IPv4
  f.push_back(6);
  f.push_back(4);
  put16(f, static_cast<std::uint16_t>(op));
  put(f, mac.data(), 6);
  put(f, vip.data(), 4);
  put(f, kBroadcastMac.data(), 6);
  put(f, vip.data(), 4);
  return f;
}

}  // namespace vigil::ipd
