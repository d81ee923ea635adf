#include "heartbeatd/helpers/helper_client.h"

#include <fmt/format.h>

#include <utility>

#include "common/log.h"

namespace vigil::helpers {

HelperClient::HelperClient(EventLoop& loop, std::string helper, HelperClientOptions options,
                           StateCallback on_state)
    : loop_(loop),
      helper_(std::move(helper)),
      options_(std::move(options)),
      on_state_(std::move(on_state)),
      retry_(loop, [this] { try_connect(); }),
      backoff_(options_.first_retry, options_.max_retry, options_.lease_ms) {}

HelperClient::~HelperClient() {
  if (connection_) connection_->close();
}

void HelperClient::start() {
  if (started_) return;
  started_ = true;
  try_connect();
}

std::uint32_t HelperClient::next_id() {
  const std::uint32_t id = next_id_++;
  if (next_id_ == 0) next_id_ = 1;  // 0 is never an id
  return id;
}

void HelperClient::set_lease(std::uint32_t lease_ms) {
  options_.lease_ms = lease_ms;
  backoff_.set_lease(lease_ms);
  if (connection_) send(encode(proto::Lease{lease_ms}));
}

void HelperClient::try_connect() {
  auto connection = ipc::Connection::connect(loop_, options_.socket_path);
  if (!connection) {
    if (!reported_down_)
      log::warn(fmt::format("{}: cannot connect to {}: {}; retrying", helper_, options_.socket_path,
                            connection.error().message));
    reported_down_ = true;
    schedule_retry();
    return;
  }
  const ipc::PeerCredentials server = (*connection)->peer();
  if (options_.server_uid && server.uid != *options_.server_uid) {
    if (!reported_down_)
      log::error(fmt::format("{}: {} is served by pid {} uid {}, not uid {}: not {}; retrying",
                             helper_, options_.socket_path, server.pid, server.uid,
                             *options_.server_uid, helper_));
    reported_down_ = true;
    (*connection)->close();
    schedule_retry();
    return;
  }
  connection_ = std::move(*connection);
  connection_->start([this](ipc::Frame frame) { on_frame(frame); },
                     [this](const Error& why) { drop(why.message); });
  if (!send(encode(proto::Hello{options_.config_hash, options_.lease_ms}))) return;
  if (!resend_waiting()) return;
  backoff_.reset();
  reported_down_ = false;
  log::info(fmt::format("{}: connected to {} (pid {}); {} request(s) re-sent", helper_,
                        options_.socket_path, server.pid, in_flight()));
  up_ = true;
  down_since_.reset();
  if (on_state_) on_state_(true);
}

bool HelperClient::send(const vigil::Result<ipc::Bytes>& message) {
  if (!connection_) return false;
  auto frame = message ? ipc::decode_frame(*message) : vigil::Result<ipc::Frame>(message.error());
  if (!frame) {
    log::error(fmt::format("{}: cannot encode a message: {}", helper_, frame.error().message));
    return true;  // a local bug, not the connection's fault
  }
  if (Status s = connection_->send(frame->type, frame->payload); !s) {
    drop("send failed: " + s.error().message);
    return false;
  }
  return true;
}

void HelperClient::drop(const std::string& why) {
  if (!connection_) return;
  connection_->close();
  // We may be inside one of its callbacks; connection.h permits this.
  connection_.reset();
  log::warn(fmt::format("{}: connection lost ({}); {} request(s) waiting; reconnecting", helper_,
                        why, in_flight()));
  if (up_) {
    up_ = false;
    down_since_ = MonoClock::now();
    if (on_state_) on_state_(false);
  }
  schedule_retry();
}

void HelperClient::schedule_retry() { retry_.arm_after(backoff_.next()); }

}  // namespace vigil::helpers
