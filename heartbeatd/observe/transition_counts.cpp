#include "heartbeatd/observe/transition_counts.h"

namespace vigil::observe {

void TransitionCounts::observe(const proto::control::TimelineEvent& e) {
  if (e.event == "late-heartbeat" && !e.node.empty()) {
    ++late_[e.node];
  } else if (e.event == "node-dead" && !e.node.empty()) {
    last_departure_[e.node] = "peer_dead";
  } else if (e.event == "peer-shutdown" && !e.node.empty()) {
    last_departure_[e.node] = "peer_shutdown";
  } else if (e.event == "takeover" && !e.node.empty()) {
    auto it = last_departure_.find(e.node);
    ++takeovers_[it == last_departure_.end() ? "peer_dead" : it->second];
  } else if (e.event == "standby-request") {
    standby_requested_ = true;
  } else if (e.event == "standby-cancelled" || e.event == "standby-timeout") {
    standby_requested_ = false;
  } else if (e.event == "standby-given") {
    const std::string cause = standby_requested_ ? "requested" : "auto_failback";
    if (!standby_requested_) ++failbacks_;
    ++standbys_[{"give", cause}];
    standby_requested_ = false;
  } else if (e.event == "standby-taken") {
    ++standbys_[{"take", "peer_request"}];
  }
}

}  // namespace vigil::observe
