// Gratuitous ARP and unsolicited NA frames, checked byte for byte against
// frames written out by hand from RFC 826 / RFC 4861 and heartbeat's
// send_arp (ipd/arp_frame.h, ipd/na_frame.h).
#include <catch2/catch.hpp>
#include <vector>

#include "ipd/arp_frame.h"
#include "ipd/na_frame.h"

using namespace vigil::ipd;
using Bytes = std::vector<std::uint8_t>;

namespace {

const MacAddress kMac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x11};
const MacAddress kMac6 = {0x02, 0x00, 0x00, 0x00, 0x00, 0x12};

}  // namespace

TEST_CASE("arp: a gratuitous ARP request is broadcast with sender and target both the VIP") {
  const Bytes expected = {
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff,  // Ethernet dst: broadcast
      0x02, 0x00, 0x00, 0x00, 0x00, 0x11,  // Ethernet src: our MAC
      0x08, 0x06,                          // ARP
      0x00, 0x01, 0x08, 0x00, 0x06, 0x04,  // Ethernet / IPv4, 6 / 4
      0x00, 0x01,                          // request
      0x02, 0x00, 0x00, 0x00, 0x00, 0x11,  // sha
      0x0a, 0x00, 0x00, 0x07,              // spa 10.0.0.7
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff,  // tha
      0x0a, 0x00, 0x00, 0x07,              // tpa 10.0.0.7
  };
  CHECK(build_gratuitous_arp(ArpOp::kRequest, kMac, *IpAddress::parse("10.0.0.7")) == expected);
}

TEST_CASE("arp: a gratuitous ARP reply differs from the request only in its opcode") {
  const Bytes expected = {
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00,
      0x11, 0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02,  // reply
      0x02, 0x00, 0x00, 0x00, 0x00, 0x11, 0xc0, 0xa8, 0x01, 0x32,        // 192.168.1.50
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc0, 0xa8, 0x01, 0x32,
  };
  const Bytes frame = build_gratuitous_arp(ArpOp::kReply, kMac, *IpAddress::parse("192.168.1.50"));
  CHECK(frame.size() == kArpFrameSize);
  CHECK(frame == expected);
}

TEST_CASE("na: an unsolicited NA goes to ff02::1 with override, hop limit 255 and our MAC") {
  const Bytes expected = {
      0x33,
      0x33,
      0x00,
      0x00,
      0x00,
      0x01,  // Ethernet dst: all-nodes multicast
      0x02,
      0x00,
      0x00,
      0x00,
      0x00,
      0x12,  // Ethernet src
      0x86,
      0xdd,  // IPv6
      0x60,
      0x00,
      0x00,
      0x00,  // version 6
      0x00,
      0x20,
      0x3a,
      0xff,  // payload 32, ICMPv6, hop limit 255
      0x20,
      0x01,
      0x0d,
      0xb8,
      0x00,
      0x01,
      0x00,
      0x00,  // src 2001:db8:1::10
      0x00,
      0x00,
      0x00,
      0x00,
      0x00,
      0x00,
      0x00,
      0x10,
      0xff,
      0x02,
      0x00,
      0x00,
      0x00,
      0x00,
      0x00,
      0x00,  // dst ff02::1
      0x00,
      0x00,
      0x00,
      0x00,
      0x00,
      0x00,
      0x00,
      0x01,
      0x88,
      0x00,
      0xf8,
      0xf9,  // type 136, code 0,
             // checksum
      0x20,
      0x00,
      0x00,
      0x00,  // O flag only
      0x20,
      0x01,
      0x0d,
      0xb8,
      0x00,
      0x01,
      0x00,
      0x00,  // target
      0x00,
      0x00,
      0x00,
      0x00,
      0x00,
      0x00,
      0x00,
      0x10,
      0x02,
      0x01,  // target link-layer address, 8
             // bytes
      0x02,
      0x00,
      0x00,
      0x00,
      0x00,
      0x12,
  };
  const Bytes frame = build_unsolicited_na(kMac6, *IpAddress::parse("2001:db8:1::10"), false);
  CHECK(frame.size() == kNaFrameSize);
  CHECK(frame == expected);
}

TEST_CASE("na: the router flag is set on request and the checksum follows it") {
  const Bytes frame = build_unsolicited_na(kMac6, *IpAddress::parse("2001:db8:1::10"), true);
  CHECK(frame[58] == 0xa0);  // R and O
  CHECK(frame[56] == 0x78);  // checksum 0x78f9: 0x8000 less than with O alone
  CHECK(frame[57] == 0xf9);
}

TEST_CASE("na: the checksum of a frame's ICMPv6 part including its checksum verifies to zero") {
  const Bytes frame = build_unsolicited_na(kMac6, *IpAddress::parse("fd00::1:2"), false);
  const auto src = IpAddress::from_bytes(frame.data() + 22, 16);
  const auto dst = IpAddress::from_bytes(frame.data() + 38, 16);
  CHECK(icmpv6_checksum(*src, *dst, frame.data() + 54, 32) == 0);
}
