// The status reply's ownership part (the groups' owners and states, rscstatus
// from Ownership::snapshot()) and the resource classes hb_standby and
// hb_takeover name, as the ownership module takes them.
#pragma once

#include "common/proto/control_messages.h"
#include "conf/config.h"
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

}  // namespace vigil::control
