// Membership from corosync (heartbeatd/core/external_membership.cpp): deaths
// come from the agreed membership, never from a timeout; a heartbeatd gone
// from a node still in the ring is dead only after the helpers' lease.
#include <catch2/catch.hpp>

#include "tests/core/core_fixture.h"

using namespace vigil;
using namespace vigil::core;
using namespace vigil::core::testing;

namespace {

CoreParams external(Duration grace = Duration::zero()) {
  CoreParams p{1, 1, 1};
  p.external_membership = true;
  p.leave_grace = grace;
  return p;
}

}  // namespace

TEST_CASE("external membership: silence is not death; leaving the group is", "[core][external]") {
  auto config = make_config({"node1", "node2"});
  Core core(config, external());
  core.start(t0());
  (void)core.on_membership({"node1", "node2"}, {"node1", "node2"}, t0());
  core.on_message(messages::decode(status_msg(PeerMsg{"node2", 5, 1}, "active", 3000)), "cpg",
                  t0());
  auto quiet = run_until(core, t0() + 60s);
  CHECK_FALSE(has_log(quiet, "node node2: is dead"));
  CHECK(core.comm_up());
  auto left = core.on_membership({"node1"}, {"node1"}, t0() + 61s);
  CHECK(has_log(left, "node node2: is dead"));
  CHECK(events(left, EventKind::kNodeDead).size() == 1);
}

TEST_CASE("external membership: before comm up an absent node gets initdead", "[core][external]") {
  auto config = make_config({"node1", "node2"});
  Core core(config, external());
  core.start(t0());
  auto a = core.on_membership({"node1"}, {"node1"}, t0());
  CHECK_FALSE(has_log(a, "node node2: is dead"));
  auto b = run_until(core, t0() + config.ha_cf.initdead + 1s);
  CHECK(has_log(b, "node node2: is dead"));
  CHECK(core.comm_up());
}

TEST_CASE("external membership: a heartbeatd gone from a ring member waits for the lease",
          "[core][external]") {
  auto config = make_config({"node1", "node2"});
  Core core(config, external(1s));
  core.start(t0());
  (void)core.on_membership({"node1", "node2"}, {"node1", "node2"}, t0());
  core.on_message(messages::decode(status_msg(PeerMsg{"node2", 5, 1}, "active", 3000)), "cpg",
                  t0());
  auto left = core.on_membership({"node1"}, {"node1", "node2"}, t0() + 1s);
  CHECK_FALSE(has_log(left, "node node2: is dead"));
  SECTION("not back within the lease: dead") {
    auto later = run_until(core, t0() + 2s + 1ms);
    CHECK(has_log(later, "node node2: is dead"));
  }
  SECTION("back within the lease: nothing happened") {
    (void)core.on_membership({"node1", "node2"}, {"node1", "node2"}, t0() + 1500ms);
    auto later = run_until(core, t0() + 5s);
    CHECK_FALSE(has_log(later, "node node2: is dead"));
  }
}
