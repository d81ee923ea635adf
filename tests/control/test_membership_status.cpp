#include <catch2/catch.hpp>

#include "heartbeatd/control/membership_status.h"

using namespace vigil;
namespace c = vigil::proto::control;

namespace {

conf::Config config_with_group() {
  conf::Config cfg;
  cfg.local_node = "node1";
  conf::ResourceGroup g;
  g.node = "node2";
  conf::Resource r;
  r.text = "192.0.2.10";
  g.resources.push_back(r);
  cfg.groups.push_back(g);
  return cfg;
}

core::Snapshot two_nodes() {
  core::Snapshot s;
  s.local_node = "node1";
  s.local_status = core::LocalStatus::kActive;
  core::NodeSnapshot me;
  me.name = "node1";
  me.local = true;
  me.status = "active";
  core::NodeSnapshot peer;
  peer.name = "node2";
  peer.status = "active";
  peer.links = {{"eth1", true, {}}};
  s.nodes = {me, peer};
  s.counters.replay_drops = 7;
  return s;
}

}  // namespace

TEST_CASE("membership status: nodes, links and counters come from the core snapshot") {
  node::ReceiveCounters rc{10, 2, 3};
  const auto st = control::status_from(config_with_group(), two_nodes(), rc);
  CHECK(st.local_node == "node1");
  CHECK(st.local_status == c::NodeStatus::kActive);
  REQUIRE(st.nodes.size() == 2);
  CHECK(st.nodes[1].status == c::NodeStatus::kActive);
  CHECK(st.nodes[1].links == std::vector<c::LinkStatus>{{"eth1", true}});
  CHECK(st.counters.replay_drops == 7);
  CHECK(st.counters.unauthenticated == 3);
  CHECK(st.counters.accepted == 10);
}

TEST_CASE("membership status: a timed-out peer shows dead whatever it last advertised") {
  auto snap = two_nodes();
  snap.nodes[1].dead = true;
  const auto st = control::status_from(config_with_group(), snap, {});
  CHECK(st.nodes[1].status == c::NodeStatus::kDead);
}

TEST_CASE("membership status: groups show owner unknown until ownership fills them in") {
  const auto st = control::status_from(config_with_group(), two_nodes(), {});
  CHECK_FALSE(st.resource_management);
  REQUIRE(st.groups.size() == 1);
  CHECK(st.groups[0] == c::GroupInfo{"192.0.2.10", "node2", "unknown", c::GroupState::kUnknown});
}

TEST_CASE("membership status: the reply it builds encodes") {
  CHECK(c::encode(control::status_from(config_with_group(), two_nodes(), {})));
}
