// Pure translations between the ownership module's resource vocabulary
// (heartbeatd/ownership/actions.h) and the helpers' wire vocabularies
// (common/proto/ipd_messages.h, resourced_messages.h).
#pragma once

#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "common/proto/ipd_messages.h"
#include "common/proto/resourced_messages.h"
#include "conf/config.h"
#include "heartbeatd/ownership/actions.h"

namespace vigil::engine {

proto::ResourcePlace place_of(const ownership::ResourceRequest& request);
proto::resourced::Op resourced_op(ownership::ResourceOp op);

// AddVip/RemoveVip: kOk → kOk; kFailed and kRefused → kFailed.
ownership::ResourceOutcome ipd_outcome(const proto::ipd::Result& result);
// A status asked of ipd, answered from its VipList: present → kRunning,
// absent → kStopped, not listed (not an IP entry of ipd's config) → kFailed.
ownership::ResourceOutcome ipd_status(const proto::ipd::VipList& list,
                                      const proto::ResourcePlace& place);
// start/stop: kOk → kOk, anything else (failed, timeout, refused) →
// kFailed. status: kOk → the agent's RunState (kRunning / kStopped; unknown
// → kFailed), anything else → kFailed ("could not tell").
ownership::ResourceOutcome resourced_outcome(ownership::ResourceOp op,
                                             const proto::resourced::Reply& reply);

// (group, position) of every resource found running at heartbeatd start.
using RunningSet = std::set<std::pair<int, int>>;

// OwnershipParams::held_at_start from what the helpers reported. A group
// counts as held if ANY of its resources runs (ownership.h: a later release
// then stops whatever runs; a partial holding is a holding, never silently
// forgotten). When nothing runs at all the answer is nullopt: a fresh start,
// which must announce `starting` and negotiate (§6.3), not a restart.
std::optional<std::vector<bool>> held_at_start(const conf::Config& config,
                                               const RunningSet& running);

}  // namespace vigil::engine
