#include "resourced/agent_runner.h"

#include <fmt/format.h>

#include <charconv>
#include <utility>

#include "common/log.h"
#include "resourced/agent_command.h"
#include "resourced/agent_environment.h"

namespace vigil::resourced {

struct AgentRunner::Operation {
  AgentCall call;
  Action requested = Action::kStatus;
  Duration timeout{};
  Completion done;
  MonoTime started;
  int stop_retries_left = 0;
  ActionResult result;
  ActionResult failed_stop;  // the last failed stop, kept across the final status test
  std::unique_ptr<Timer> retry_timer;

  log::Fields fields() const {
    return {{"VIGIL_GROUP", call.group}, {"VIGIL_RESOURCE", call.resource}};
  }
};

namespace {

// Why a run did not end with an exit status, one line.
std::string abnormal_end_text(const Command& cmd, const ExecResult& r, Duration timeout) {
  if (!r.spawn_error.empty()) return fmt::format("Cannot run {}: {}", cmd.path, r.spawn_error);
  // "PATH ARGS ACTION", as in the Running line.
  const std::string what = cmd.running_text.substr(std::string_view("Running ").size());
  if (r.timed_out)
    return fmt::format("{} timed out after {} ms; its process group was killed", what,
                       std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count());
  if (r.signal != 0) return fmt::format("{} killed by signal {}", what, r.signal);
  // Only when something else reaped the child (SIGCHLD ignored).
  return fmt::format("{} ended with an unknown status", what);
}

}  // namespace

RunnerOptions runner_options_for(const conf::Config& config, const AgentDirs& dirs,
                                 LaunchStrategy strategy) {
  RunnerOptions o;
  o.environment = agent_environment(config, dirs.ocf_root);
  o.strategy = strategy;
  for (const auto& [name, value] : config.ha_cf.env) {
    if (name != "STOPRETRYMAX") continue;
    int n = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    const bool valid =
        ec == std::errc() && end == value.data() + value.size() && n >= 0 && n <= 1000;
    o.stop_retry_max = valid ? n : 10;
  }
  return o;
}

AgentRunner::AgentRunner(EventLoop& loop, RunnerOptions options)
    : loop_(loop), options_(std::move(options)), executor_(loop, options_.output_dir) {}

AgentRunner::~AgentRunner() = default;

void AgentRunner::run(const AgentCall& call, Action action, Duration timeout, Completion done) {
  const std::uint64_t id = next_id_++;
  auto op = std::make_unique<Operation>();
  op->call = call;
  op->requested = action;
  op->timeout = timeout;
  op->done = std::move(done);
  op->started = MonoClock::now();
  op->stop_retries_left = options_.stop_retry_max;
  op->result.action = action;
  ops_.emplace(id, std::move(op));
  // §3.4: a start begins with the ownership test; a stop does not (§3.5).
  start_run(id, action == Action::kStart ? Action::kStatus : action);
}

void AgentRunner::start_run(std::uint64_t id, Action agent_action) {
  Operation& op = *ops_.at(id);
  const auto timeout_ms = std::chrono::duration_cast<std::chrono::milliseconds>(op.timeout);
  Command cmd = build_command(op.call, agent_action, options_.environment, timeout_ms);
  // heartbeat logs "Running ..." for start and stop, not for its status
  // checks (heartbeat-3.0.6-logs.txt).
  if (agent_action == Action::kStatus)
    log::debug(cmd.running_text, op.fields());
  else
    log::info(cmd.running_text, op.fields());
  Command launched =
      apply_launch_strategy(cmd, options_.strategy, op.call, agent_action, options_.systemd_run);
  executor_.execute(launched, op.timeout, op.call.resource, op.fields(),
                    [this, id, agent_action, cmd](const ExecResult& r) {
                      if (r.exited()) {
                        on_run_done(id, agent_action, r);
                        return;
                      }
                      // on_run_done reads the reason from spawn_error.
                      ExecResult copy = r;
                      copy.spawn_error = abnormal_end_text(cmd, r, ops_.at(id)->timeout);
                      on_run_done(id, agent_action, copy);
                    });
}

void AgentRunner::on_run_done(std::uint64_t id, Action agent_action, const ExecResult& r) {
  Operation& op = *ops_.at(id);
  ActionResult& res = op.result;
  res.runs += 1;
  res.exit_code = r.exit_code;
  res.signal = r.signal;
  res.timed_out = r.timed_out;
  res.output_tail = r.output_tail;

  const bool ran = r.exited();
  // A run that did not end normally has failed; its resource state is
  // unknown, which for ownership means "maybe held".
  const Verdict v = ran ? interpret_exit(op.call, agent_action, r.exit_code, r.stdout_text)
                        : Verdict{false, true};
  const std::string failure =
      ran ? fmt::format("Return code {} from {}", r.exit_code, op.call.path) : r.spawn_error;
  const log::Fields fields = op.fields();
  if (!ran) log::error(failure, fields);

  switch (op.requested) {
    case Action::kStatus:
      res.succeeded = v.succeeded;
      res.running = v.running;
      if (!v.succeeded) res.message = failure;
      return complete(id);

    case Action::kStart:
      if (agent_action == Action::kStatus) {
        if (v.succeeded && v.running) {
          log::debug(fmt::format("{} is already running; not starting it", op.call.resource),
                     fields);
          res.succeeded = true;
          res.running = true;
          return complete(id);
        }
        return start_run(id, Action::kStart);
      }
      res.succeeded = v.succeeded;
      res.running = true;  // started, or half-started: heartbeatd stops it either way
      if (!v.succeeded) {
        res.message = failure;
        if (ran) log::error(failure, fields);
      }
      return complete(id);

    case Action::kStop:
      if (agent_action == Action::kStop) {
        if (v.succeeded) {
          res.succeeded = true;
          res.running = false;
          return complete(id);
        }
        if (ran) log::error(failure, fields);
        if (op.stop_retries_left > 0) {
          --op.stop_retries_left;
          op.retry_timer = std::make_unique<Timer>(loop_, [this, id] {
            Operation& o = *ops_.at(id);
            log::info(fmt::format("Retrying failed stop operation [{}]", o.call.resource),
                      o.fields());
            start_run(id, Action::kStop);
          });
          op.retry_timer->arm_after(options_.stop_retry_interval);
          return;
        }
        // §3.5: out of retries; the ownership test decides what it means.
        op.failed_stop = res;
        op.failed_stop.message = failure;
        return start_run(id, Action::kStatus);
      }
      {
        const int runs = res.runs;
        res = op.failed_stop;
        res.runs = runs;
      }
      if (v.succeeded && !v.running) {
        log::error(
            fmt::format("Resource script for {} probably not LSB-compliant.", op.call.resource),
            fields);
        log::warn(
            fmt::format("It ({}) MUST succeed on a stop when already stopped", op.call.resource),
            fields);
        log::warn("Machine reboot narrowly avoided!", fields);
        res.succeeded = true;
        res.running = false;
      } else {
        res.succeeded = false;
        res.running = true;
      }
      return complete(id);
  }
}

void AgentRunner::complete(std::uint64_t id) {
  auto it = ops_.find(id);
  std::unique_ptr<Operation> op = std::move(it->second);
  ops_.erase(it);
  op->result.duration = MonoClock::now() - op->started;
  // Last: the completion may destroy this runner.
  op->done(op->result);
}

}  // namespace vigil::resourced
