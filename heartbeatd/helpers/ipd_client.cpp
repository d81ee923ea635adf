#include "heartbeatd/helpers/ipd_client.h"

#include <fmt/format.h>

#include <utility>

namespace vigil::helpers {

namespace pi = proto::ipd;

IpdClient::IpdClient(EventLoop& loop, IpdClientOptions options, EventCallback on_event,
                     StateCallback on_state)
    : HelperClient(loop, "ipd", std::move(options), std::move(on_state)),
      on_event_(std::move(on_event)) {}

IpdClient::~IpdClient() = default;

vigil::Result<ipc::Bytes> IpdClient::encode(const proto::Hello& hello) const {
  return pi::encode(hello);
}

vigil::Result<ipc::Bytes> IpdClient::encode(const proto::Lease& lease) const {
  return pi::encode(lease);
}

std::uint32_t IpdClient::add(const proto::ResourcePlace& place, ResultCallback on_result) {
  return submit(
      Pending{pi::AddVip{next_id(), options().config_hash, place}, std::move(on_result), {}});
}

std::uint32_t IpdClient::remove(const proto::ResourcePlace& place, ResultCallback on_result) {
  return submit(
      Pending{pi::RemoveVip{next_id(), options().config_hash, place}, std::move(on_result), {}});
}

std::uint32_t IpdClient::announce(const proto::ResourcePlace& place, pi::AnnounceKind kind,
                                  ResultCallback on_result) {
  return submit(Pending{
      pi::AnnounceVip{next_id(), options().config_hash, place, kind}, std::move(on_result), {}});
}

std::uint32_t IpdClient::list(ListCallback on_list) {
  return submit(Pending{pi::ListVips{next_id()}, {}, std::move(on_list)});
}

std::uint32_t IpdClient::submit(Pending pending) {
  const std::uint32_t id = std::visit([](const auto& r) { return r.request_id; }, pending.request);
  const Request request = pending.request;
  pending_.emplace(id, std::move(pending));
  send_request(request);
  return id;
}

bool IpdClient::send_request(const Request& request) {
  return std::visit([this](const auto& r) { return send(pi::encode(r)); }, request);
}

// An ipd restart cut these off, and each is safe to send again
// (ipd_messages.h: add and remove are idempotent).
bool IpdClient::resend_waiting() {
  for (const auto& [id, p] : pending_)
    if (!send_request(p.request)) return false;
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

}  // namespace vigil::helpers
