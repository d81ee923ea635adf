// What a `respawn USER /path [args]` line of ha.cf (heartbeat-compat.md
// §2.4 respawn) becomes in vigil. heartbeat ran any program there; two of
// them were clients of heartbeat's own API (§7.5), which vigil does not
// serve, so running them would only make them fail in a loop:
//
// - heartbeat's ipfail (§8.2), any path ending in `heartbeat/ipfail`
//   (/usr/lib/heartbeat/ipfail, /usr/lib64/heartbeat/ipfail,
//   /usr/libexec/heartbeat/ipfail): not run; it enables the ipfail built
//   into heartbeatd's engine (heartbeatd/engine/ipfail.h), silently, as
//   the line did in heartbeat.
// - DRBD's dopd (drbd-utils' /usr/lib/heartbeat/dopd, §7.5): accepted with
//   a warning naming what to use instead.
// - anything else is a program vigil runs (resourced's RespawnSupervisor),
//   with heartbeat's checks on its user and executable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "conf/config.h"

namespace vigil::conf {

enum class RespawnRole {
  kProgram,          // run as the named user, restarted when it exits
  kHeartbeatIpfail,  // heartbeat's ipfail: not run, the built-in one is on
  kDrbdDopd,         // DRBD's dopd: not run (API client)
};

// The first word of the command: the program's path.
std::string_view respawn_program(std::string_view command);
RespawnRole respawn_role(std::string_view command);
// The warning for a line vigil accepts and does not run; empty for kProgram
// and for ipfail (built in).
std::string respawn_not_run_warning(RespawnRole role, std::string_view program);

// A respawn line names heartbeat's ipfail (§8.2).
bool ipfail_requested(const HaCf& cf);

// Indices (into HaCf::respawn, file order) of the entries vigil runs.
std::vector<std::uint16_t> respawn_entries_to_run(const HaCf& cf);

}  // namespace vigil::conf
