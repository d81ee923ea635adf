#include "ipd/server_permits.h"

#include <fmt/format.h>

#include <variant>

namespace vigil::ipd {

namespace {

namespace pi = proto::ipd;

Permit close_because(std::string why) {
  Permit v;
  v.kind = Permit::Kind::kClose;
  v.why = std::move(why);
  return v;
}

template <class... F>
struct Overload : F... {
  using F::operator()...;
};

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
      Overload{
          [&](const proto::Hello& m) { return on_hello(m); },
          [&](const proto::Lease& m) { return on_lease(m); },
          [&](const pi::AddVip& m) {
            return on_vip(m.request_id, m.config_hash, m.place, Permit::Kind::kAdd, "AddVip");
          },
          [&](const pi::RemoveVip& m) {
            return on_vip(m.request_id, m.config_hash, m.place, Permit::Kind::kRemove, "RemoveVip");
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

Permit ServerPermits::on_hello(const proto::Hello& hello) {
  if (greeted_) return close_because("a second Hello on the same connection");
  if (hello.config_hash != config_.hash)
    return close_because(fmt::format("Hello with configuration hash {}, ours is {}",
                                     hello.config_hash, config_.hash));
  if (Status s = proto::check_lease(hello.lease_ms); !s)
    return close_because("Hello: " + s.error().message);
  greeted_ = true;
  Permit v;
  v.kind = Permit::Kind::kGreet;
  v.lease_ms = hello.lease_ms;
  return v;
}

Permit ServerPermits::on_lease(const proto::Lease& lease) {
  if (!greeted_) return close_because("Lease before Hello");
  if (Status s = proto::check_lease(lease.lease_ms); !s)
    return close_because("Lease: " + s.error().message);
  Permit v;
  v.kind = Permit::Kind::kLease;
  v.lease_ms = lease.lease_ms;
  return v;
}

Permit ServerPermits::on_vip(std::uint32_t request_id, const std::string& hash,
                             const proto::ResourcePlace& place, Permit::Kind kind,
                             const char* what) {
  if (!greeted_) return close_because(fmt::format("{} before Hello", what));
  if (hash != config_.hash)
    return close_because(fmt::format("{} {} with configuration hash {}, ours is {}", what,
                                     request_id, hash, config_.hash));
  if (std::string why = place_violation(config_, place); !why.empty())
    return close_because(fmt::format("{} {}: {}", what, request_id, why));
  Permit v;
  v.kind = kind;
  v.request_id = request_id;
  v.place = place;
  return v;
}

}  // namespace vigil::ipd
