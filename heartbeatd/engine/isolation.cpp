#include "heartbeatd/engine/isolation.h"

#include <fmt/format.h>

#include "conf/fence_devices.h"
#include "conf/ping_nodes.h"

namespace vigil::engine {

namespace {

Log loud(std::string text, const char* event, const std::string& node) {
  return Log{log::Priority::kCrit, std::move(text), {{"VIGIL_NODE", node}, {"VIGIL_EVENT", event}}};
}

}  // namespace

IsolationWatch::IsolationWatch(const conf::Config& config)
    : fencing_(conf::fences_any_peer(config)), deadtime_(config.ha_cf.deadtime) {
  for (const auto& p : conf::ping_nodes(config.ha_cf)) ping_nodes_.insert(p.name);
  // Two nodes only: with more, "every peer dead" says less about who is cut.
  if (config.ha_cf.nodes.size() == 2)
    for (const auto& n : config.ha_cf.nodes)
      if (n != config.local_node) peer_ = n;
}

std::string IsolationWatch::ping_list() const {
  std::string s;
  for (const auto& p : ping_nodes_) s += (s.empty() ? "" : ", ") + p;
  return s;
}

IsolationWatch::Verdict IsolationWatch::on_membership(const core::Action& action, MonoTime now) {
  Verdict v;
  const auto* e = std::get_if<core::MembershipEvent>(&action);
  if (e == nullptr || !applies()) return v;
  using core::EventKind;
  const bool is_ping = ping_nodes_.count(e->node) != 0;
  const bool is_peer = e->node == peer_;
  bool came_back = false;
  bool died = false;
  switch (e->kind) {
    case EventKind::kCommUp:
      comm_up_ = true;
      return v;
    case EventKind::kNodeUp:
    case EventKind::kPeerReturnedAfterPartition:
    case EventKind::kPeerRestarted:
      if (is_peer) came_back = !peer_alive_, peer_alive_ = true;
      if (is_ping) came_back = alive_pings_.insert(e->node).second;
      break;
    case EventKind::kStatusChanged:
      if (is_ping && e->detail == "ping") came_back = alive_pings_.insert(e->node).second;
      break;
    case EventKind::kNodeDead:
      if (is_peer) died = peer_alive_, peer_alive_ = false;
      if (is_ping) died = alive_pings_.erase(e->node) != 0;
      break;
    default:
      return v;
  }
  if (!comm_up_) return v;
  if (peer_alive_) retake_at_.reset();  // the peer is back: §6.8 decides
  // The tie-break's limit (ping-nodes.md): we reach a ping node and not the
  // peer, so we serve its groups; if the peer reaches one too, it keeps
  // serving as well. Said when the peer dies (and in on_tick when our
  // isolation ends with the peer still dead).
  if (died && is_peer && !alive_pings_.empty() && !fencing_) v.logs.push_back(two_holders());
  if (died && !isolated_ && nothing_reachable()) {
    isolated_ = true;
    v.edge = Edge::kIsolated;
    v.logs.push_back(loud(
        fmt::format("Isolated: no link to {} and no ping node answers ({}): this node is the one "
                    "cut off; releasing every resource group so that {} alone holds them",
                    peer_, ping_list(), peer_),
        "isolated-release", peer_));
  } else if (came_back && isolated_) {
    isolated_ = false;
    if (!peer_alive_) retake_at_ = now + deadtime_;
    v.logs.push_back(Log{log::Priority::kWarn,
                         fmt::format("No longer isolated: {} answers again", e->node),
                         {{"VIGIL_NODE", e->node}, {"VIGIL_EVENT", "isolated-release"}}});
  }
  return v;
}

IsolationWatch::Verdict IsolationWatch::on_tick(MonoTime now) {
  Verdict v;
  if (!retake_at_ || now < *retake_at_) return v;
  retake_at_.reset();
  v.edge = Edge::kReachable;
  if (!fencing_) v.logs.push_back(two_holders());
  return v;
}

Log IsolationWatch::two_holders() const {
  return loud(
      fmt::format("{} is dead to us but ping nodes still answer: if only the link between us "
                  "failed, {} still serves too and two nodes hold its groups until the "
                  "partition heals (no fencing configured)",
                  peer_, peer_),
      "two-holders-possible", peer_);
}

}  // namespace vigil::engine
