#include "heartbeatd/helpers/resourced_client.h"

#include <fmt/format.h>

#include <utility>
#include <variant>

#include "common/ipc/frame.h"
#include "common/log.h"

namespace vigil::helpers {

namespace pr = proto::resourced;

ResourcedClient::ResourcedClient(EventLoop& loop, ResourcedClientOptions options,
                                 StateCallback on_state)
    : loop_(loop),
      options_(std::move(options)),
      on_state_(std::move(on_state)),
      retry_(loop, [this] { try_connect(); }),
      backoff_(options_.first_retry, options_.max_retry, options_.lease_ms) {}

ResourcedClient::~ResourcedClient() {
  if (connection_) connection_->close();
}

void ResourcedClient::start() {
  if (started_) return;
  started_ = true;
  try_connect();
}

std::uint32_t ResourcedClient::request(const proto::ResourcePlace& place, pr::Op op,
                                       ReplyCallback on_reply) {
  const std::uint32_t id = next_id_++;
  if (next_id_ == 0) next_id_ = 1;  // 0 is never an id
  pr::Request request{id, options_.config_hash, place, op};
  pending_.emplace(id, Pending{request, std::move(on_reply)});
  if (connection_) send(request);
  return id;
}

void ResourcedClient::set_lease(std::uint32_t lease_ms) {
  options_.lease_ms = lease_ms;
  backoff_.set_lease(lease_ms);
  if (connection_) send(proto::Lease{lease_ms});
}

void ResourcedClient::try_connect() {
  auto connection = ipc::Connection::connect(loop_, options_.socket_path);
  if (!connection) {
    if (!reported_down_)
      log::warn(fmt::format("resourced: cannot connect to {}: {}; retrying", options_.socket_path,
                            connection.error().message));
    reported_down_ = true;
    schedule_retry();
    return;
  }
  const ipc::PeerCredentials server = (*connection)->peer();
  if (options_.server_uid && server.uid != *options_.server_uid) {
    if (!reported_down_)
      log::error(fmt::format("resourced: {} is served by pid {} uid {}, not uid {}: not "
                             "resourced; retrying",
                             options_.socket_path, server.pid, server.uid, *options_.server_uid));
    reported_down_ = true;
    (*connection)->close();
    schedule_retry();
    return;
  }
  connection_ = std::move(*connection);
  connection_->start([this](ipc::Frame frame) { on_frame(frame); },
                     [this](const Error& why) { drop(why.message); });
  if (!send(proto::Hello{options_.config_hash, options_.lease_ms})) return;
  // Every request not answered yet, in id order: a restart of resourced
  // cut them off, and each is safe to run again.
  for (const auto& [id, p] : pending_) {
    if (!connection_ || !send(p.request)) return;
  }
  backoff_.reset();
  reported_down_ = false;
  log::info(fmt::format("resourced: connected to {} (pid {}); {} request(s) re-sent",
                        options_.socket_path, server.pid, pending_.size()));
  up_ = true;
  if (on_state_) on_state_(true);
}

bool ResourcedClient::send(const pr::Message& message) {
  auto bytes = pr::encode(message);
  auto frame = bytes ? ipc::decode_frame(*bytes) : Result<ipc::Frame>(bytes.error());
  if (!frame) {
    log::error(fmt::format("resourced: cannot encode a message: {}", frame.error().message));
    return true;  // a local bug, not the connection's fault
  }
  if (Status s = connection_->send(frame->type, frame->payload); !s) {
    drop("send failed: " + s.error().message);
    return false;
  }
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

void ResourcedClient::drop(const std::string& why) {
  if (!connection_) return;
  connection_->close();
  // We may be inside one of its callbacks; connection.h permits this.
  connection_.reset();
  log::warn(fmt::format("resourced: connection lost ({}); {} request(s) waiting; reconnecting",
                        why, pending_.size()));
  if (up_) {
    up_ = false;
    if (on_state_) on_state_(false);
  }
  schedule_retry();
}

void ResourcedClient::schedule_retry() {
  retry_.arm_after(backoff_.next());
}

}  // namespace vigil::helpers
