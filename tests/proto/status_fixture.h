// A StatusReply the rendering and cl_status tests share: two normal nodes
// (node2 dead on eth1), one ping node, two groups.
#pragma once

#include "common/proto/control_messages.h"

namespace vigil::testing {

inline proto::control::StatusReply sample_status() {
  namespace c = proto::control;
  c::StatusReply s;
  s.local_node = "node1";
  s.local_status = c::NodeStatus::kActive;
  s.resource_management = true;
  s.rscstatus = c::RscStatus::kLocal;
  s.nodes = {
      {"node1", c::NodeType::kNormal, c::NodeStatus::kActive, {{"eth1", true}, {"eth2", true}},
       ""},
      {"node2", c::NodeType::kNormal, c::NodeStatus::kUp, {{"eth1", false}, {"eth2", true}},
       "0123456789abcdef"},
      {"192.0.2.254", c::NodeType::kPing, c::NodeStatus::kPing, {{"192.0.2.254", true}}, ""},
  };
  s.groups = {
      {"192.0.2.10", "node1", "node1", c::GroupState::kRunning},
      {"IPaddr::192.0.2.11/24", "node2", "node2", c::GroupState::kStopped},
  };
  s.counters = {100, 1, 2, 3, 4, 5, 6, 7};
  s.bad_packet_sources = {{"192.0.2.99", 1, 2, 0}, {"other", 0, 0, 7}};
  s.config_digest = "0123456789abcdef";  // node2 sent the same
  return s;
}

}  // namespace vigil::testing
