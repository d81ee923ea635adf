// ONE action on ONE resource, with the semantics of heartbeat's
// ResourceManager (heartbeat-compat.md §3.2–§3.5). This is what resourced's
// IPC server calls for each request of heartbeatd; walking a group left to
// right (start) or right to left (stop) is heartbeatd's job.
//
//   start   the ownership test first (§3.4): if it says running, nothing is
//           run and the start succeeds (a start of a running resource is
//           idempotent); otherwise `start`. A non-zero exit logs
//           "Return code RC from PATH" (§3.2) and fails.
//   stop    `stop`, no test first (§3.5). A failing stop is retried every
//           `stop_retry_interval` up to `stop_retry_max` more times, logging
//           "Retrying failed stop operation [RES]". If it still fails, the
//           ownership test decides: not running → logged as heartbeat does
//           ("Resource script for RES probably not LSB-compliant." ...) and
//           the stop counts as succeeded, running = false; running → the
//           stop failed with running = true. Reacting to that (heartbeat
//           reboots: "Resource STOP failure. Reboot required!") is
//           heartbeatd's decision.
//   status  the ownership test alone: heartbeat/LSB stdout text (§3.3), OCF
//           monitor, systemctl is-active.
//
// Every agent run has `timeout`; a run that exceeds it has its process
// group SIGKILLed and counts as a failure (a status that times out gives
// running = true: an unknown state is never reported as released).
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
#include "common/timer.h"
#include "conf/config.h"
#include "resourced/action.h"
#include "resourced/agent.h"
#include "resourced/agent_executor.h"
#include "resourced/launch_strategy.h"

namespace vigil::resourced {

struct ActionResult {
  Action action = Action::kStatus;
  bool succeeded = false;
  // Where the resource is after the action, as far as resourced knows:
  // start ok → true, stop ok → false, status → the test; after a failure,
  // true unless the test said otherwise.
  bool running = false;
  bool timed_out = false;  // the last run was killed for its timeout
  int exit_code = -1;      // of the last agent run (-1: none, or killed)
  int signal = 0;
  int runs = 0;             // agent invocations made (status checks included)
  Duration duration{};      // from request to result
  std::string output_tail;  // of the last agent run, at most kOutputTailBytes
  std::string message;      // on failure: what went wrong, one line
  // A health check of a systemd unit answered over the system bus
  // (systemd_health_check.h), not by an agent run; unit_state is what
  // systemd said ("ActiveState/SubState"), empty if it said nothing.
  bool asked_systemd = false;
  std::string unit_state;
};

struct RunnerOptions {
  std::vector<std::string> environment;  // agent_environment(config)
  LaunchStrategy strategy = LaunchStrategy::kFork;
  std::string systemd_run = kSystemdRun;
  int stop_retry_max = 10;  // HA_STOPRETRYMAX (§3.5)
  Duration stop_retry_interval = std::chrono::seconds(1);
  // Non-empty: agents write their output to files there instead of pipes
  // (agent_executor.h, "Output files"); resourced uses RUNTIME_DIR/agents.
  std::string output_dir;
};

// The options for a loaded configuration: agent_environment(config), and
// stop_retry_max from an `env STOPRETRYMAX=N` line of ha.cf — heartbeat's
// ResourceManager reads HA_STOPRETRYMAX (§3.5), which that line sets
// (§1); default 10, and 10 for a value that is not a number 0–1000.
RunnerOptions runner_options_for(const conf::Config& config, const AgentDirs& dirs,
                                 LaunchStrategy strategy);

class AgentRunner {
 public:
  using Completion = std::function<void(const ActionResult&)>;

  AgentRunner(EventLoop& loop, RunnerOptions options);
  // Pending completions are dropped; agents keep running (services a
  // script started are never tied to this object or this process).
  ~AgentRunner();
  AgentRunner(const AgentRunner&) = delete;
  AgentRunner& operator=(const AgentRunner&) = delete;

  // Starts `action` on `call` and returns at once; `done` is called exactly
  // once, later, from the loop. The caller runs at most one action per
  // resource at a time.
  void run(const AgentCall& call, Action action, Duration timeout, Completion done);

  // Actions whose completion has not been called yet.
  std::size_t in_flight() const { return ops_.size(); }

 private:
  struct Operation;
  void start_run(std::uint64_t id, Action agent_action);
  void on_run_done(std::uint64_t id, Action agent_action, const ExecResult& r);
  void complete(std::uint64_t id);

  EventLoop& loop_;
  RunnerOptions options_;
  AgentExecutor executor_;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, std::unique_ptr<Operation>> ops_;
};

}  // namespace vigil::resourced
