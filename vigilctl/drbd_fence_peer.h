// drbd-fence-peer: DRBD's fence-peer handler for vigil clusters (issue 14),
// what heartbeat's /usr/lib/heartbeat/drbd-peer-outdater was with dopd.
// drbd.conf:
//
//   handlers { fence-peer "/usr/lib/vigil/drbd-fence-peer"; }
//   disk     { fencing resource-only; }
//
// DRBD runs it as root with DRBD_RESOURCE (and DRBD_PEER in 8.3, DRBD_PEERS
// in 8.4 and later) in the environment. It asks the local heartbeatd over
// the control socket (OutdatePeerRequest), which has the peer's heartbeatd
// run `drbdadm outdate` there (heartbeatd/engine/peer_outdate.h), and exits
// with DRBD's fence-peer code: 3 peer inconsistent, 4 peer outdated, 5 peer
// unreachable, 6 peer primary; 1 when vigil could not say (heartbeatd not
// running, the resource not a drbddisk::NAME of haresources), which DRBD
// reads as a broken handler and never as a fenced peer.
//
// Options, as drbd-peer-outdater took them so an existing fence-peer line
// keeps working: -t SECONDS (how long the peer has to answer, default 5,
// at most 25), -r RESOURCE (instead of DRBD_RESOURCE), -p PEER (instead of
// DRBD_PEER/DRBD_PEERS).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/proto/control_messages.h"
#include "common/result.h"

namespace vigil::ctl {

inline constexpr int kFencePeerBroken = 1;

// The request from the handler's arguments (after the common options) and
// its environment (`env(name)`: the variable, or nullopt when unset).
using EnvLookup = std::function<std::optional<std::string>(const char* name)>;
Result<proto::control::OutdatePeerRequest> parse_fence_peer(const std::vector<std::string>& args,
                                                            const EnvLookup& env);

}  // namespace vigil::ctl
