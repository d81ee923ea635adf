#include "resourced/server.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "common/clock.h"
#include "common/log.h"
#include "resourced/action_timeouts.h"
#include "resourced/file_system.h"
#include "resourced/release_order.h"
#include "resourced/server_reply.h"

namespace vigil::resourced {

namespace pr = proto::resourced;

namespace {

std::string peer_text(const ipc::Connection& c) {
  return fmt::format("pid {} uid {}", c.peer().pid, c.peer().uid);
}

std::string place_text(const conf::Config& config, const proto::ResourcePlace& p) {
  return fmt::format("{} (group {}, position {})", config.groups[p.group].resources[p.position].text,
                     p.group, p.position);
}

}  // namespace

std::chrono::milliseconds default_lease_for(const conf::Config& config) {
  return std::max(std::chrono::milliseconds(config.ha_cf.deadtime / 2),
                  std::chrono::milliseconds(proto::kMinLeaseMs));
}

ResourceServer::ResourceServer(EventLoop& loop, const conf::Config& config, ServerOptions options,
                               UniqueFd listening, StatusCallback on_status)
    : loop_(loop),
      config_(config),
      options_(std::move(options)),
      on_status_(std::move(on_status)),
      runner_(loop, options_.runner),
      queue_([this](const proto::ResourcePlace& place, Action action,
                    ActionQueue::Completion done) { launch(place, action, std::move(done)); }),
      lease_(options_.default_lease, MonoClock::now()),
      lease_timer_(loop, [this] { on_lease_timer(); }) {
  server_ = std::make_unique<ipc::Server>(
      loop_, std::move(listening), options_.label, options_.policy,
      [this](std::unique_ptr<ipc::Connection> c) { on_accept(std::move(c)); });
  arm_lease_timer();
}

ResourceServer::~ResourceServer() = default;

std::string ResourceServer::status_text() const {
  std::string text;
  if (holders_ > 0)
    text = fmt::format("heartbeatd connected, lease {} ms", lease_.lease().count());
  else if (lease_.deadline())
    text = fmt::format("heartbeatd not connected; lease of {} ms running", lease_.lease().count());
  else
    text = "heartbeatd not connected; lease expired, resources released";
  if (queue_.size() > 0) text += fmt::format("; {} action(s) pending", queue_.size());
  return text;
}

void ResourceServer::report_status() {
  if (on_status_) on_status_(status_text());
}

void ResourceServer::on_accept(std::unique_ptr<ipc::Connection> connection) {
  const std::uint64_t id = next_peer_++;
  auto peer = std::make_unique<Peer>(Peer{std::move(connection), ServerPermits(config_), false});
  ipc::Connection& c = *peer->connection;
  peers_.emplace(id, std::move(peer));
  log::debug(fmt::format("{}: connection from {}", options_.label, peer_text(c)));
  c.start([this, id](ipc::Frame frame) { on_frame(id, frame); },
          [this, id](const Error&) { on_closed(id); });
}

void ResourceServer::on_frame(std::uint64_t id, const ipc::Frame& frame) {
  auto it = peers_.find(id);
  if (it == peers_.end()) return;
  Peer& peer = *it->second;
  auto message = pr::decode(frame);
  if (!message) return violation(id, "malformed message: " + message.error().message);
  const Permit verdict = peer.permits.on_message(*message);
  switch (verdict.kind) {
    case Permit::Kind::kClose:
      return violation(id, verdict.why);
    case Permit::Kind::kGreet:
      peer.holds_lease = true;
      ++holders_;
      ever_greeted_ = true;
      lease_.on_hello(verdict.lease_ms);
      lease_timer_.cancel();
      log::info(fmt::format("{}: heartbeatd ({}) said Hello; lease {} ms", options_.label,
                            peer_text(*peer.connection), verdict.lease_ms));
      report_status();
      return;
    case Permit::Kind::kLease:
      lease_.on_lease(verdict.lease_ms);
      log::debug(fmt::format("{}: lease now {} ms", options_.label, verdict.lease_ms));
      report_status();
      return;
    case Permit::Kind::kRun:
      return run_request(id, verdict.request);
  }
}

void ResourceServer::violation(std::uint64_t id, const std::string& why) {
  auto it = peers_.find(id);
  if (it == peers_.end()) return;
  // reject() logs the violation with the peer's pid and uid, then closes.
  it->second->connection->reject(Error{"protocol violation: " + why});
  forget(id);
}

void ResourceServer::on_closed(std::uint64_t id) { forget(id); }

void ResourceServer::forget(std::uint64_t id) {
  auto it = peers_.find(id);
  if (it == peers_.end()) return;
  const bool held = it->second->holds_lease;
  const std::string who = peer_text(*it->second->connection);
  // The Connection may be the one whose callback is running: destroying
  // it from there is permitted (connection.h).
  peers_.erase(it);
  if (!held) return;
  if (--holders_ > 0) return;
  lease_.on_disconnect(MonoClock::now());
  log::warn(fmt::format("{}: heartbeatd ({}) disconnected; resources stay as they are for the "
                        "lease of {} ms",
                        options_.label, who, lease_.lease().count()));
  arm_lease_timer();
  report_status();
}

void ResourceServer::run_request(std::uint64_t id, const pr::Request& request) {
  const Action action = action_for(request.op);
  log::info(fmt::format("{}: request {}: {} {}", options_.label, request.request_id,
                        action_word(action), place_text(config_, request.place)),
            {{"VIGIL_GROUP", config_.groups[request.place.group].key()}});
  std::weak_ptr<bool> alive = alive_;
  queue_.submit(request.place, action, [this, alive, id, request](const ActionResult& result) {
    if (alive.expired()) return;
    auto it = peers_.find(id);
    if (it == peers_.end()) {
      log::info(fmt::format("{}: request {} finished after its connection closed; heartbeatd "
                            "re-sends it if it still needs it",
                            options_.label, request.request_id));
    } else {
      auto bytes = pr::encode(reply_for(request, result));
      auto frame = bytes ? ipc::decode_frame(*bytes) : Result<ipc::Frame>(bytes.error());
      if (!frame) {
        log::error(fmt::format("{}: cannot encode the reply to request {}: {}", options_.label,
                               request.request_id, frame.error().message));
      } else if (Status s = it->second->connection->send(frame->type, frame->payload); !s) {
        log::warn(fmt::format("{}: cannot send the reply to request {}: {}", options_.label,
                              request.request_id, s.error().message));
        // send() closes a connection whose queue overflowed.
        if (!it->second->connection->is_open()) forget(id);
      }
    }
    report_status();
  });
  report_status();
}

void ResourceServer::launch(const proto::ResourcePlace& place, Action action,
                            ActionQueue::Completion done) {
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
  runner_.run(*call, action, action_timeout(action), std::move(done));
}

void ResourceServer::arm_lease_timer() {
  if (auto deadline = lease_.deadline())
    lease_timer_.arm_at(*deadline);
  else
    lease_timer_.cancel();
}

void ResourceServer::on_lease_timer() {
  if (!lease_.expire(MonoClock::now())) return arm_lease_timer();
  const auto lease_ms = lease_.lease().count();
  if (ever_greeted_)
    log::crit(fmt::format("heartbeatd gone for {} ms: stopping all resources (lease expired)",
                          lease_ms),
              {{"VIGIL_EVENT", "lease-expired"}});
  else
    log::crit(fmt::format("heartbeatd did not connect within {} ms of resourced's start: "
                          "stopping all resources (lease expired)",
                          lease_ms),
              {{"VIGIL_EVENT", "lease-expired"}});
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
