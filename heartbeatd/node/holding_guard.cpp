#include "heartbeatd/node/holding_guard.h"

#include <fmt/format.h>

#include <memory>
#include <utility>

#include "common/log.h"

namespace vigil::node {

namespace pi = proto::ipd;
namespace pr = proto::resourced;

namespace {

log::Fields group_fields(const conf::Config& config, std::size_t group, const char* event) {
  return {{"VIGIL_GROUP", config.groups[group].key()}, {"VIGIL_EVENT", event}};
}

}  // namespace

HoldingGuard::HoldingGuard(const conf::Config& config, HelperPort& helpers, Held held)
    : config_(config), helpers_(helpers), held_(std::move(held)) {}

bool HoldingGuard::place_valid(const proto::ResourcePlace& place) const {
  return place.group < config_.groups.size() &&
         place.position < config_.groups[place.group].resources.size();
}

void HoldingGuard::on_ipd_event(const pi::Event& event) {
  switch (event.kind) {
    case pi::EventKind::kVipLost: {
      if (!place_valid(event.place)) return;
      const auto& group = config_.groups[event.place.group];
      const auto& resource = group.resources[event.place.position];
      if (!held_(event.place.group)) {
        log::warn(fmt::format("IP address {} was removed from {} by someone else",
                              resource.text, event.interface),
                  group_fields(config_, event.place.group, "vip-lost"));
        return;
      }
      log::warn(fmt::format("IP address {} of resource group {} was removed from {} by someone "
                            "else; adding it again",
                            resource.text, group.key(), event.interface),
                group_fields(config_, event.place.group, "vip-lost"));
      restore(event.place, "removed by someone else");
      return;
    }
    case pi::EventKind::kLinkDown:
      log::warn(fmt::format("Local interface {} is down", event.interface),
                {{"VIGIL_LINK", event.interface}, {"VIGIL_EVENT", "local-link-down"}});
      return;
    case pi::EventKind::kLinkUp:
      log::info(fmt::format("Local interface {} is up", event.interface),
                {{"VIGIL_LINK", event.interface}, {"VIGIL_EVENT", "local-link-up"}});
      return;
  }
}

void HoldingGuard::on_connected(HelperPort::Helper helper) {
  if (helper == HelperPort::Helper::kIpd)
    check_vips();
  else
    check_scripts();
}

// Only reads unless something is missing: a helper restart within its
// lease leaves everything in place and must not move anything.
void HoldingGuard::check_vips() {
  bool any = false;
  for (std::size_t g = 0; g < config_.groups.size() && !any; ++g) any = held_(g);
  if (!any) return;
  std::weak_ptr<bool> alive = alive_;
  helpers_.ipd_list([this, alive](const pi::VipList& list) {
    if (alive.expired()) return;
    for (const auto& vip : list.vips) {
      if (vip.present || !place_valid(vip.place) || !held_(vip.place.group)) continue;
      const auto& group = config_.groups[vip.place.group];
      log::warn(fmt::format("IP address {} of resource group {} is not configured after ipd "
                            "reconnected; adding it again",
                            group.resources[vip.place.position].text, group.key()),
                group_fields(config_, vip.place.group, "resource-lost"));
      restore(vip.place, "missing after ipd reconnected");
    }
  });
}

void HoldingGuard::check_scripts() {
  for (std::size_t g = 0; g < config_.groups.size(); ++g) {
    if (!held_(g)) continue;
    const auto& resources = config_.groups[g].resources;
    for (std::size_t p = 0; p < resources.size(); ++p) {
      if (resources[p].is_ip()) continue;
      const proto::ResourcePlace place{static_cast<std::uint16_t>(g),
                                       static_cast<std::uint16_t>(p)};
      std::weak_ptr<bool> alive = alive_;
      helpers_.resourced(place, pr::Op::kStatus, [this, alive, place](const pr::Reply& reply) {
        if (alive.expired()) return;
        if (reply.outcome != pr::Outcome::kOk || reply.state != pr::RunState::kStopped) return;
        if (!held_(place.group)) return;
        const auto& group = config_.groups[place.group];
        log::warn(fmt::format("Resource {} of resource group {} is not running after resourced "
                              "reconnected; starting it again",
                              group.resources[place.position].text, group.key()),
                  group_fields(config_, place.group, "resource-lost"));
        restore(place, "stopped after resourced reconnected");
      });
    }
  }
}

void HoldingGuard::restore(const proto::ResourcePlace& place, const char* why) {
  const auto& group = config_.groups[place.group];
  const std::string text = group.resources[place.position].text;
  const std::string key = group.key();
  auto report = [text, key, why](bool ok, const std::string& detail) {
    if (ok)
      log::info(fmt::format("{} of resource group {} restored ({})", text, key, why),
                {{"VIGIL_GROUP", key}, {"VIGIL_EVENT", "resource-restored"}});
    else
      log::error(fmt::format("Cannot restore {} of resource group {} ({}): {}", text, key, why,
                             detail),
                 {{"VIGIL_GROUP", key}, {"VIGIL_EVENT", "resource-restore-failed"}});
  };
  if (group.resources[place.position].is_ip()) {
    helpers_.ipd_add(place, [report](const pi::Result& r) {
      report(r.outcome == pi::Outcome::kOk, r.detail);
    });
  } else {
    helpers_.resourced(place, pr::Op::kStart, [report](const pr::Reply& r) {
      report(r.outcome == pr::Outcome::kOk, r.output_tail);
    });
  }
}

}  // namespace vigil::node
