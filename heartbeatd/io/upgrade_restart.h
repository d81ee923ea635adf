// How heartbeatd tells the package's restart for an upgrade from an admin's
// stop (packaging/README.md, "Upgrades"). Both arrive as SIGTERM: systemd
// gives a service no way to tell a restart from a stop. An admin's stop
// is heartbeat's graceful shutdown (§6.7: the groups go to the peer). An
// upgrade must move nothing, so before it restarts heartbeatd the package
// (packaging/tools/restart-after-upgrade) writes RUNTIME_DIR/
// kUpgradeRestartMarker holding the PID of the heartbeatd it restarts.
// That heartbeatd then exits keeping its groups: the helpers hold them for
// the lease, within which the new heartbeatd is back and carries on as
// their owner (architecture.md, "Restarting one process must not disturb
// service").
//
// The marker names one process, so a marker left behind (a script killed
// half-way) never turns a later stop into an exit that keeps the groups;
// /run is emptied at boot in any case.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

namespace vigil::io {

inline constexpr std::string_view kUpgradeRestartMarker = "heartbeatd.upgrade-restart";

// What `heartbeatd --version` prints on its second line: the package's
// restart script reads it from the running binary (/proc/PID/exe) to know
// whether the heartbeatd it is about to restart understands the marker (a
// heartbeatd without the line, vigil 0.1.0, is restarted with SIGKILL
// instead, which the lease covers as well), and which IPC version it speaks
// to its helpers (common/ipc/frame_format.md, "Versions and upgrades").
// "features: upgrade-restart-marker ipc-1".
std::string features_line();

// True if `content` (the marker file's bytes) names `pid`: decimal digits,
// optionally one trailing newline, nothing else.
bool marker_names(std::string_view content, pid_t pid);

// True if RUNTIME_DIR/kUpgradeRestartMarker is a regular file (not a
// symbolic link) naming `pid`. A missing or unreadable marker is false.
bool upgrade_restart_requested(const std::string& runtime_dir, pid_t pid);

}  // namespace vigil::io
