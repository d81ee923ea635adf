#include "heartbeatd/helpers/ipd_client.h"

#include <fmt/format.h>

#include <utility>

#include "common/ipc/frame.h"
#include "common/log.h"

namespace vigil::helpers {

namespace pi = proto::ipd;

IpdClient::IpdClient(EventLoop& loop, IpdClientOptions options, EventCallback on_event,
                     StateCallback on_state)
    : loop_(loop),
      options_(std::move(options)),
      on_event_(std::move(on_event)),
      on_state_(std::move(on_state)),
      retry_(loop, [this] { try_connect(); }),
      backoff_(options_.first_retry, options_.max_retry, options_.lease_ms) {}

IpdClient::~IpdClient() {
  if (connection_) connection_->close();
}

void IpdClient::start() {
  if (started_) return;
  started_ = true;
  try_connect();
}

std::uint32_t IpdClient::next_id() {
  const std::uint32_t id = next_id_++;
  if (next_id_ == 0) next_id_ = 1;  // 0 is never an id
  return id;
}

std::uint32_t IpdClient::add(const proto::ResourcePlace& place, ResultCallback on_result) {
  return submit(
      Pending{pi::AddVip{next_id(), options_.config_hash, place}, std::move(on_result), {}});
}

std::uint32_t IpdClient::remove(const proto::ResourcePlace& place, ResultCallback on_result) {
  return submit(
      Pending{pi::RemoveVip{next_id(), options_.config_hash, place}, std::move(on_result), {}});
}

std::uint32_t IpdClient::list(ListCallback on_list) {
  return submit(Pending{pi::ListVips{next_id()}, {}, std::move(on_list)});
}

std::uint32_t IpdClient::submit(Pending pending) {
  const std::uint32_t id = std::visit([](const auto& r) { return r.request_id; }, pending.request);
  const Request request = pending.request;
  pending_.emplace(id, std::move(pending));
  if (connection_) std::visit([this](const auto& r) { send(r); }, request);
  return id;
}

void IpdClient::set_lease(std::uint32_t lease_ms) {
  options_.lease_ms = lease_ms;
  backoff_.set_lease(lease_ms);
  if (connection_) send(proto::Lease{lease_ms});
}

void IpdClient::try_connect() {
  auto connection = ipc::Connection::connect(loop_, options_.socket_path);
  if (!connection) {
    if (!reported_down_)
      log::warn(fmt::format("ipd: cannot connect to {}: {}; retrying", options_.socket_path,
                            connection.error().message));
    reported_down_ = true;
    schedule_retry();
    return;
  }
  const ipc::PeerCredentials server = (*connection)->peer();
  if (options_.server_uid && server.uid != *options_.server_uid) {
    if (!reported_down_)
      log::error(fmt::format("ipd: {} is served by pid {} uid {}, not uid {}: not ipd; retrying",
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
  // Every request not answered yet, in id order: an ipd restart cut them
  // off, and each is safe to send again (ipd_messages.h: add and remove
  // are idempotent).
  for (const auto& [id, p] : pending_) {
    if (!connection_) return;
    const bool sent = std::visit([this](const auto& r) { return send(r); }, p.request);
    if (!sent) return;
  }
  backoff_.reset();
  reported_down_ = false;
  log::info(fmt::format("ipd: connected to {} (pid {}); {} request(s) re-sent",
                        options_.socket_path, server.pid, pending_.size()));
  up_ = true;
  if (on_state_) on_state_(true);
}

bool IpdClient::send(const pi::Message& message) {
  auto bytes = pi::encode(message);
  auto frame = bytes ? ipc::decode_frame(*bytes) : Result<ipc::Frame>(bytes.error());
  if (!frame) {
    log::error(fmt::format("ipd: cannot encode a message: {}", frame.error().message));
    return true;  // a local bug, not the connection's fault
  }
  if (Status s = connection_->send(frame->type, frame->payload); !s) {
    drop("send failed: " + s.error().message);
    return false;
  }
  return true;
}

void IpdClient::on_frame(const ipc::Frame& frame) {
  auto message = pi::decode(frame);
  if (!message) return drop("malformed message from ipd: " + message.error().message);
  if (const auto* result = std::get_if<pi::Result>(&*message)) return on_result(*result);
  if (const auto* list = std::get_if<pi::VipList>(&*message)) return on_list(*list);
  if (const auto* event = std::get_if<pi::Event>(&*message)) {
    if (on_event_) on_event_(*event);
    return;
  }
  drop("ipd sent a request, which only heartbeatd sends");
}

void IpdClient::on_result(const pi::Result& result) {
  auto it = pending_.find(result.request_id);
  if (it == pending_.end() || std::holds_alternative<pi::ListVips>(it->second.request))
    return drop(fmt::format("Result for unknown request {}", result.request_id));
  ResultCallback callback = std::move(it->second.on_result);
  pending_.erase(it);
  if (callback) callback(result);
}

void IpdClient::on_list(const pi::VipList& list) {
  auto it = pending_.find(list.request_id);
  if (it == pending_.end() || !std::holds_alternative<pi::ListVips>(it->second.request))
    return drop(fmt::format("VipList for unknown request {}", list.request_id));
  ListCallback callback = std::move(it->second.on_list);
  pending_.erase(it);
  if (callback) callback(list);
}

void IpdClient::drop(const std::string& why) {
  if (!connection_) return;
  connection_->close();
  // We may be inside one of its callbacks; connection.h permits this.
  connection_.reset();
  log::warn(fmt::format("ipd: connection lost ({}); {} request(s) waiting; reconnecting", why,
                        pending_.size()));
  if (up_) {
    up_ = false;
    if (on_state_) on_state_(false);
  }
  schedule_retry();
}

void IpdClient::schedule_retry() {
  retry_.arm_after(backoff_.next());
}

}  // namespace vigil::helpers
