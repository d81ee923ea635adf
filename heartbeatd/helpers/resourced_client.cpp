#include "heartbeatd/helpers/resourced_client.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <variant>

#include "common/log.h"

namespace vigil::helpers {

namespace pr = proto::resourced;

ResourcedClient::ResourcedClient(EventLoop& loop, ResourcedClientOptions options,
                                 StateCallback on_state)
    : HelperClient(loop, "resourced", std::move(options), std::move(on_state)),
      watchdog_timer_(loop, [this] { on_watchdog_timer(); }) {}

ResourcedClient::~ResourcedClient() = default;

vigil::Result<ipc::Bytes> ResourcedClient::encode(const proto::Hello& hello) const {
  return pr::encode(hello);
}

vigil::Result<ipc::Bytes> ResourcedClient::encode(const proto::Lease& lease) const {
  return pr::encode(lease);
}

std::uint32_t ResourcedClient::request(const proto::ResourcePlace& place, pr::Op op,
                                       ReplyCallback on_reply) {
  const std::uint32_t id = next_id();
  pr::Request request{id, options().config_hash, place, op};
  pending_.emplace(id, Pending{request, op, std::move(on_reply)});
  send(pr::encode(request));
  return id;
}

std::uint32_t ResourcedClient::task(std::uint16_t index, pr::Op op, bool respawn_start) {
  const std::uint32_t id = next_id();
  pr::Task t{id, options().config_hash, pr::TaskKind::kRespawn, index, op, {}};
  auto log_reply = [index, op](const pr::Reply& r) {
    if (r.outcome != pr::Outcome::kOk)
      log::error(fmt::format("resourced could not {} respawn entry {}: {}",
                             op == pr::Op::kStart ? "start" : "stop", index, r.output_tail));
  };
  pending_.emplace(id, Pending{t, op, log_reply, respawn_start});
  send(pr::encode(t));
  return id;
}

// A Task answered once to `on_reply`, re-sent after a reconnection.
std::uint32_t ResourcedClient::answered_task(pr::TaskKind kind, std::uint16_t index, pr::Op op,
                                             ReplyCallback on_reply) {
  const std::uint32_t id = next_id();
  pr::Task t{id, options().config_hash, kind, index, op, {}};
  pending_.emplace(id, Pending{t, op, std::move(on_reply)});
  send(pr::encode(t));
  return id;
}

std::uint32_t ResourcedClient::fence(std::uint16_t node_index, ReplyCallback on_reply) {
  return answered_task(pr::TaskKind::kFence, node_index, pr::Op::kStart, std::move(on_reply));
}

std::uint32_t ResourcedClient::outdate(std::uint16_t index, ReplyCallback on_reply) {
  return answered_task(pr::TaskKind::kOutdatePeer, index, pr::Op::kStart, std::move(on_reply));
}

std::uint32_t ResourcedClient::monitor(std::uint16_t index, ReplyCallback on_reply) {
  return answered_task(pr::TaskKind::kMonitor, index, pr::Op::kStatus, std::move(on_reply));
}

void ResourcedClient::watchdog_task(pr::Op op, bool transient) {
  const std::uint32_t id = next_id();
  pr::Task t{id, options().config_hash, pr::TaskKind::kWatchdog, 0, op, {}};
  auto log_reply = [](const pr::Reply& r) {
    if (r.outcome != pr::Outcome::kOk)
      log::error(fmt::format("resourced: watchdog: {}", r.output_tail),
                 {{"VIGIL_EVENT", "watchdog"}});
  };
  Pending p{t, op, log_reply, false};
  p.watchdog = transient;
  pending_.emplace(id, std::move(p));
  send(pr::encode(t));
}

void ResourcedClient::keep_watchdog(Duration interval) {
  watchdog_interval_ = interval;
  if (connected()) watchdog_task(pr::Op::kStart, true);
  watchdog_timer_.arm_after(interval);
}

void ResourcedClient::stop_watchdog() {
  if (!watchdog_interval_) return;
  watchdog_interval_.reset();
  watchdog_timer_.cancel();
  watchdog_task(pr::Op::kStop, false);
}

// Only while connected: a keep-alive queued for a later connection would
// prove nothing about this loop at the time it is written.
void ResourcedClient::on_watchdog_timer() {
  if (!watchdog_interval_) return;
  if (connected()) watchdog_task(pr::Op::kStatus, true);
  watchdog_timer_.arm_after(*watchdog_interval_);
}

void ResourcedClient::event(proto::ClusterEvent event, std::vector<proto::EventField> fields) {
  std::size_t waiting = 0;
  for (const auto& entry : pending_) waiting += entry.second.event ? 1 : 0;
  if (waiting >= kMaxPendingEvents) {
    auto oldest = std::find_if(pending_.begin(), pending_.end(),
                               [](const auto& entry) { return entry.second.event; });
    log::error(
        fmt::format("resourced away: {} cluster events waiting; the oldest is dropped", waiting),
        {{"VIGIL_EVENT", "event-dropped"}});
    pending_.erase(oldest);
  }
  const std::uint32_t id = next_id();
  pr::Task t{id,
             options().config_hash,
             pr::TaskKind::kEvent,
             static_cast<std::uint16_t>(event),
             pr::Op::kStart,
             std::move(fields)};
  const std::string name(proto::event_name(event));
  auto log_reply = [name](const pr::Reply& r) {
    if (r.outcome != pr::Outcome::kOk)
      log::error(fmt::format("resourced did not run the {} event: {}", name, r.output_tail));
  };
  Pending p{t, pr::Op::kStart, log_reply, false};
  p.event = true;
  pending_.emplace(id, std::move(p));
  send(pr::encode(t));
}

void ResourcedClient::keep_respawned(std::vector<std::uint16_t> indices) {
  respawned_ = std::move(indices);
  if (connected())
    for (std::uint16_t i : respawned_) task(i, pr::Op::kStart, true);
}

void ResourcedClient::stop_respawned() {
  const std::vector<std::uint16_t> stopping = std::move(respawned_);
  respawned_.clear();
  for (auto it = stopping.rbegin(); it != stopping.rend(); ++it) task(*it, pr::Op::kStop, false);
}

// A restart of resourced cut these off, and each is safe to run again.
// The respawn starts are asked for afresh on every connection.
bool ResourcedClient::resend_waiting() {
  std::erase_if(pending_, [](const auto& entry) {
    return entry.second.respawn_start || entry.second.watchdog;
  });
  for (const auto& [id, p] : pending_)
    if (!send(std::visit([](const auto& m) { return pr::encode(pr::Message{m}); }, p.message)))
      return false;
  for (std::uint16_t i : respawned_) task(i, pr::Op::kStart, true);
  if (watchdog_interval_) watchdog_task(pr::Op::kStart, true);
  return true;
}

void ResourcedClient::on_frame(const ipc::Frame& frame) {
  auto message = pr::decode(frame);
  if (!message) return drop("malformed message from resourced: " + message.error().message);
  const auto* reply = std::get_if<pr::Reply>(&*message);
  if (reply == nullptr) return drop("resourced sent something other than a Reply");
  auto it = pending_.find(reply->request_id);
  if (it == pending_.end())
    return drop(fmt::format("Reply to unknown request {}", reply->request_id));
  if (it->second.op != reply->op)
    return drop(fmt::format("Reply to request {} names another action", reply->request_id));
  ReplyCallback callback = std::move(it->second.on_reply);
  pending_.erase(it);
  if (callback) callback(*reply);
}

}  // namespace vigil::helpers
