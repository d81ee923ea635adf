// What exactly is executed for one action on one resolved agent, and what
// its exit status means. Pure: the runner executes a Command and hands the
// exit status back to interpret_exit.
//
//   kind        start              stop              status (ownership test)
//   heartbeat   PATH ARGS start    PATH ARGS stop    PATH ARGS status: stdout text, §3.3
//   LSB         (as heartbeat; the script came from init.d)
//   OCF         PATH start         PATH stop         PATH monitor: 0/8 running, 7 not
//   systemd     systemctl start U  systemctl stop U  systemctl is-active U: 0 running
//
// Actions on systemd units go through systemctl rather than sd-bus calls
// from resourced: `systemctl start` already waits for the job to finish and
// reports a failed job in its exit status and message, which over D-Bus
// means tracking JobRemoved signals and unit states by hand; as a child
// process it gets the same timeout, process-group kill, output capture and
// logging as every other agent; and the loop of resourced never waits on
// the bus (a stuck systemd costs one killed child, not a stalled daemon).
// The price, a fork per action, is nothing at resource-action rates.
//
// Health checks (issue 16, TaskKind kMonitor) are different: one per
// resource every few seconds, down to 1 s, where a fork each is the cost
// the issue asks to avoid, and the question is one property read with no
// job to follow. They ask systemd over the system bus instead
// (systemd_health_check.h, systemd_unit_state.h: asynchronous calls on
// resourced's loop, a timeout per check), and come back here to
// `systemctl is-active` only when the bus cannot be opened. heartbeat's
// ownership test (a status Request, §3.3) still runs `is-active` below.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "resourced/action.h"
#include "resourced/agent.h"

namespace vigil::resourced {

struct Command {
  std::string path;               // execve(2) path, absolute
  std::vector<std::string> argv;  // argv[0] is path
  std::vector<std::string> env;   // the complete environment, "NAME=value"
  // What heartbeat logs before running it (§3.2): "Running PATH ARGS ACTION",
  // with two blanks when there are no ARGS.
  std::string running_text;
  // What the process reads on stdin (a fence agent's options,
  // node_fencer.h); empty: /dev/null, as for every other agent.
  std::string stdin_text;
};

// `base_env` is agent_environment(); OCF calls add OCF_RA_VERSION_MAJOR/
// MINOR, OCF_RESOURCE_INSTANCE/TYPE/PROVIDER, OCF_RESKEY_CRM_meta_timeout
// (the action timeout in ms, as pacemaker passes it) and one
// OCF_RESKEY_KEY=VALUE per parameter.
Command build_command(const AgentCall& call, Action action,
                      const std::vector<std::string>& base_env, std::chrono::milliseconds timeout);

// What an exit status says about the action.
struct Verdict {
  bool succeeded = false;  // the action did what was asked (status: the test could be made)
  bool running = false;    // status only: the resource is held here. A failed
                           // OCF monitor or systemctl error counts as running:
                           // unknown state must never be taken for released.
};

// `exit_code` is the agent's exit status (it exited normally);
// `stdout_text` its standard output (read by the heartbeat/LSB status test).
Verdict interpret_exit(const AgentCall& call, Action action, int exit_code,
                       std::string_view stdout_text);

}  // namespace vigil::resourced
