#include "resourced/server_permits.h"

#include <fmt/format.h>

#include <variant>

#include "common/proto/hello_permits.h"
#include "conf/resource_index.h"

namespace vigil::resourced {

namespace {

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
  if (resource.is_ip())
    return fmt::format("{} (group {}, position {}) is an IP entry: it belongs to ipd",
                       resource.text, place.group, place.position);
  return {};
}

std::string monitor_violation(const conf::Config& config, const proto::resourced::Task& task) {
  const auto at = conf::resource_at(config, task.index);
  if (!at) return fmt::format("resource {} is not in haresources", task.index);
  return place_violation(config, proto::ResourcePlace{at->first, at->second});
}

Permit ServerPermits::on_message(const proto::resourced::Message& message) {
  using namespace proto::resourced;
  if (const auto* hello = std::get_if<proto::Hello>(&message))
    return proto::permit_hello<Permit>(greeted_, config_.hash, *hello);
  if (const auto* lease = std::get_if<proto::Lease>(&message))
    return proto::permit_lease<Permit>(greeted_, *lease);
  if (const auto* request = std::get_if<Request>(&message)) return on_request(*request);
  if (const auto* task = std::get_if<Task>(&message)) return on_task(*task);
  return close_because("a Reply was sent to resourced");
}

Permit ServerPermits::on_request(const proto::resourced::Request& request) {
  if (std::string why = proto::request_violation(greeted_, config_.hash, "Request",
                                                 request.request_id, request.config_hash);
      !why.empty())
    return close_because(why);
  if (std::string why = place_violation(config_, request.place); !why.empty())
    return close_because(fmt::format("Request {}: {}", request.request_id, why));
  Permit v;
  v.kind = Permit::Kind::kRun;
  v.request = request;
  return v;
}

Permit ServerPermits::on_task(const proto::resourced::Task& task) {
  if (std::string why = proto::request_violation(greeted_, config_.hash, "Task", task.request_id,
                                                 task.config_hash);
      !why.empty())
    return close_because(why);
  if (std::string why = task_check_ ? task_check_(task) : "no task is run here"; !why.empty())
    return close_because(fmt::format("Task {}: {}", task.request_id, why));
  Permit v;
  v.kind = Permit::Kind::kTask;
  v.task = task;
  return v;
}

}  // namespace vigil::resourced
