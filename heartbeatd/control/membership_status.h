// The status reply's membership part, built from a core snapshot: nodes,
// links, ping nodes, receive counters and the groups as the configuration
// names them. bridge_service.cpp adds the ownership and health parts.
#pragma once

#include "common/proto/control_messages.h"
#include "conf/config.h"
#include "heartbeatd/core/snapshot.h"
#include "heartbeatd/node/cluster_node.h"

namespace vigil::control {

// Pure: the status from a membership snapshot, the receive counters, the
// bad packets per sender and the configuration. Groups have owner
// "unknown" until apply_ownership (ownership_status.h) fills them in.
proto::control::StatusReply status_from(const conf::Config& config, const core::Snapshot& snapshot,
                                        const node::ReceiveCounters& counters,
                                        const std::vector<node::BadPacketSource>& bad_sources = {},
                                        const node::PeerConfigCheck* config_check = nullptr);

proto::control::NodeStatus node_status_of(const core::NodeSnapshot& node);

}  // namespace vigil::control
