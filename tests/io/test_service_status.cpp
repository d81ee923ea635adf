#include <catch2/catch.hpp>

#include "heartbeatd/io/service_status.h"

using namespace vigil;
namespace ctl = vigil::proto::control;

namespace {

ctl::StatusReply two_nodes(ctl::NodeStatus local, ctl::NodeStatus peer) {
  ctl::StatusReply r;
  r.local_node = "node1";
  r.local_status = local;
  r.nodes = {{"node1", ctl::NodeType::kNormal, local, {}, ""},
             {"node2", ctl::NodeType::kNormal, peer, {}, ""}};
  return r;
}

ctl::GroupInfo group(std::string key, ctl::GroupState state) {
  return {std::move(key), "node1", "node1", state};
}

}  // namespace

TEST_CASE("service status: names the local node, each peer and the groups held") {
  auto r = two_nodes(ctl::NodeStatus::kActive, ctl::NodeStatus::kActive);
  r.resource_management = true;
  r.groups = {group("IPaddr2::10.0.0.100/24/eth1", ctl::GroupState::kRunning)};
  CHECK(io::service_status_line(r) == "node1 active; peers: node2 active; groups held: 1 of 1");
}

TEST_CASE("service status: a dead peer and groups on their way are shown") {
  auto r = two_nodes(ctl::NodeStatus::kUp, ctl::NodeStatus::kDead);
  r.resource_management = true;
  r.groups = {group("a", ctl::GroupState::kStarting), group("b", ctl::GroupState::kStopped),
              group("c", ctl::GroupState::kFailed)};
  CHECK(io::service_status_line(r) ==
        "node1 up; peers: node2 dead; groups held: 0 of 3 (1 starting, 1 failed)");
}

TEST_CASE("service status: before the survey the groups are not counted") {
  auto r = two_nodes(ctl::NodeStatus::kInit, ctl::NodeStatus::kInit);
  r.resource_management = false;
  r.groups = {group("a", ctl::GroupState::kUnknown)};
  CHECK(io::service_status_line(r) == "node1 init; peers: node2 init; groups: survey in progress");
}

TEST_CASE("service status: ping nodes are not peers; a lone node says so") {
  ctl::StatusReply r;
  r.local_node = "node1";
  r.local_status = ctl::NodeStatus::kActive;
  r.nodes = {{"node1", ctl::NodeType::kNormal, ctl::NodeStatus::kActive, {}, ""},
             {"10.0.0.254", ctl::NodeType::kPing, ctl::NodeStatus::kPing, {}, ""}};
  CHECK(io::service_status_line(r) == "node1 active; peers: none; no resource groups");
}
