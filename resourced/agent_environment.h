// The environment every resource agent runs with: what heartbeat gave its
// scripts (heartbeat-compat.md §1) and nothing of resourced's own
// environment. A script sees the same variables under vigil as under
// heartbeat, and cannot be steered by whatever environment resourced was
// started with.
#pragma once

#include <string>
#include <vector>

#include "conf/config.h"

namespace vigil::resourced {

// PATH for agents: fixed, never inherited.
inline constexpr const char* kAgentPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// "NAME=value" entries, in this order:
//   PATH=kAgentPath
//   HA_DIR=<config dir>, HA_FUNCS=<config dir>/shellfuncs,
//   HA_DATEFMT=%Y/%m/%d_%T<TAB>, OCF_ROOT=<ocf_root>,
//   HA_LOGFILE / HA_DEBUGLOG (when ha.cf names them),
//   HA_LOGFACILITY (when set and not "none"),
//   HA_CURHOST=<local node, lower-case>, HA_debug=<n> (when debug > 0),
//   HA_LOGD=yes|no, HA_NICEFAILBACK=yes (auto_failback on or off),
//   then HA_NAME=value for each `env NAME=value` line of ha.cf, in order.
// No locale variable is set, so scripts print the untranslated texts the
// ownership test (§3.3) reads — as under heartbeat, started from init.
std::vector<std::string> agent_environment(const conf::Config& config,
                                           const std::string& ocf_root = "/usr/lib/ocf");

}  // namespace vigil::resourced
