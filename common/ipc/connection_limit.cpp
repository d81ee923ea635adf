#include "common/ipc/connection_limit.h"

#include "common/log.h"

namespace vigil::ipc {

namespace {

void log_refusal(const RefusalLine& line) {
  log::warn(line.text, {{"VIGIL_EVENT", "ipc-connection-limit"},
                        {"VIGIL_PEER_PID", std::to_string(line.peer.pid)},
                        {"VIGIL_PEER_UID", std::to_string(line.peer.uid)}});
}

}  // namespace

ConnectionLimit::ConnectionLimit(EventLoop& loop, std::string label, std::size_t max,
                                 Duration summary_interval)
    : max_(max),
      tally_(std::move(label), summary_interval),
      summary_(loop, [this] { on_summary_due(); }) {}

std::optional<ConnectionLimit::Slot> ConnectionLimit::take(const PeerCredentials& peer) {
  if (*used_ < max_) return Slot(used_);
  if (auto line = tally_.record(peer, *used_, MonoClock::now())) log_refusal(*line);
  arm_summary();
  return std::nullopt;
}

void ConnectionLimit::on_summary_due() {
  if (auto line = tally_.summarise(MonoClock::now())) log_refusal(*line);
  arm_summary();
}

void ConnectionLimit::arm_summary() {
  if (auto due = tally_.next_deadline()) summary_.arm_at(*due);
}

}  // namespace vigil::ipc
