// How an agent process is placed in the system, chosen once at start.
//
// kFork: fork + exec in a new session and process group (setsid). The
//   agent and what it starts are not tied to resourced's lifetime: no
//   PR_SET_PDEATHSIG, no shared process group, so killing or restarting
//   resourced does not stop a service. This is the complete path and the
//   only one off systemd.
//
// kSystemdScope (systemd is PID 1 and systemd-run exists): the same fork +
//   setsid, but the child execs `systemd-run --scope ... -- AGENT`, which
//   moves itself into a new transient scope unit and then execs the agent.
//   Without it, every service a script starts would live in resourced's
//   own cgroup, and `systemctl restart resourced` (KillMode=control-group)
//   would kill them all. A scope, rather than a transient service
//   (`systemd-run --unit --wait --pipe`), keeps the agent our own child: the
//   exit status, the output pipes, the timeout and the SIGKILL of the
//   process group work exactly as on the fork path, and a start script's
//   daemon stays in the scope after the script exits, where a service's
//   cgroup would be killed when its main process ends. What a scope does
//   not escape are resourced's namespaces: resourced's unit must not use
//   mount-namespace sandboxing (ProtectSystem=, PrivateTmp=, ...) that the
//   agents would inherit.
#pragma once

#include <string>

#include "resourced/action.h"
#include "resourced/agent.h"
#include "resourced/agent_command.h"
#include "resourced/file_system.h"

namespace vigil::resourced {

enum class LaunchStrategy { kFork, kSystemdScope };

inline constexpr const char* kSystemdRun = "/usr/bin/systemd-run";

// kSystemdScope when systemd is the running init (sd_booted) and
// `systemd_run` is executable; kFork otherwise.
LaunchStrategy detect_launch_strategy(const FileSystem& fs,
                                      const std::string& systemd_run = kSystemdRun);

// The command to execute under `strategy`: `cmd` itself for kFork; for
// kSystemdScope, `systemd_run --scope --quiet --collect --no-ask-password
// --description=DESC -- <cmd.argv>` with cmd's environment (systemd-run
// passes its own environment on to the agent in scope mode).
// DESC is "vigil resource <token> <action>".
Command apply_launch_strategy(Command cmd, LaunchStrategy strategy, const AgentCall& call,
                              Action action, const std::string& systemd_run = kSystemdRun);

}  // namespace vigil::resourced
