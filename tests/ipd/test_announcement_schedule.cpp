// When announcements go out (ipd/announcement_schedule.h).
#include <catch2/catch.hpp>

#include "ipd/announcement_schedule.h"
#include "ipd/arp_frame.h"

using namespace vigil::ipd;
using std::chrono::milliseconds;

namespace {

const MacAddress kMac = {0x02, 0, 0, 0, 0, 0x11};

ResolvedVip vip(const char* address, int count, int interval_ms) {
  ResolvedVip v;
  v.address = *IpAddress::parse(address);
  v.announcement = {count, milliseconds(interval_ms)};
  return v;
}

std::uint16_t arp_op(const ScheduledFrame& f) {
  return static_cast<std::uint16_t>(f.frame[20] << 8 | f.frame[21]);
}

}  // namespace

TEST_CASE(
    "announce: IPv4 sends count requests and count replies, a reply half an interval after each "
    "request") {
  const auto frames = announcement_frames(vip("10.0.0.7", 5, 200), kMac, false);
  REQUIRE(frames.size() == 10);
  for (int k = 0; k < 5; ++k) {
    const auto& req = frames[static_cast<std::size_t>(2 * k)];
    const auto& rep = frames[static_cast<std::size_t>(2 * k + 1)];
    CHECK(req.offset == milliseconds(200 * k));
    CHECK(arp_op(req) == 1);
    CHECK(rep.offset == milliseconds(200 * k + 100));
    CHECK(arp_op(rep) == 2);
  }
}

TEST_CASE("announce: IPaddr's default 10 rounds at 500 ms end 4.75 s after the start") {
  const auto frames = announcement_frames(vip("10.0.0.7", 10, 500), kMac, false);
  REQUIRE(frames.size() == 20);
  CHECK(frames.back().offset == milliseconds(4750));
}

TEST_CASE("announce: IPv6 sends one unsolicited NA per round") {
  const auto frames = announcement_frames(vip("2001:db8::7", 3, 200), kMac, false);
  REQUIRE(frames.size() == 3);
  CHECK(frames[2].offset == milliseconds(400));
  CHECK(frames[0].frame[54] == 136);
}

TEST_CASE("announce: a count of zero sends nothing") {
  CHECK(announcement_frames(vip("10.0.0.7", 0, 200), kMac, false).empty());
}
