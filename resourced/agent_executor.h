// Runs one agent invocation on the event loop: spawn, capture output,
// observe the exit through a pidfd, enforce the timeout. Never blocks the
// loop on a child (field-notes §D4: ucarp's synchronous waitpid stalled its
// heartbeats).
//
// On timeout the agent's whole process group is SIGKILLed — the script and
// anything it started without leaving the group; daemons that called
// setsid() themselves are left alone, as they are services, not the hung
// action. The executor reports completion when the agent process exits,
// not when its pipes reach EOF: a start script's daemon that kept the pipe
// open must not make a successful start look hung. Output written after
// that is still read and logged ("lingering") for as long as the executor
// lives.
//
// Output files: given an `output_dir`, an agent writes its stdout and
// stderr to OUTPUT_DIR/<label>.out and .err (label sanitised as
// ocf_instance_name does; truncated at each run, opened O_APPEND) instead
// of pipes, and they are read when the run ends. A daemon a script started
// without redirecting its output inherits those files, not a pipe whose
// reader dies with resourced, so it is never killed by SIGPIPE after a
// resourced restart; what it writes later stays in the file until the
// next action on that resource truncates it (it is not logged). Output is
// logged when the run ends, not line by line as it comes, and the tail
// holds stdout's end followed by stderr's (their interleaving is lost). A
// file that cannot be opened falls back to pipes for that run.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/event_loop.h"
#include "resourced/agent_command.h"

namespace vigil::resourced {

struct ExecResult {
  int exit_code = -1;  // when it exited normally
  int signal = 0;      // when a signal ended it (SIGKILL after a timeout)
  bool timed_out = false;
  std::string spawn_error;  // non-empty: nothing ran (fork/pipe/pidfd failed)
  std::string stdout_text;  // its stdout (first kStdoutKeepBytes)
  std::string output_tail;  // last kOutputTailBytes of stdout+stderr
  Duration duration{};
  int pid = -1;

  bool exited() const { return spawn_error.empty() && !timed_out && signal == 0 && exit_code >= 0; }
};

class AgentExecutor {
 public:
  using Completion = std::function<void(const ExecResult&)>;
  // Log fields added to every line of agent output (VIGIL_GROUP, ...).
  using Fields = std::vector<std::pair<std::string, std::string>>;

  // `output_dir` empty: pipes. Otherwise it must exist (mode 0700).
  explicit AgentExecutor(EventLoop& loop, std::string output_dir = {});
  // Stops watching: completions still pending are never called. Running
  // agents are neither killed nor waited for.
  ~AgentExecutor();
  AgentExecutor(const AgentExecutor&) = delete;
  AgentExecutor& operator=(const AgentExecutor&) = delete;

  // Starts `cmd` and returns at once. `done` is called exactly once, later,
  // from the loop — also when the spawn fails. Each output line is logged
  // at info as "<label>[<pid>]: <line>" with `fields`.
  void execute(const Command& cmd, Duration timeout, std::string label, Fields fields,
               Completion done);

  // Invocations whose completion has not been called yet.
  std::size_t in_flight() const;

 private:
  struct Job;
  void on_readable(std::uint64_t id, bool is_stdout);
  void on_exit(std::uint64_t id);
  void on_timeout(std::uint64_t id);
  void finish(std::uint64_t id, ExecResult result);
  void read_output_files(Job& job);

  EventLoop& loop_;
  std::string output_dir_;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, std::unique_ptr<Job>> jobs_;
};

}  // namespace vigil::resourced
