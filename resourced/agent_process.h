// Starting one agent process and collecting its end — the OS half of the
// executor, kept apart so the event-loop half reads as plain control flow.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "common/result.h"
#include "common/unique_fd.h"
#include "resourced/agent_command.h"

namespace vigil::resourced {

struct AgentProcess {
  pid_t pid = -1;      // also the process group id and session id (setsid)
  UniqueFd pidfd;      // readable once the process has exited
  UniqueFd stdout_fd;  // read ends of its stdout/stderr pipes, non-blocking
  UniqueFd stderr_fd;  // (both invalid when it writes to AgentOutputFiles)
};

// Files an agent writes its stdout and stderr to instead of pipes (see
// agent_executor.h, "Output files").
struct AgentOutputFiles {
  int stdout_fd = -1;
  int stderr_fd = -1;
};

// fork + exec of `cmd`: the child calls setsid() (its own session and
// process group, no controlling terminal), gets stdin from /dev/null (or
// cmd.stdin_text, from an anonymous file) and
// stdout/stderr on two pipes, signal mask and dispositions reset, every
// other descriptor closed, cwd "/", umask 022, and exactly cmd.env as its
// environment. No PR_SET_PDEATHSIG: agents and what they start outlive
// resourced. An exec failure shows as exit status 127 with the reason on
// the stderr pipe, as a shell reports it. Never blocks on the child.
// With `files`, stdout/stderr are those descriptors instead of pipes.
Result<AgentProcess> spawn_agent_process(const Command& cmd,
                                         const AgentOutputFiles* files = nullptr);

// In the child of fork, before exec (async-signal-safe only): an empty
// signal mask, every disposition back to its default (ignored signals
// stay ignored across exec, and a daemon that inherited SIGPIPE ignored
// misbehaves), its own session, stdin/stdout/stderr on the three
// descriptors, every other descriptor closed.
void prepare_exec_child(int in_fd, int out_fd, int err_fd);

struct ExitStatus {
  int exit_code = -1;  // set when the process exited
  int signal = 0;      // set when a signal ended it
};

// Reaps the process if it has ended (call when pidfd is readable);
// nullopt if it is still running.
std::optional<ExitStatus> reap_agent_process(const AgentProcess& p);

// SIGKILL to the agent's whole process group. Only called before the
// process is reaped, so the group id cannot have been reused.
void kill_agent_process_group(const AgentProcess& p);

}  // namespace vigil::resourced
