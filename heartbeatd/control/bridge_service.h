// The control socket backed by heartbeatd's ResourceBridge: status shows
// membership (ClusterNode) plus the groups' owners and rscstatus from the
// ownership module once the start-up survey has built it; standby and
// takeover go to the bridge, which runs what the module decides; events
// come from the event timeline.
#pragma once

#include <memory>

#include "common/event_loop.h"
#include "common/result.h"
#include "common/unique_fd.h"
#include "conf/config.h"
#include "heartbeatd/control/control_service.h"
#include "heartbeatd/node/cluster_node.h"
#include "heartbeatd/node/resource_bridge.h"
#include "heartbeatd/observe/event_timeline.h"

namespace vigil::control {

// nullptr when `listening` is an error (logged; heartbeatd runs on).
std::unique_ptr<ControlService> start_bridge_control_service(
    EventLoop& loop, Result<UniqueFd> listening, const conf::Config& config,
    const node::ClusterNode& node, node::ResourceBridge& bridge,
    const observe::EventTimeline& timeline);

}  // namespace vigil::control
