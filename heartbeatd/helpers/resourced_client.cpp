#include "heartbeatd/helpers/resourced_client.h"

#include <fmt/format.h>

#include <utility>
#include <variant>

namespace vigil::helpers {

namespace pr = proto::resourced;

ResourcedClient::ResourcedClient(EventLoop& loop, ResourcedClientOptions options,
                                 StateCallback on_state)
    : HelperClient(loop, "resourced", std::move(options), std::move(on_state)) {}

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
  pending_.emplace(id, Pending{request, std::move(on_reply)});
  send(pr::encode(request));
  return id;
}

// A restart of resourced cut these off, and each is safe to run again.
bool ResourcedClient::resend_waiting() {
  for (const auto& [id, p] : pending_)
    if (!send(pr::encode(p.request))) return false;
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
  if (it->second.request.op != reply->op)
    return drop(fmt::format("Reply to request {} names another action", reply->request_id));
  ReplyCallback callback = std::move(it->second.on_reply);
  pending_.erase(it);
  if (callback) callback(*reply);
}

}  // namespace vigil::helpers
