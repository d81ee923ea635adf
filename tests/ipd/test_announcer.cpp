// The announcer on a real event loop with a fake frame sender
// (ipd/announcer.h). Intervals are tens of milliseconds.
#include <catch2/catch.hpp>
#include <chrono>

#include "common/event_loop.h"
#include "common/timer.h"
#include "ipd/announcer.h"

using namespace vigil;
using namespace vigil::ipd;
using std::chrono::milliseconds;

namespace {

struct FakeSender : FrameSender {
  struct Sent {
    int ifindex;
    std::vector<std::uint8_t> frame;
    MonoTime at;
  };
  std::vector<Sent> sent;
  bool fail = false;
  Status send(int ifindex, const std::vector<std::uint8_t>& frame) override {
    if (fail) return Error{"queue full"};
    sent.push_back({ifindex, frame, MonoClock::now()});
    return ok_status();
  }
};

const MacAddress kMac = {0x02, 0, 0, 0, 0, 0x11};

ResolvedVip vip(int count, int interval_ms) {
  ResolvedVip v;
  v.address = *IpAddress::parse("10.0.0.7");
  v.ifindex = 3;
  v.interface = "eth1";
  v.announcement = {count, milliseconds(interval_ms)};
  return v;
}

// Runs the loop until the announcer is idle, or 2 s at most.
void run_until_idle(EventLoop& loop, Announcer& a) {
  a.set_on_idle([&loop] { loop.stop(); });
  Timer guard(loop, [&loop] { loop.stop(); });
  guard.arm_after(std::chrono::seconds(2));
  if (a.active() > 0) (void)loop.run();
}

}  // namespace

TEST_CASE("announcer: every frame of the schedule goes out, in order, on the VIP's interface") {
  EventLoop loop;
  FakeSender sender;
  Announcer a(loop, sender);
  const auto start = MonoClock::now();
  a.announce(vip(3, 40), kMac, false);
  run_until_idle(loop, a);
  REQUIRE(sender.sent.size() == 6);
  for (std::size_t i = 0; i < 6; ++i) {
    CHECK(sender.sent[i].ifindex == 3);
    CHECK(sender.sent[i].frame[21] == (i % 2 == 0 ? 1 : 2));  // request, reply, ...
    CHECK(sender.sent[i].at - start >= milliseconds(20 * static_cast<int>(i)));
  }
  CHECK(a.frames_sent() == 6);
}

TEST_CASE("announcer: the first request goes out before announce returns") {
  EventLoop loop;
  FakeSender sender;
  Announcer a(loop, sender);
  a.announce(vip(5, 200), kMac, false);
  CHECK(sender.sent.size() == 1);
}

TEST_CASE("announcer: announcing a VIP again restarts its schedule instead of adding one") {
  EventLoop loop;
  FakeSender sender;
  Announcer a(loop, sender);
  a.announce(vip(2, 40), kMac, false);
  a.announce(vip(2, 40), kMac, false);
  CHECK(a.active() == 1);
  run_until_idle(loop, a);
  CHECK(sender.sent.size() == 1 + 4);
}

TEST_CASE("announcer: cancel stops an announcement in progress") {
  EventLoop loop;
  FakeSender sender;
  Announcer a(loop, sender);
  a.announce(vip(3, 40), kMac, false);
  a.cancel(*IpAddress::parse("10.0.0.7"));
  CHECK(a.active() == 0);
  Timer wait(loop, [&loop] { loop.stop(); });
  wait.arm_after(milliseconds(150));
  (void)loop.run();
  CHECK(sender.sent.size() == 1);
}

TEST_CASE("announcer: frames that fail to go out are counted and the schedule goes on") {
  EventLoop loop;
  FakeSender sender;
  sender.fail = true;
  Announcer a(loop, sender);
  a.announce(vip(2, 20), kMac, false);
  run_until_idle(loop, a);
  CHECK(a.frames_failed() == 4);
  CHECK(a.active() == 0);
}
