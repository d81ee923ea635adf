#include <catch2/catch.hpp>

#include "heartbeatd/control/ownership_status.h"

using namespace vigil;
namespace c = vigil::proto::control;

namespace {

conf::Config two_node_config() {
  conf::Config cfg;
  cfg.local_node = "node1";
  cfg.ha_cf.nodes = {"node1", "node2"};
  for (const char* home : {"node1", "node2"}) {
    conf::ResourceGroup g;
    g.node = home;
    conf::Resource r;
    r.text = std::string("192.0.2.") + (home[4] == '1' ? "10" : "20");
    r.name = "IPaddr";
    g.resources.push_back(r);
    cfg.groups.push_back(g);
  }
  return cfg;
}

c::StatusReply membership_only() {
  c::StatusReply r;
  r.local_node = "node1";
  r.groups = {{"192.0.2.10", "node1", "unknown", c::GroupState::kUnknown}};
  return r;
}

}  // namespace

TEST_CASE("ownership status: owners are named by node, the peer by the other ha.cf node") {
  ownership::Snapshot snap;
  snap.rscstatus = ownership::RscStatus::kAll;
  snap.groups = {
      {"192.0.2.10", "node1", ownership::Owner::kUs, ownership::GroupRunState::kRunning},
      {"192.0.2.20", "node2", ownership::Owner::kPeer, ownership::GroupRunState::kStopped}};
  auto reply = membership_only();
  control::apply_ownership(reply, two_node_config(), snap);
  CHECK(reply.resource_management);
  CHECK(reply.rscstatus == c::RscStatus::kAll);
  REQUIRE(reply.groups.size() == 2);
  CHECK(reply.groups[0] == c::GroupInfo{"192.0.2.10", "node1", "node1", c::GroupState::kRunning});
  CHECK(reply.groups[1] == c::GroupInfo{"192.0.2.20", "node2", "node2", c::GroupState::kStopped});
}

TEST_CASE("ownership status: nobody and in-transition owners get their words") {
  ownership::Snapshot snap;
  snap.rscstatus = ownership::RscStatus::kTransition;
  snap.groups = {
      {"a", "node1", ownership::Owner::kNone, ownership::GroupRunState::kStopFailed},
      {"b", "node2", ownership::Owner::kInTransition, ownership::GroupRunState::kStarting}};
  auto reply = membership_only();
  control::apply_ownership(reply, two_node_config(), snap);
  CHECK(reply.rscstatus == c::RscStatus::kTransition);
  CHECK(reply.groups[0].owner == "none");
  CHECK(reply.groups[0].state == c::GroupState::kStopFailed);
  CHECK(reply.groups[1].owner == "transition");
}

TEST_CASE("ownership status: standby failback means foreign (hb_standby)") {
  CHECK(control::standby_bits(c::ResourceClass::kFailback) == ownership::kForeign);
  CHECK(control::standby_bits(c::ResourceClass::kLocal) == ownership::kLocal);
  CHECK(control::standby_bits(c::ResourceClass::kAll) == ownership::kAll);
}

TEST_CASE("ownership status: takeover failback takes our home groups (local)") {
  CHECK(control::takeover_bits(c::ResourceClass::kFailback) == ownership::kLocal);
  CHECK(control::takeover_bits(c::ResourceClass::kForeign) == ownership::kForeign);
}

TEST_CASE("ownership status: every class word cl_status prints comes from the control vocabulary") {
  // ownership::RscStatus has no words of its own: cl_status and vigilctl
  // print it through rscstatus_of and the control vocabulary.
  using O = ownership::RscStatus;
  CHECK(c::rscstatus_word(control::rscstatus_of(O::kNone)) == "none");
  CHECK(c::rscstatus_word(control::rscstatus_of(O::kLocal)) == "local");
  CHECK(c::rscstatus_word(control::rscstatus_of(O::kForeign)) == "foreign");
  CHECK(c::rscstatus_word(control::rscstatus_of(O::kAll)) == "all");
  CHECK(c::rscstatus_word(control::rscstatus_of(O::kTransition)) == "transition");
}
