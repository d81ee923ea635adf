// The StatusProvider and CommandSink once heartbeatd runs the ownership
// module (heartbeatd/ownership/ownership.h): the groups' owners and states
// and rscstatus from Ownership::snapshot(), standby/takeover into
// Ownership::standby()/takeover(), whose Actions heartbeatd executes as it
// executes every other Ownership output.
#pragma once

#include <functional>

#include "common/proto/control_messages.h"
#include "conf/config.h"
#include "heartbeatd/control/providers.h"
#include "heartbeatd/node/cluster_node.h"
#include "heartbeatd/ownership/ownership.h"

namespace vigil::control {

proto::control::GroupState group_state_of(ownership::GroupRunState s);
proto::control::RscStatus rscstatus_of(ownership::RscStatus s);

// Pure: replaces `reply`'s groups and rscstatus with what `snapshot` says
// and marks resource management active. An owner "peer" is named by the
// other node of ha.cf (v1 haresources clusters have two); "us" by ours.
void apply_ownership(proto::control::StatusReply& reply, const conf::Config& config,
                     const ownership::Snapshot& snapshot);

// The classes Ownership takes: hb_standby failback = foreign (§7.3);
// hb_takeover failback = local with the failback flag (ownership.h).
ownership::ClassBits standby_bits(proto::control::ResourceClass cls);
ownership::ClassBits takeover_bits(proto::control::ResourceClass cls);

class OwnershipStatus final : public StatusProvider {
 public:
  OwnershipStatus(const conf::Config& config, const node::ClusterNode& node,
                  const ownership::Ownership& ownership)
      : config_(config), node_(node), ownership_(ownership) {}
  proto::control::StatusReply status() override;

 private:
  const conf::Config& config_;
  const node::ClusterNode& node_;
  const ownership::Ownership& ownership_;
};

class OwnershipCommands final : public CommandSink {
 public:
  // Runs the Actions Ownership returns (send, log, resource requests).
  using Execute = std::function<void(ownership::Actions)>;

  OwnershipCommands(ownership::Ownership& ownership, Execute execute)
      : ownership_(ownership), execute_(std::move(execute)) {}

  // Accepted means handed to the standby protocol; like heartbeat's
  // hb_standby, whether the peer agreed shows in the log (§6.6).
  proto::control::CommandReply standby(proto::control::ResourceClass cls) override;
  proto::control::CommandReply takeover(proto::control::ResourceClass cls) override;

 private:
  ownership::Ownership& ownership_;
  Execute execute_;
};

}  // namespace vigil::control
