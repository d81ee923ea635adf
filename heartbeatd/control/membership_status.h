// heartbeatd's StatusProvider and CommandSink until the ownership module
// (heartbeatd/ownership/) is wired into heartbeatd's main loop.
//
// SEAM(ownership): membership (nodes, links, counters) comes from the
// ClusterNode; the resource groups come from the configuration with owner
// "unknown" and state unknown, rscstatus "none", and standby/takeover are
// answered "resource management not active yet". When heartbeatd runs the
// Ownership module, its main calls the start_control_service overload that
// takes the Ownership (control_service.h, ownership_status.h) instead.
#pragma once

#include "common/proto/control_messages.h"
#include "conf/config.h"
#include "heartbeatd/control/providers.h"
#include "heartbeatd/core/snapshot.h"
#include "heartbeatd/node/cluster_node.h"

namespace vigil::control {

// Pure: the status from a membership snapshot, the receive counters, the
// bad packets per sender and the configuration. Ping nodes are not
// tracked by the core yet and are left out.
proto::control::StatusReply status_from(const conf::Config& config, const core::Snapshot& snapshot,
                                        const node::ReceiveCounters& counters,
                                        const std::vector<node::BadPacketSource>& bad_sources = {},

                                        const node::PeerConfigCheck* config_check = nullptr);

proto::control::NodeStatus node_status_of(const core::NodeSnapshot& node);

class MembershipStatus final : public StatusProvider {
 public:
  MembershipStatus(const conf::Config& config, const node::ClusterNode& node)
      : config_(config), node_(node) {}
  proto::control::StatusReply status() override;

 private:
  const conf::Config& config_;
  const node::ClusterNode& node_;
};

inline constexpr std::string_view kNotActiveYet = "resource management not active yet";

// Refuses every command with kNotActiveYet.
class InactiveCommandSink final : public CommandSink {
 public:
  proto::control::CommandReply standby(proto::control::ResourceClass) override {
    return {false, std::string(kNotActiveYet)};
  }
  proto::control::CommandReply takeover(proto::control::ResourceClass) override {
    return {false, std::string(kNotActiveYet)};
  }
};

}  // namespace vigil::control
