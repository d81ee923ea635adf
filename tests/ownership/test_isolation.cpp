// The isolated node's walks (heartbeatd/ownership/isolation.cpp; the
// decision is heartbeatd/engine/isolation.h): release every group and hold
// nothing; take everything back when reachable again with the peer dead.
#include <catch2/catch.hpp>

#include "harness.h"

using namespace vigil;
using namespace vigil::ownership;
using namespace vigil::ownership::test;
using K = core::EventKind;
using P = conf::AutoFailback;

TEST_CASE("isolation: release stops every group here and says it holds nothing") {
  // A lone node1: node2 dead before comm up, so node1 runs both groups.
  Rig r(seed_config("node1", P::kOn, {"node2 192.168.1.6 mysql"}));
  r.event(K::kNodeDead, "node2");
  r.event(K::kCommUp);
  REQUIRE(r.own.walker().running(0));
  REQUIRE(r.own.walker().running(1));
  r.clear();
  r.apply(r.own.release_isolated(r.now));
  CHECK_FALSE(r.own.walker().running(0));
  CHECK_FALSE(r.own.walker().running(1));
  CHECK(r.own.i_hold() == kNone);
  CHECK(r.logged("All resource groups released (isolated)."));
  auto res = r.sent_of("resource");
  REQUIRE_FALSE(res.empty());
  CHECK(res.back().get_or("rsc_hold", "") == "none");

  // Reachable again with node2 still dead: everything comes back here.
  r.clear();
  r.apply(r.own.end_isolation(r.now));
  CHECK(r.own.walker().running(0));
  CHECK(r.own.walker().running(1));
  CHECK(r.own.i_hold() == kAll);
  CHECK(r.logged("Taking every resource group back: the peer is still dead."));
}

TEST_CASE("isolation: with the peer back, end_isolation leaves it to the healed partition") {
  Rig r(seed_config("node1", P::kOn));
  r.comm_up_with_peer();
  r.deliver("node2",
            msg({{"t", "resource"}, {"rsc_hold", "none"}, {"rtype", "full"}, {"isstable", "1"}}));
  r.apply(r.own.release_isolated(r.now));
  r.clear();
  r.apply(r.own.end_isolation(r.now));  // node2 is alive: §6.8 and the audit decide
  CHECK(r.helpers.seen.empty());
  CHECK(r.own.i_hold() == kNone);
}
