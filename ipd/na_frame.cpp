#include "ipd/na_frame.h"

#include <cassert>

namespace vigil::ipd {

namespace {

constexpr MacAddress kAllNodesMac = {0x33, 0x33, 0x00, 0x00, 0x00, 0x01};
constexpr std::array<std::uint8_t, 16> kAllNodes = {0xff, 0x02, 0, 0, 0, 0, 0, 0,
                                                    0,    0,    0, 0, 0, 0, 0, 1};
constexpr std::uint8_t kNextHeaderIcmpv6 = 58;
constexpr std::uint8_t kNeighbourAdvert = 136;
constexpr std::uint8_t kFlagRouter = 0x80;
constexpr std::uint8_t kFlagOverride = 0x20;
constexpr std::uint8_t kOptionTargetLinkAddress = 2;
constexpr std::size_t kIcmpSize = 32;  // 24-byte NA + 8-byte option

void put(std::vector<std::uint8_t>& out, const std::uint8_t* data, std::size_t size) {
  out.insert(out.end(), data, data + size);
}

}  // namespace

std::uint16_t icmpv6_checksum(const IpAddress& src, const IpAddress& dst, const std::uint8_t* icmp,
                              std::size_t size) {
  std::uint32_t sum = 0;
  auto add = [&sum](const std::uint8_t* p, std::size_t n) {
    for (std::size_t i = 0; i + 1 < n; i += 2)
      sum += static_cast<std::uint32_t>(p[i] << 8 | p[i + 1]);
    if (n % 2 == 1) sum += static_cast<std::uint32_t>(p[n - 1] << 8);
  };
  add(src.data(), 16);
  add(dst.data(), 16);
  sum += static_cast<std::uint32_t>(size >> 16) + static_cast<std::uint32_t>(size & 0xffff);
  sum += kNextHeaderIcmpv6;
  add(icmp, size);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xffff);
}

std::vector<std::uint8_t> build_unsolicited_na(const MacAddress& mac, const IpAddress& vip,
                                               bool router) {
  assert(!vip.is_v4());
  const IpAddress all_nodes = IpAddress::v6(kAllNodes);
  std::vector<std::uint8_t> f;
  f.reserve(kNaFrameSize);
  put(f, kAllNodesMac.data(), 6);
  put(f, mac.data(), 6);
  f.push_back(kEtherTypeIPv6 >> 8);
  f.push_back(kEtherTypeIPv6 & 0xff);

  const std::uint8_t ipv6_header[8] = {0x60, 0, 0, 0, 0, kIcmpSize, kNextHeaderIcmpv6, 255};
  put(f, ipv6_header, sizeof ipv6_header);
  put(f, vip.data(), 16);
  put(f, all_nodes.data(), 16);

  const std::size_t icmp_at = f.size();
  f.push_back(kNeighbourAdvert);
  f.push_back(0);  // code
  f.push_back(0);  // checksum, filled below
  f.push_back(0);
  f.push_back(static_cast<std::uint8_t>(kFlagOverride | (router ? kFlagRouter : 0)));
  f.push_back(0);
  f.push_back(0);
  f.push_back(0);
  put(f, vip.data(), 16);
  f.push_back(kOptionTargetLinkAddress);
  f.push_back(1);  // in units of 8 bytes
  put(f, mac.data(), 6);

  const std::uint16_t sum = icmpv6_checksum(vip, all_nodes, f.data() + icmp_at, kIcmpSize);
  f[icmp_at + 2] = static_cast<std::uint8_t>(sum >> 8);
  f[icmp_at + 3] = static_cast<std::uint8_t>(sum & 0xff);
  return f;
}

}  // namespace vigil::ipd
