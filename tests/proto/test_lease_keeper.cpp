// LeaseKeeper (common/proto/lease_keeper.h): the lease on a real event loop.
#include <catch2/catch.hpp>
#include <chrono>
#include <functional>

#include "common/clock.h"
#include "common/event_loop.h"
#include "common/proto/lease_keeper.h"
#include "common/timer.h"

using namespace vigil;
using namespace std::chrono_literals;

namespace {

const proto::LeaseWords kWords{"ipd", "virtual IPs", "removing all virtual IPs",
                               "virtual IPs removed"};

// Runs `loop` for `span`, however many callbacks it has.
void run_for(EventLoop& loop, Duration span) {
  const MonoTime end = MonoClock::now() + span;
  Timer tick(loop, [] {});
  while (MonoClock::now() < end) {
    tick.arm_after(5ms);
    (void)loop.run_once();
  }
}

}  // namespace

TEST_CASE("lease keeper: a lease nobody claims expires once, a lease after the helper's start") {
  EventLoop loop;
  int expired = 0;
  proto::LeaseKeeper lease(loop, "ipd.sock", 100ms, kWords, [&] { ++expired; }, {});
  run_for(loop, 50ms);
  CHECK(expired == 0);
  run_for(loop, 200ms);
  CHECK(expired == 1);
  CHECK(lease.status_text() == "heartbeatd not connected; lease expired, virtual IPs removed");
}

TEST_CASE("lease keeper: while a connection holds the lease it never expires") {
  EventLoop loop;
  int expired = 0;
  int changes = 0;
  proto::LeaseKeeper lease(
      loop, "ipd.sock", 100ms, kWords, [&] { ++expired; }, [&] { ++changes; });
  lease.on_hello("pid 1 uid 0", 100);
  CHECK(lease.held());
  CHECK(changes == 1);
  run_for(loop, 250ms);
  CHECK(expired == 0);
  CHECK(lease.status_text() == "heartbeatd connected, lease 100 ms");
}

TEST_CASE("lease keeper: the clock starts when the last holder leaves, with the last lease") {
  EventLoop loop;
  int expired = 0;
  proto::LeaseKeeper lease(loop, "ipd.sock", 100ms, kWords, [&] { ++expired; }, {});
  lease.on_hello("pid 1 uid 0", 100);
  lease.on_hello("pid 2 uid 0", 100);
  lease.on_lease(300);
  lease.on_holder_gone("pid 1 uid 0");
  run_for(loop, 150ms);
  CHECK(expired == 0);  // one holder is still connected
  lease.on_holder_gone("pid 2 uid 0");
  CHECK_FALSE(lease.held());
  CHECK(lease.status_text() == "heartbeatd not connected; lease of 300 ms running");
  run_for(loop, 150ms);
  CHECK(expired == 0);  // 300 ms, not the 100 ms of the Hello
  run_for(loop, 300ms);
  CHECK(expired == 1);
}
