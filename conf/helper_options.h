// What the two root helpers (ipd, resourced) take on their command line
// beyond the common options (conf/options.h): who heartbeatd runs as, so
// only that user (and root) may connect to the helper's socket.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace vigil::conf {

inline constexpr const char* kDefaultHeartbeatUser = "hacluster";

struct HelperOptions {
  std::string heartbeat_user = kDefaultHeartbeatUser;  // --heartbeat-user NAME
  std::optional<std::string> heartbeat_group;          // --heartbeat-group NAME
  // resourced only (`program` "resourced"): the drbdadm that outdates a
  // DRBD resource for the peer's fence-peer handler (resourced/
  // drbd_outdater.h); unset: drbd-utils' path. Root's command line, like
  // the helper's own binary: never anything heartbeatd sends.
  std::optional<std::string> drbdadm;  // --drbdadm PATH
  // resourced only: where vigil.cf's fence agents are (resourced/
  // fence_agent_command.h); unset: /usr/sbin, where Debian's fence-agents
  // puts them. Tests point it at their own agent.
  std::optional<std::string> fence_agent_dir;  // --fence-agent-dir DIR
};

// Parses what parse_common_options left over (CommonOptions::rest).
// `program` names the binary in the error ("see ipd --help").
Result<HelperOptions> parse_helper_options(const std::vector<std::string>& rest,
                                           const std::string& program);

}  // namespace vigil::conf
