#include "ipd/server.h"

#include <fmt/format.h>

#include <utility>

#include "common/log.h"
#include "ipd/ip_address.h"
#include "ipd/ip_entries.h"

namespace vigil::ipd {

namespace pi = proto::ipd;

namespace {

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
  return proto::default_lease(config.ha_cf.deadtime);
}

VipServer::VipServer(EventLoop& loop, const conf::Config& config, VipBackend& backend,
                     ServerOptions options, UniqueFd listening, StatusCallback on_status)
    : config_(config),
      backend_(backend),
      on_status_(std::move(on_status)),
      helper_(
          loop, std::move(listening),
          {options.label,
           options.policy,
           options.default_lease,
           {"ipd", "virtual IPs", "removing all virtual IPs", "virtual IPs removed"},
           options.limits},
          [this] { return ServerPermits(config_); },
          [this](std::uint64_t id, ServerPermits& permits, const ipc::Frame& frame) {
            on_frame(id, permits, frame);
          },
          [this] { on_lease_expired(); }, [this] { report_status(); }) {
  adopt_present();
}

VipServer::~VipServer() = default;

std::string VipServer::status_text() const { return helper_.lease().status_text(); }

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

void VipServer::on_frame(std::uint64_t id, ServerPermits& permits, const ipc::Frame& frame) {
  auto message = pi::decode(frame);
  if (!message) return helper_.refuse(id, "malformed message: " + message.error().message);
  const Permit verdict = permits.on_message(*message);
  switch (verdict.kind) {
    case Permit::Kind::kClose:
      return helper_.refuse(id, verdict.why);
    case Permit::Kind::kGreet:
      return helper_.greet(id, verdict.lease_ms);
    case Permit::Kind::kLease:
      return helper_.renew(verdict.lease_ms);
    case Permit::Kind::kAdd:
      return add(id, verdict);
    case Permit::Kind::kRemove:
      return remove(id, verdict);
    case Permit::Kind::kList:
      return list(id, verdict.request_id);
    case Permit::Kind::kAnnounce:
      return announce(id, verdict);
  }
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

void VipServer::announce(std::uint64_t id, const Permit& permit) {
  const auto& place = permit.place;
  const bool refresh = permit.announce == pi::AnnounceKind::kRefresh;
  const Status st = backend_.announce(resource_at(config_, place),
                                      refresh ? config_.vigil_cf.garp_refresh_repeat : 0);
  pi::Result result{permit.request_id, pi::Outcome::kOk, {}};
  if (!st) {
    result.outcome = pi::Outcome::kFailed;
    result.detail = st.error().message.substr(0, proto::kMaxText);
    log::warn(fmt::format("AnnounceVip {}: {}: {}", permit.request_id, place_text(config_, place),
                          st.error().message),
              group_field(config_, place));
  } else if (!refresh) {
    // The periodic refresh stays out of the log: one line per period and
    // address would drown what matters.
    log::info(fmt::format("AnnounceVip {}: {} announced again", permit.request_id,
                          place_text(config_, place)),
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
  helper_.send(id, pi::encode(message), "an answer");
}

void VipServer::broadcast(const pi::Event& event) {
  for (std::uint64_t id : helper_.holders()) reply(id, event);
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

void VipServer::on_lease_expired() {
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
