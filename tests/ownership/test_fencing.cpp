// Fencing before takeover (heartbeatd/ownership/fencing.cpp, §6.4): with a
// STONITH device in ha.cf, nothing of a dead node that may hold its groups
// starts here until its reset is confirmed; failures retry every 5 s with
// heartbeat's line; a node that comes back ends the wait without a takeover.
#include <algorithm>
#include <catch2/catch.hpp>

#include "harness.h"

using namespace vigil;
using namespace vigil::ownership;
using namespace vigil::ownership::test;
using K = core::EventKind;
using P = conf::AutoFailback;

namespace {

conf::Config fenced_config(const std::string& local, const std::string& stonith_host) {
  conf::Config c = seed_config(local, P::kOn);
  c.ha_cf.stonith_host.push_back(stonith_host);
  return c;
}

// node2, peer node1 alive and holding its group, then declared dead.
Rig node2_with_dead_node1(conf::Config config) {
  Rig r(std::move(config));
  r.comm_up_with_peer("node1");
  r.deliver("node1",
            msg({{"t", "resource"}, {"rsc_hold", "local"}, {"rtype", "full"}, {"isstable", "1"}}));
  r.clear();
  r.event(K::kNodeDead, "node1");
  return r;
}

Rig node2_with_dead_node1(const std::string& stonith_host = "* external/ipmi node1 10.0.0.9") {
  return node2_with_dead_node1(fenced_config("node2", stonith_host));
}

// vigil.cf's fence_agent line `line` (issue 14), and ha.cf's `stonith_host` if any.
conf::Config agent_config(const std::string& line, const std::string& stonith_host = {}) {
  conf::Config c = seed_config("node2", P::kOn);
  if (!stonith_host.empty()) c.ha_cf.stonith_host.push_back(stonith_host);
  conf::FenceAgent a;
  REQUIRE(conf::parse_fence_agent(line, a).empty());
  c.vigil_cf.fence_agents.push_back(a);
  return c;
}

bool started_anything(const Rig& r) {
  for (const auto& q : r.helpers.seen)
    if (q.op == ResourceOp::kStart) return true;
  return false;
}

}  // namespace

TEST_CASE("fencing: a dead node that may hold its groups is reset before any takeover") {
  Rig r = node2_with_dead_node1();
  REQUIRE(r.fences.size() == 1);
  CHECK(r.fences[0].node == "node1");
  CHECK(r.fences[0].node_index == 0);
  CHECK(r.logged("Resetting node node1 with [external/ipmi]"));
  CHECK_FALSE(r.logged("No STONITH device configured."));
  CHECK_FALSE(started_anything(r));
  CHECK(r.own.fencing("node1"));

  r.apply(r.own.on_fence_result(r.fences[0].request_id, true, r.now));
  CHECK(in_order(r.texts(), {"Resetting node node1 with [external/ipmi]", "node node1 now reset.",
                             "Resources being acquired from node1.",
                             "Taking over resource group 192.168.1.5"}));
  auto stonith = r.sent_of("stonith");
  REQUIRE(stonith.size() == 1);
  CHECK(stonith[0].get_or("result", "") == "OK");
  CHECK(stonith[0].get_or("node", "") == "node1");
  CHECK(started_anything(r));
  CHECK_FALSE(r.own.fencing("node1"));
}

TEST_CASE("fencing: a failed reset retries every 5 s with heartbeat's line and takes nothing") {
  Rig r = node2_with_dead_node1();
  REQUIRE(r.fences.size() == 1);
  r.apply(r.own.on_fence_result(r.fences[0].request_id, false, r.now));
  CHECK(r.logged("STONITH of node1 failed.  Retrying..."));
  CHECK(r.own.next_deadline() == r.now + Ownership::kStonithRetry);
  r.tick(4s);
  CHECK(r.fences.size() == 1);
  r.tick(1s);
  REQUIRE(r.fences.size() == 2);  // asked again, with a new id
  CHECK(r.fences[1].request_id != r.fences[0].request_id);
  // A late answer to the first request is ignored.
  r.apply(r.own.on_fence_result(r.fences[0].request_id, true, r.now));
  CHECK_FALSE(r.logged("node node1 now reset."));
  r.apply(r.own.on_fence_result(r.fences[1].request_id, false, r.now));
  r.tick(30s);  // minutes of a dead device: still nothing taken over
  CHECK_FALSE(started_anything(r));
  CHECK_FALSE(r.logged("Resources being acquired from node1."));
  const auto texts = r.texts();
  const auto failed =
      std::count(texts.begin(), texts.end(), std::string("STONITH of node1 failed.  Retrying..."));
  CHECK(failed >= 2);
  // The device answers at last: the takeover follows.
  r.apply(r.own.on_fence_result(r.fences.back().request_id, true, r.now));
  CHECK(r.logged("node node1 now reset."));
  CHECK(started_anything(r));
}

TEST_CASE("fencing: the node coming back ends the wait without a takeover") {
  Rig r = node2_with_dead_node1();
  REQUIRE(r.fences.size() == 1);
  r.event(K::kNodeUp, "node1");
  CHECK_FALSE(r.own.fencing("node1"));
  CHECK(r.logged("Node node1 is alive again: STONITH cancelled, its resources are not taken over"));
  r.apply(r.own.on_fence_result(r.fences[0].request_id, true, r.now));
  CHECK_FALSE(r.logged("node node1 now reset."));
  CHECK_FALSE(started_anything(r));
  const auto next = r.own.next_deadline();
  CHECK_FALSE((next.has_value() && *next == r.now + Ownership::kStonithRetry));
}

TEST_CASE("fencing: only a graceful exit (shutdone) spares the reset (§6.4, §6.7)") {
  Rig r(fenced_config("node2", "* external/ipmi node1"));
  r.comm_up_with_peer("node1");
  r.deliver("node1", msg({{"t", "shutdone"}}));
  r.event(K::kNodeDead, "node1");
  CHECK(r.fences.empty());
  CHECK(r.logged("Dead node node1 gave up resources."));

  // A report of "none" is not enough: the node may take its groups next.
  Rig said_none(fenced_config("node2", "* external/ipmi node1"));
  said_none.comm_up_with_peer("node1");
  said_none.deliver(
      "node1",
      msg({{"t", "resource"}, {"rsc_hold", "none"}, {"rtype", "full"}, {"isstable", "1"}}));
  said_none.event(K::kNodeDead, "node1");
  CHECK(said_none.fences.size() == 1);
  CHECK_FALSE(said_none.logged("Dead node node1 gave up resources."));
}

TEST_CASE("fencing: another node's stonith_host line is no device of ours") {
  Rig r = node2_with_dead_node1("node1 external/ipmi node2 10.0.0.8");
  CHECK(r.fences.empty());
  CHECK(r.logged("No STONITH device configured."));
  CHECK(started_anything(r));
}

TEST_CASE("fencing: a fence_agent line for the dead node fences it, ahead of ha.cf's devices") {
  Rig r = node2_with_dead_node1(
      agent_config("node1 fence_ipmilan ip=10.0.0.9", "* external/ipmi node1 10.0.0.9"));
  REQUIRE(r.fences.size() == 1);
  CHECK(r.fences[0].node_index == 0);
  CHECK(r.logged("Resetting node node1 with [fence_ipmilan]"));
  CHECK_FALSE(started_anything(r));
  r.apply(r.own.on_fence_result(r.fences[0].request_id, true, r.now));
  CHECK(in_order(r.texts(), {"node node1 now reset.", "Resources being acquired from node1."}));
}

TEST_CASE("fencing: a fence_agent line for another node is no way to fence the dead one") {
  Rig r = node2_with_dead_node1(agent_config("node2 fence_ipmilan ip=10.0.0.8"));
  CHECK(r.fences.empty());
  CHECK(r.logged("No STONITH device configured."));
  CHECK(started_anything(r));
}
