// The control socket backed by heartbeatd's ClusterNode and its engine:
// status shows membership plus the groups' owners and rscstatus from the
// ownership module once the start-up survey has built it; standby and
// takeover are inputs to the engine, run by the node's executor; events
// and metrics come from the event timeline, the membership, the groups and
// the helper connections (only those started: a cluster without groups
// runs no ipd).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "common/result.h"
#include "common/unique_fd.h"
#include "conf/config.h"
#include "heartbeatd/control/control_service.h"
#include "heartbeatd/helpers/helper_client.h"
#include "heartbeatd/node/cluster_node.h"
#include "heartbeatd/observe/event_timeline.h"

namespace vigil::control {

// A root helper heartbeatd talks to, by the name the metrics give it.
struct NamedHelper {
  std::string name;  // "ipd", "resourced"
  const helpers::HelperClient* client = nullptr;
};

// nullptr when `listening` is an error (logged; heartbeatd runs on).
// `read_only` (status.sock, open_status_socket) is served too; an error
// there is logged and only that socket is missing.
std::unique_ptr<ControlService> start_bridge_control_service(
    EventLoop& loop, Result<UniqueFd> listening, const conf::Config& config,
    node::ClusterNode& node, const observe::EventTimeline& timeline,
    std::vector<NamedHelper> helpers, Result<UniqueFd> read_only);

// What `vigilctl status` shows, and systemd's STATUS= line is made of: built
// here once for both.
proto::control::StatusReply node_status(const conf::Config& config, const node::ClusterNode& node);

}  // namespace vigil::control
