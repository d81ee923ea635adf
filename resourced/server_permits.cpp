#include "resourced/server_permits.h"

#include <fmt/format.h>

#include <variant>

namespace vigil::resourced {

namespace {

Permit close_because(std::string why) {
  Permit v;
  v.kind = Permit::Kind::kClose;
  v.why = std::move(why);
  return v;
}

}  // namespace

std::string place_violation(const conf::Config& config, const proto::ResourcePlace& place) {
  if (place.group >= config.groups.size())
    return fmt::format("group {} is not in haresources ({} groups)", place.group,
                       config.groups.size());
  const auto& group = config.groups[place.group];
  if (place.position >= group.resources.size())
    return fmt::format("position {} is not in group {} ({} resources)", place.position,
                       group.key(), group.resources.size());
  const auto& resource = group.resources[place.position];
  if (resource.is_ip())
    return fmt::format("{} (group {}, position {}) is an IP entry: it belongs to ipd",
                       resource.text, place.group, place.position);
  return {};
}

Permit ServerPermits::on_message(const proto::resourced::Message& message) {
  using namespace proto::resourced;
  if (const auto* hello = std::get_if<proto::Hello>(&message)) return on_hello(*hello);
  if (const auto* lease = std::get_if<proto::Lease>(&message)) return on_lease(*lease);
  if (const auto* request = std::get_if<Request>(&message)) return on_request(*request);
  return close_because("a Reply was sent to resourced");
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

Permit ServerPermits::on_request(const proto::resourced::Request& request) {
  if (!greeted_) return close_because("Request before Hello");
  if (request.config_hash != config_.hash)
    return close_because(fmt::format("Request {} with configuration hash {}, ours is {}",
                                     request.request_id, request.config_hash, config_.hash));
  if (std::string why = place_violation(config_, request.place); !why.empty())
    return close_because(fmt::format("Request {}: {}", request.request_id, why));
  Permit v;
  v.kind = Permit::Kind::kRun;
  v.request = request;
  return v;
}

}  // namespace vigil::resourced
