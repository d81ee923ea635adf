#include "resourced/server.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "common/log.h"
#include "conf/resource_index.h"
#include "resourced/file_system.h"
#include "resourced/release_order.h"
#include "resourced/server_reply.h"

namespace vigil::resourced {

namespace pr = proto::resourced;

namespace {

std::string place_text(const conf::Config& config, const proto::ResourcePlace& p) {
  return fmt::format("{} (group {}, position {})",
                     config.groups[p.group].resources[p.position].text, p.group, p.position);
}

}  // namespace

std::chrono::milliseconds default_lease_for(const conf::Config& config) {
  return proto::default_lease(config.ha_cf.deadtime);
}

ResourceServer::ResourceServer(EventLoop& loop, const conf::Config& config, ServerOptions options,
                               UniqueFd listening, StatusCallback on_status)
    : config_(config),
      options_(std::move(options)),
      on_status_(std::move(on_status)),
      runner_(loop, options_.runner),
      unit_checks_(loop, runner_),
      respawn_(loop, config),
      fencer_(loop, config, options_.runner.environment, options_.stonith,
              options_.fence_agent_dir),
      outdater_(loop, config, options_.runner.environment, options_.drbdadm),
      queue_([this](const proto::ResourcePlace& place, Action action, Duration timeout,
                    ActionQueue::Completion done) {
        launch(place, action, timeout, std::move(done));
      }),
      helper_(
          loop, std::move(listening),
          {options_.label,
           options_.policy,
           options_.default_lease,
           {"resourced", "resources", "stopping all resources", "resources released"},
           options_.limits},
          [this] {
            return ServerPermits(config_,
                                 [this](const pr::Task& task) { return task_violation(task); });
          },
          [this](std::uint64_t id, ServerPermits& permits, const ipc::Frame& frame) {
            on_frame(id, permits, frame);
          },
          [this] { on_lease_expired(); }, [this] { report_status(); }) {
  if (config.ha_cf.watchdog)
    watchdog_.emplace(*config.ha_cf.watchdog, WatchdogDevice::timeout_for(config.ha_cf.deadtime));
}

ResourceServer::~ResourceServer() = default;

std::string ResourceServer::status_text() const {
  std::string text = helper_.lease().status_text();
  if (queue_.size() > 0) text += fmt::format("; {} action(s) pending", queue_.size());
  return text;
}

void ResourceServer::report_status() {
  if (on_status_) on_status_(status_text());
}

void ResourceServer::on_frame(std::uint64_t id, ServerPermits& permits, const ipc::Frame& frame) {
  auto message = pr::decode(frame);
  if (!message) return helper_.refuse(id, "malformed message: " + message.error().message);
  const Permit verdict = permits.on_message(*message);
  switch (verdict.kind) {
    case Permit::Kind::kClose:
      return helper_.refuse(id, verdict.why);
    case Permit::Kind::kGreet:
      return helper_.greet(id, verdict.lease_ms);
    case Permit::Kind::kLease:
      return helper_.renew(verdict.lease_ms);
    case Permit::Kind::kRun:
      return run_request(id, verdict.request);
    case Permit::Kind::kTask:
      return run_task(id, verdict.task);
  }
}

std::string ResourceServer::task_violation(const pr::Task& task) const {
  switch (task.kind) {
    case pr::TaskKind::kEvent:
      return {};  // an event's number and fields were checked by decode
    case pr::TaskKind::kFence:
      if (task.op != pr::Op::kStart) return "a fence task can only start (reset the node)";
      return fencer_.violation(task.index);
    case pr::TaskKind::kMonitor:
      return monitor_violation(config_, task);
    case pr::TaskKind::kOutdatePeer:
      return outdater_.violation(task.index);
    case pr::TaskKind::kWatchdog:
      if (task.index != 0) return "a watchdog task names entry 0 (the one watchdog line)";
      if (!watchdog_) return "a watchdog task but ha.cf has no watchdog line";
      return {};
    case pr::TaskKind::kRespawn:
      break;
  }
  return respawn_.violation(task.index);
}

void ResourceServer::run_task(std::uint64_t id, const pr::Task& task) {
  pr::Reply reply;
  reply.request_id = task.request_id;
  reply.op = task.op;
  if (task.kind == pr::TaskKind::kEvent) return run_event(id, task);
  if (task.kind == pr::TaskKind::kFence) return run_fence(id, task);
  if (task.kind == pr::TaskKind::kOutdatePeer) return run_outdate(id, task);
  if (task.kind == pr::TaskKind::kWatchdog) return run_watchdog(id, task);
  if (task.kind == pr::TaskKind::kMonitor) return run_monitor(id, task);
  // kRespawn (the permits checked the index).
  Status done;
  switch (task.op) {
    case pr::Op::kStart:
      done = respawn_.start(task.index);
      break;
    case pr::Op::kStop:
      respawn_.stop(task.index, "heartbeatd asked");
      break;
    case pr::Op::kStatus:
      break;
  }
  reply.outcome = done ? pr::Outcome::kOk : pr::Outcome::kFailed;
  if (!done) reply.output_tail = done.error().message.substr(0, proto::kMaxText);
  reply.state = respawn_.running(task.index) ? pr::RunState::kRunning : pr::RunState::kStopped;
  helper_.send(id, pr::encode(reply), fmt::format("the reply to task {}", task.request_id));
}

void ResourceServer::run_event(std::uint64_t id, const pr::Task& task) {
  pr::Reply reply;
  reply.request_id = task.request_id;
  reply.op = task.op;
  const auto event = proto::cluster_event_from(task.index);  // decode checked it
  Status queued = options_.on_event && event ? options_.on_event(*event, task.fields) : Status{};
  reply.outcome = queued ? pr::Outcome::kOk : pr::Outcome::kFailed;
  if (!queued) {
    reply.output_tail = queued.error().message.substr(0, proto::kMaxText);
    log::warn(fmt::format("{}: event {} not run: {}", options_.label,
                          event ? proto::event_name(*event) : "?", queued.error().message));
  }
  helper_.send(id, pr::encode(reply), fmt::format("the reply to event task {}", task.request_id));
}

// §6.4: heartbeatd waits for this answer before taking the node's groups
// over, so the reply goes out only when the reset is confirmed or every
// device failed.
void ResourceServer::run_fence(std::uint64_t id, const pr::Task& task) {
  std::weak_ptr<bool> alive = alive_;
  fencer_.fence(task.index, [this, alive, id, task](const Status& result) {
    if (alive.expired()) return;
    pr::Reply reply;
    reply.request_id = task.request_id;
    reply.op = task.op;
    reply.outcome = result ? pr::Outcome::kOk : pr::Outcome::kFailed;
    if (!result) {
      reply.output_tail = result.error().message.substr(0, proto::kMaxText);
      log::warn(
          fmt::format("{}: fencing {} failed: {}", options_.label, config_.ha_cf.nodes[task.index],
                      result.error().message),
          {{"VIGIL_NODE", config_.ha_cf.nodes[task.index]}, {"VIGIL_EVENT", "stonith-failed"}});
    }
    helper_.send(id, pr::encode(reply), fmt::format("the reply to fence task {}", task.request_id));
  });
}

// The peer's DRBD fence-peer handler waits for this answer (issue 14):
// drbdadm's exit code is the answer, heartbeatd reads it.
void ResourceServer::run_outdate(std::uint64_t id, const pr::Task& task) {
  std::weak_ptr<bool> alive = alive_;
  outdater_.outdate(task.index, [this, alive, id, task](const ExecResult& r) {
    if (alive.expired()) return;
    pr::Reply reply;
    reply.request_id = task.request_id;
    reply.op = task.op;
    reply.outcome = r.timed_out                      ? pr::Outcome::kTimeout
                    : r.exited() && r.exit_code == 0 ? pr::Outcome::kOk
                                                     : pr::Outcome::kFailed;
    reply.exit_status = r.exited() ? r.exit_code : (r.signal != 0 ? -r.signal : -1);
    reply.duration_ms = static_cast<std::uint32_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(r.duration).count());
    const std::string& why = r.spawn_error.empty() ? r.output_tail : r.spawn_error;
    reply.output_tail = why.substr(0, proto::kMaxText);
    helper_.send(id, pr::encode(reply),
                 fmt::format("the reply to outdate task {}", task.request_id));
  });
}

// watchdog_device.h: a keep-alive from heartbeatd is one write, so the
// device is written only while heartbeatd's loop runs.
void ResourceServer::run_watchdog(std::uint64_t id, const pr::Task& task) {
  Status done;
  switch (task.op) {
    case pr::Op::kStart:
      done = watchdog_->arm();
      break;
    case pr::Op::kStatus:
      done = watchdog_->pet();
      break;
    case pr::Op::kStop:
      done = watchdog_->disarm();
      break;
  }
  if (!done) log::error(done.error().message, {{"VIGIL_EVENT", "watchdog"}});
  pr::Reply reply;
  reply.request_id = task.request_id;
  reply.op = task.op;
  reply.outcome = done ? pr::Outcome::kOk : pr::Outcome::kFailed;
  if (!done) reply.output_tail = done.error().message.substr(0, proto::kMaxText);
  reply.state = watchdog_->armed() ? pr::RunState::kRunning : pr::RunState::kStopped;
  helper_.send(id, pr::encode(reply),
               fmt::format("the reply to watchdog task {}", task.request_id));
}

// One health check (issue 16): the resource's status query, queued behind
// any start or stop of the same resource (a check never races its own
// restart), with vigil.cf's check timeout; past it the agent's process
// group is killed (agent_executor.h), or the bus query of a systemd unit
// abandoned (systemd_unit_state.h), and the reply says kTimeout; its
// CheckRun says which of the two ran (server_reply.h).
void ResourceServer::run_monitor(std::uint64_t id, const pr::Task& task) {
  const auto [group, position] = *conf::resource_at(config_, task.index);  // permits checked
  const auto& resource = config_.groups[group].resources[position];
  const Duration timeout = conf::health_timeout_of(config_.vigil_cf, resource.text, resource.name);
  const pr::Request as_request{
      task.request_id, task.config_hash, {group, position}, pr::Op::kStatus};
  std::weak_ptr<bool> alive = alive_;
  queue_.submit(
      {group, position}, Action::kStatus, timeout,
      [this, alive, id, as_request](const ActionResult& result) {
        if (alive.expired()) return;
        helper_.send(id, pr::encode(check_reply_for(as_request, result)),
                     fmt::format("the reply to check {}", as_request.request_id));
        report_status();
      },
      [this](const proto::ResourcePlace& place, Action action, Duration limit,
             ActionQueue::Completion done) {
        launch(place, action, limit, std::move(done), /*health_check=*/true);
      });
}

void ResourceServer::run_request(std::uint64_t id, const pr::Request& request) {
  const Action action = action_for(request.op);
  log::info(fmt::format("{}: request {}: {} {}", options_.label, request.request_id,
                        action_word(action), place_text(config_, request.place)),
            {{"VIGIL_GROUP", config_.groups[request.place.group].key()}});
  std::weak_ptr<bool> alive = alive_;
  queue_.submit(request.place, action, [this, alive, id, request](const ActionResult& result) {
    if (alive.expired()) return;
    const std::string what = fmt::format("the reply to request {}", request.request_id);
    if (!helper_.send(id, pr::encode(reply_for(request, result)), what))
      log::info(
          fmt::format("{}: request {} finished after its connection closed; heartbeatd "
                      "re-sends it if it still needs it",
                      options_.label, request.request_id));
    report_status();
  });
  report_status();
}

void ResourceServer::launch(const proto::ResourcePlace& place, Action action, Duration timeout,
                            ActionQueue::Completion done, bool health_check) {
  const auto& group = config_.groups[place.group];
  const auto& resource = group.resources[place.position];
  // Resolved per action, from resourced's own configuration: a script
  // installed after resourced started is found, nothing comes from a message.
  auto call = resolve_agent(resource, group.key(), options_.dirs, RealFileSystem());
  if (!call) {
    log::error(fmt::format("{}: {}", resource.text, call.error().message),
               {{"VIGIL_GROUP", group.key()}});
    ActionResult failed;
    failed.action = action;
    failed.succeeded = false;
    // Nothing ran: a start left it stopped; a stop or status cannot tell,
    // and an unknown state is never reported as released.
    failed.running = action != Action::kStart;
    failed.message = call.error().message;
    done(failed);
    return;
  }
  if (health_check && call->kind == AgentKind::kSystemd)
    return unit_checks_.run(*call, timeout, std::move(done));
  runner_.run(*call, action, timeout, std::move(done));
}

void ResourceServer::on_lease_expired() {
  respawn_.stop_all("heartbeatd's lease expired");
  releasing_ = release_order(config_);
  std::reverse(releasing_.begin(), releasing_.end());  // pop_back() takes the next
  release_next();
}

// One stop at a time, in release_order: the next is submitted when the
// previous one completed, as heartbeat's ResourceManager stops a group.
void ResourceServer::release_next() {
  report_status();
  if (releasing_.empty()) {
    log::notice("resources released after the lease expired", {{"VIGIL_EVENT", "lease-released"}});
    return;
  }
  const proto::ResourcePlace place = releasing_.back();
  releasing_.pop_back();
  log::info(fmt::format("lease expired: stopping {}", place_text(config_, place)),
            {{"VIGIL_GROUP", config_.groups[place.group].key()}});
  std::weak_ptr<bool> alive = alive_;
  queue_.submit(place, Action::kStop, [this, alive, place](const ActionResult& result) {
    if (alive.expired()) return;
    if (!result.succeeded)
      log::error(fmt::format("lease expired: stop of {} failed: {}", place_text(config_, place),
                             result.message),
                 {{"VIGIL_GROUP", config_.groups[place.group].key()}});
    release_next();
  });
}

}  // namespace vigil::resourced
