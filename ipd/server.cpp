#include "ipd/server.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <variant>

#include "common/clock.h"
#include "common/log.h"
#include "ipd/ip_address.h"
#include "ipd/ip_entries.h"

namespace vigil::ipd {

namespace pi = proto::ipd;

namespace {

std::string peer_text(const ipc::Connection& c) {
  return fmt::format("pid {} uid {}", c.peer().pid, c.peer().uid);
}

const conf::Resource& resource_at(const conf::Config& config, const proto::ResourcePlace& p) {
  return config.groups[p.group].resources[p.position];
}

std::string place_text(const conf::Config& config, const proto::ResourcePlace& p) {
  return fmt::format("{} (group {}, position {})", resource_at(config, p).text, p.group,
                     p.position);
}

log::Fields group_field(const conf::Config& config, const proto::ResourcePlace& p) {
  return {{"VIGIL_GROUP", config.groups[p.group].key()}};
}

}  // namespace

std::chrono::milliseconds default_lease_for(const conf::Config& config) {
  return std::max(std::chrono::milliseconds(config.ha_cf.deadtime / 2),
                  std::chrono::milliseconds(proto::kMinLeaseMs));
}

VipServer::VipServer(EventLoop& loop, const conf::Config& config, VipBackend& backend,
                     ServerOptions options, UniqueFd listening, StatusCallback on_status)
    : loop_(loop),
      config_(config),
      backend_(backend),
      options_(std::move(options)),
      on_status_(std::move(on_status)),
      lease_(options_.default_lease, MonoClock::now()),
      lease_timer_(loop, [this] { on_lease_timer(); }) {
  adopt_present();
  server_ = std::make_unique<ipc::Server>(
      loop_, std::move(listening), options_.label, options_.policy,
      [this](std::unique_ptr<ipc::Connection> c) { on_accept(std::move(c)); });
  arm_lease_timer();
}

VipServer::~VipServer() = default;

std::string VipServer::status_text() const {
  if (holders_ > 0) return fmt::format("heartbeatd connected, lease {} ms", lease_.lease().count());
  if (lease_.deadline())
    return fmt::format("heartbeatd not connected; lease of {} ms running", lease_.lease().count());
  return "heartbeatd not connected; lease expired, virtual IPs removed";
}

void VipServer::report_status() {
  if (on_status_) on_status_(status_text());
}

// A previous ipd (killed, restarted) left these configured: they are
// heartbeatd's until it says otherwise, so a removal behind our back must
// still be reported (architecture.md, "Restarting one process").
void VipServer::adopt_present() {
  for (const auto& place : ip_entries(config_)) {
    const auto& resource = resource_at(config_, place);
    auto presence = backend_.inspect(resource);
    if (!presence) {
      log::warn(fmt::format("{}: {}", place_text(config_, place), presence.error().message),
                group_field(config_, place));
      continue;
    }
    if (!presence->present) continue;
    if (Status s = backend_.watch(resource); !s) {
      log::warn(fmt::format("{}: {}", place_text(config_, place), s.error().message),
                group_field(config_, place));
      continue;
    }
    log::info(fmt::format("{} is configured ({}): kept and watched", place_text(config_, place),
                          presence->describe),
              group_field(config_, place));
  }
}

void VipServer::on_accept(std::unique_ptr<ipc::Connection> connection) {
  const std::uint64_t id = next_peer_++;
  auto peer = std::make_unique<Peer>(Peer{std::move(connection), ServerPermits(config_), false});
  ipc::Connection& c = *peer->connection;
  peers_.emplace(id, std::move(peer));
  log::debug(fmt::format("{}: connection from {}", options_.label, peer_text(c)));
  c.start([this, id](ipc::Frame frame) { on_frame(id, frame); },
          [this, id](const Error&) { forget(id); });
}

void VipServer::on_frame(std::uint64_t id, const ipc::Frame& frame) {
  auto it = peers_.find(id);
  if (it == peers_.end()) return;
  Peer& peer = *it->second;
  auto message = pi::decode(frame);
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
    case Permit::Kind::kAdd:
      return add(id, verdict);
    case Permit::Kind::kRemove:
      return remove(id, verdict);
    case Permit::Kind::kList:
      return list(id, verdict.request_id);
  }
}

void VipServer::violation(std::uint64_t id, const std::string& why) {
  auto it = peers_.find(id);
  if (it == peers_.end()) return;
  // reject() logs the violation with the peer's pid and uid, then closes.
  it->second->connection->reject(Error{"protocol violation: " + why});
  forget(id);
}

void VipServer::forget(std::uint64_t id) {
  auto it = peers_.find(id);
  if (it == peers_.end()) return;
  const bool held = it->second->holds_lease;
  const std::string who = peer_text(*it->second->connection);
  // The Connection may be the one whose callback is running: destroying
  // it from there is permitted (connection.h).
  peers_.erase(it);
  if (!held || --holders_ > 0) return;
  lease_.on_disconnect(MonoClock::now());
  log::warn(
      fmt::format("{}: heartbeatd ({}) disconnected; virtual IPs stay as they are for the "
                  "lease of {} ms",
                  options_.label, who, lease_.lease().count()));
  arm_lease_timer();
  report_status();
}

void VipServer::add(std::uint64_t id, const Permit& permit) {
  const auto& place = permit.place;
  auto outcome = backend_.acquire(resource_at(config_, place));
  pi::Result result{permit.request_id, pi::Outcome::kOk, {}};
  if (!outcome) {
    result.outcome = pi::Outcome::kFailed;
    result.detail = outcome.error().message.substr(0, proto::kMaxText);
    log::error(fmt::format("AddVip {}: {}: {}", permit.request_id, place_text(config_, place),
                           outcome.error().message),
               group_field(config_, place));
  } else {
    log::info(fmt::format("AddVip {}: {} {}", permit.request_id, place_text(config_, place),
                          *outcome == AddOutcome::kAdded ? "added" : "already present, announced"),
              group_field(config_, place));
  }
  reply(id, result);
}

void VipServer::remove(std::uint64_t id, const Permit& permit) {
  const auto& place = permit.place;
  auto outcome = backend_.release(resource_at(config_, place));
  pi::Result result{permit.request_id, pi::Outcome::kOk, {}};
  if (!outcome) {
    result.outcome = pi::Outcome::kFailed;
    result.detail = outcome.error().message.substr(0, proto::kMaxText);
    log::error(fmt::format("RemoveVip {}: {}: {}", permit.request_id, place_text(config_, place),
                           outcome.error().message),
               group_field(config_, place));
  } else {
    log::info(fmt::format("RemoveVip {}: {} {}", permit.request_id, place_text(config_, place),
                          *outcome == RemoveOutcome::kRemoved ? "removed" : "already absent"),
              group_field(config_, place));
  }
  reply(id, result);
}

void VipServer::list(std::uint64_t id, std::uint32_t request_id) {
  pi::VipList answer{request_id, {}};
  for (const auto& place : ip_entries(config_)) {
    auto presence = backend_.inspect(resource_at(config_, place));
    if (!presence)
      log::warn(
          fmt::format("ListVips: {}: {}", place_text(config_, place), presence.error().message));
    answer.vips.push_back(pi::VipState{place, presence && presence->present});
  }
  reply(id, answer);
}

void VipServer::reply(std::uint64_t id, const pi::Message& message) {
  auto it = peers_.find(id);
  if (it == peers_.end()) return;
  auto bytes = pi::encode(message);
  auto frame = bytes ? ipc::decode_frame(*bytes) : Result<ipc::Frame>(bytes.error());
  if (!frame) {
    log::error(
        fmt::format("{}: cannot encode an answer: {}", options_.label, frame.error().message));
    return;
  }
  if (Status s = it->second->connection->send(frame->type, frame->payload); !s) {
    log::warn(fmt::format("{}: cannot answer {}: {}", options_.label,
                          peer_text(*it->second->connection), s.error().message));
    // send() closes a connection whose queue overflowed.
    if (!it->second->connection->is_open()) forget(id);
  }
}

void VipServer::broadcast(const pi::Event& event) {
  std::vector<std::uint64_t> greeted;
  for (const auto& [id, peer] : peers_)
    if (peer->permits.greeted()) greeted.push_back(id);
  for (std::uint64_t id : greeted) reply(id, event);
}

bool VipServer::interface_matters(const std::string& interface) {
  for (const auto& medium : config_.ha_cf.media)
    if (medium.interface == interface) return true;
  for (const auto& place : ip_entries(config_)) {
    const auto& resource = resource_at(config_, place);
    if (resource.ip->nic == interface) return true;
    auto presence = backend_.inspect(resource);
    if (presence && presence->interface == interface) return true;
  }
  return false;
}

void VipServer::on_watch_event(const WatchEvent& event) {
  switch (event.kind) {
    case WatchEvent::Kind::kVipRemoved: {
      if (!event.address) return;
      for (const auto& place : ip_entries(config_)) {
        const auto address = IpAddress::parse(resource_at(config_, place).ip->address);
        if (!address || !(*address == *event.address)) continue;
        log::warn(
            fmt::format("{} was removed from {} by someone else", place_text(config_, place),
                        event.interface),
            {{"VIGIL_EVENT", "vip-removed"}, {"VIGIL_GROUP", config_.groups[place.group].key()}});
        broadcast(pi::Event{pi::EventKind::kVipLost, place, event.interface});
      }
      return;
    }
    case WatchEvent::Kind::kLinkDown:
    case WatchEvent::Kind::kLinkUp: {
      if (event.interface.empty() || event.interface.size() > pi::kMaxInterfaceName ||
          !interface_matters(event.interface))
        return;
      const bool down = event.kind == WatchEvent::Kind::kLinkDown;
      log::warn(fmt::format("link {} {}", event.interface, down ? "down" : "up"),
                {{"VIGIL_EVENT", event.event_id()}});
      broadcast(
          pi::Event{down ? pi::EventKind::kLinkDown : pi::EventKind::kLinkUp, {}, event.interface});
      return;
    }
    case WatchEvent::Kind::kResyncNeeded:
      log::warn("netlink notifications were lost; re-read the kernel",
                {{"VIGIL_EVENT", event.event_id()}});
      return;
  }
}

void VipServer::arm_lease_timer() {
  if (auto deadline = lease_.deadline())
    lease_timer_.arm_at(*deadline);
  else
    lease_timer_.cancel();
}

void VipServer::on_lease_timer() {
  if (!lease_.expire(MonoClock::now())) return arm_lease_timer();
  const auto lease_ms = lease_.lease().count();
  if (ever_greeted_)
    log::crit(fmt::format("heartbeatd gone for {} ms: removing all virtual IPs (lease expired)",
                          lease_ms),
              {{"VIGIL_EVENT", "lease-expired"}});
  else
    log::crit(fmt::format("heartbeatd did not connect within {} ms of ipd's start: removing all "
                          "virtual IPs (lease expired)",
                          lease_ms),
              {{"VIGIL_EVENT", "lease-expired"}});
  for (const auto& place : release_order(config_)) {
    const auto& resource = resource_at(config_, place);
    auto presence = backend_.inspect(resource);
    if (!presence) {
      log::error(fmt::format("lease expired: {}: {}", place_text(config_, place),
                             presence.error().message),
                 group_field(config_, place));
      continue;
    }
    if (!presence->present) continue;
    if (auto removed = backend_.release(resource); !removed)
      log::error(fmt::format("lease expired: removing {}: {}", place_text(config_, place),
                             removed.error().message),
                 group_field(config_, place));
    else
      log::notice(fmt::format("lease expired: removed {} ({})", place_text(config_, place),
                              presence->describe),
                  group_field(config_, place));
  }
  report_status();
}

}  // namespace vigil::ipd
