#include "ipd/server_permits.h"

#include <fmt/format.h>

#include <variant>

#include "common/proto/hello_permits.h"
#include "common/proto/message_codec.h"

namespace vigil::ipd {

namespace {

namespace pi = proto::ipd;

Permit close_because(std::string why) { return proto::close_because<Permit>(std::move(why)); }

}  // namespace

std::string place_violation(const conf::Config& config, const proto::ResourcePlace& place) {
  if (place.group >= config.groups.size())
    return fmt::format("group {} is not in haresources ({} groups)", place.group,
                       config.groups.size());
  const auto& group = config.groups[place.group];
  if (place.position >= group.resources.size())
    return fmt::format("position {} is not in group {} ({} resources)", place.position, group.key(),
                       group.resources.size());
  const auto& resource = group.resources[place.position];
  if (!resource.is_ip())
    return fmt::format("{} (group {}, position {}) is not an IP entry: it belongs to resourced",
                       resource.text, place.group, place.position);
  return {};
}

Permit ServerPermits::on_message(const pi::Message& message) {
  return std::visit(
      proto::Overload{
          [&](const proto::Hello& m) {
            return proto::permit_hello<Permit>(greeted_, config_.hash, m);
          },
          [&](const proto::Lease& m) { return proto::permit_lease<Permit>(greeted_, m); },
          [&](const pi::AddVip& m) {
            return on_vip(m.request_id, m.config_hash, m.place, Permit::Kind::kAdd, "AddVip");
          },
          [&](const pi::RemoveVip& m) {
            return on_vip(m.request_id, m.config_hash, m.place, Permit::Kind::kRemove, "RemoveVip");
          },
          [&](const pi::AnnounceVip& m) {
            Permit v = on_vip(m.request_id, m.config_hash, m.place, Permit::Kind::kAnnounce,
                              "AnnounceVip");
            v.announce = m.kind;
            return v;
          },
          [&](const pi::ListVips& m) {
            if (!greeted_) return close_because("ListVips before Hello");
            Permit v;
            v.kind = Permit::Kind::kList;
            v.request_id = m.request_id;
            return v;
          },
          [](const pi::Result&) { return close_because("a Result was sent to ipd"); },
          [](const pi::VipList&) { return close_because("a VipList was sent to ipd"); },
          [](const pi::Event&) { return close_because("an Event was sent to ipd"); },
      },
      message);
}

Permit ServerPermits::on_vip(std::uint32_t request_id, const std::string& hash,
                             const proto::ResourcePlace& place, Permit::Kind kind,
                             const char* what) {
  if (std::string why = proto::request_violation(greeted_, config_.hash, what, request_id, hash);
      !why.empty())
    return close_because(why);
  if (std::string why = place_violation(config_, place); !why.empty())
    return close_because(fmt::format("{} {}: {}", what, request_id, why));
  Permit v;
  v.kind = kind;
  v.request_id = request_id;
  v.place = place;
  return v;
}

}  // namespace vigil::ipd
