#include "heartbeatd/observe/metrics.h"

#include <fmt/format.h>

#include <initializer_list>
#include <utility>

namespace vigil::observe {

namespace {

namespace ctl = proto::control;
using Labels = std::vector<std::pair<std::string_view, std::string_view>>;

// One family at a time: HELP and TYPE once, before its first series.
class Writer {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    name_ = name;
    header_ = fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  }
  void sample(const Labels& labels, double value) {
    out_ += header_;
    header_.clear();
    out_ += name_;
    if (!labels.empty()) {
      out_ += '{';
      for (std::size_t i = 0; i < labels.size(); ++i)
        out_ += fmt::format("{}{}=\"{}\"", i ? "," : "", labels[i].first,
                            escape_label(labels[i].second));
      out_ += '}';
    }
    out_ += fmt::format(" {}\n", value);
  }
  void sample(const Labels& labels, std::uint64_t value) {
    sample(labels, static_cast<double>(value));
  }
  std::string take() { return std::move(out_); }

 private:
  std::string name_;
  std::string header_;
  std::string out_;
};

double seconds(std::int64_t us) { return static_cast<double>(us) / 1e6; }

void nodes(Writer& w, const MetricsInput& in) {
  w.family("vigil_node_status", "gauge",
           "Node status as heartbeatd sees it: 1 for the current status, 0 for the others.");
  for (const auto& n : in.status.nodes) {
    if (n.type == ctl::NodeType::kPing) continue;
    for (auto s : {ctl::NodeStatus::kInit, ctl::NodeStatus::kUp, ctl::NodeStatus::kActive,
                   ctl::NodeStatus::kDead})
      w.sample({{"node", n.name}, {"status", ctl::node_status_word(s)}},
               std::uint64_t{n.status == s});
  }
  w.family("vigil_link_up", "gauge",
           "Whether heartbeats from the node arrive on the link (1) or it timed out (0).");
  for (const auto& n : in.status.nodes)
    for (const auto& l : n.links)
      w.sample({{"node", n.name}, {"link", l.name}}, std::uint64_t{l.up});
  w.family("vigil_node_advertised_deadtime_seconds", "gauge",
           "The deadtime a peer advertises in its heartbeats (used for it when longer than ours).");
  for (const auto& n : in.snapshot.nodes)
    if (!n.local && n.advertised_deadtime_ms)
      w.sample({{"node", n.name}}, static_cast<double>(*n.advertised_deadtime_ms) / 1000.0);
  w.family("vigil_late_heartbeats_total", "counter",
           "Heartbeats that arrived later than warntime after the previous one.");
  for (const auto& [node, count] : in.timeline.transitions().late_heartbeats())
    w.sample({{"node", node}}, count);
}

void packets(Writer& w, const MetricsInput& in) {
  const ctl::Counters& c = in.status.counters;
  w.family("vigil_packets_accepted_total", "counter",
           "Cluster packets that passed decoding, authentication and the replay check.");
  w.sample({}, c.accepted);
  w.family("vigil_packets_rejected_total", "counter",
           "Cluster packets refused, by reason: malformed (did not decode), unauthenticated "
           "(bad signature or key), replay (older generation or replayed), unknown_node (not in "
           "ha.cf), unreadable (oversized or receive error).");
  for (const auto& [reason, n] : std::initializer_list<std::pair<std::string_view, std::uint64_t>>{
           {"malformed", c.malformed},
           {"unauthenticated", c.unauthenticated},
           {"replay", c.replay_drops},
           {"unknown_node", c.unknown_node_drops},
           {"unreadable", c.unreadable}})
    w.sample({{"reason", reason}}, n);
  w.family("vigil_bad_packets_by_source_total", "counter",
           "Packets that failed framing or authentication, by sender address as the kernel "
           "reported it (forgeable; \"other\" beyond the tracked senders) and reason.");
  for (const auto& b : in.status.bad_packet_sources)
    for (const auto& [reason, n] :
         std::initializer_list<std::pair<std::string_view, std::uint64_t>>{
             {"malformed", b.malformed},
             {"unauthenticated", b.unauthenticated},
             {"unreadable", b.unreadable}})
      w.sample({{"source", b.address}, {"reason", reason}}, n);
  w.family("vigil_packets_lost_total", "counter",
           "Sequence numbers from the node found missing (asked to be retransmitted).");
  for (const auto& n : in.snapshot.nodes)
    if (!n.local) w.sample({{"node", n.name}}, n.lost_packets);
  w.family("vigil_retransmit_requests_sent_total", "counter",
           "Retransmission requests sent to the node.");
  for (const auto& n : in.snapshot.nodes)
    if (!n.local) w.sample({{"node", n.name}}, n.rexmit_requests);
  w.family("vigil_retransmissions_sent_total", "counter",
           "Stored packets sent again because a peer asked for them.");
  w.sample({}, in.snapshot.counters.rexmits_sent);
}

void groups(Writer& w, const MetricsInput& in) {
  w.family("vigil_resource_management_active", "gauge",
           "1 once heartbeatd knows what this node holds (the start-up survey is done).");
  w.sample({}, std::uint64_t{in.status.resource_management});
  w.family("vigil_group_held", "gauge", "Whether this node holds the resource group.");
  for (const auto& g : in.status.groups)
    w.sample({{"group", g.key}, {"home_node", g.home_node}},
             std::uint64_t{g.owner == in.status.local_node});
  w.family("vigil_group_owner", "gauge",
           "The node holding the group (or none, transition, unknown), as a label; always 1.");
  for (const auto& g : in.status.groups) w.sample({{"group", g.key}, {"owner", g.owner}}, 1.0);
  w.family("vigil_group_state", "gauge",
           "The group's state on this node: 1 for the current state, 0 for the others.");
  for (const auto& g : in.status.groups)
    for (auto s : {ctl::GroupState::kUnknown, ctl::GroupState::kStopped, ctl::GroupState::kStarting,
                   ctl::GroupState::kRunning, ctl::GroupState::kStopping, ctl::GroupState::kFailed,
                   ctl::GroupState::kStopFailed})
      w.sample({{"group", g.key}, {"state", ctl::group_state_word(s)}},
               std::uint64_t{g.state == s});
}

void transitions(Writer& w, const MetricsInput& in) {
  const TransitionCounts& t = in.timeline.transitions();
  w.family("vigil_takeovers_total", "counter",
           "Takeovers of a peer's resource groups by this node, by cause: peer_dead (declared "
           "dead) or peer_shutdown (it shut down gracefully).");
  for (std::string_view cause : {"peer_dead", "peer_shutdown"}) {
    auto it = t.takeovers().find(std::string(cause));
    w.sample({{"cause", cause}}, it == t.takeovers().end() ? 0 : it->second);
  }
  w.family("vigil_standbys_total", "counter",
           "Completed standby hand-overs: direction give (this node gave groups away) by cause "
           "requested or auto_failback, or take (took them at the peer's request).");
  for (const auto& [dc, n] : t.standbys())
    w.sample({{"direction", dc.first}, {"cause", dc.second}}, n);
  w.family("vigil_failbacks_total", "counter",
           "Foreign groups handed back to their home node by auto_failback.");
  w.sample({}, t.failbacks());
  w.family("vigil_events_total", "counter",
           "Cluster events recorded since heartbeatd started, by id: the VIGIL_EVENT of the "
           "log, or the timeline's step-started, step-finished, heartbeat-last-heard.");
  for (const auto& [event, n] : in.timeline.counts()) w.sample({{"event", event}}, n);
}

void last_takeover(Writer& w, const MetricsInput& in) {
  if (!in.last_takeover) return;
  const Failover& f = *in.last_takeover;
  w.family("vigil_last_takeover_duration_seconds", "gauge",
           "The last complete takeover, from the last heartbeat heard from the node (or its "
           "shutdown notice) to mach_down complete.");
  w.sample({{"from_node", f.from_node}}, seconds(f.total_us));
  w.family("vigil_last_takeover_timestamp_seconds", "gauge",
           "When the last complete takeover finished (Unix time).");
  w.sample({{"from_node", f.from_node}}, seconds(f.entries.back().event.wall_us));
  w.family("vigil_last_takeover_step_duration_seconds", "gauge",
           "Each resource step of the last complete takeover: start to finish.");
  for (const auto& s : f.steps)
    w.sample({{"group", s.group}, {"step", s.text}}, seconds(s.duration_us));
}

void helpers(Writer& w, const MetricsInput& in) {
  w.family("vigil_helper_connected", "gauge",
           "Whether heartbeatd is connected to the root helper (ipd, resourced).");
  for (const auto& h : in.helpers) w.sample({{"helper", h.name}}, std::uint64_t{h.connected});
  w.family("vigil_helper_lease_seconds", "gauge",
           "The lease heartbeatd gives the helper: how long it keeps our resources after "
           "losing us.");
  for (const auto& h : in.helpers) w.sample({{"helper", h.name}}, h.lease_seconds);
  w.family("vigil_helper_lease_remaining_seconds", "gauge",
           "How long the helper would still keep our resources: the whole lease while "
           "connected, what is left once disconnected, 0 before the first connection.");
  for (const auto& h : in.helpers) w.sample({{"helper", h.name}}, h.lease_remaining_seconds);
}

// Resource health (vigil-metrics(7)): only with health_check on.
void health(Writer& w, const MetricsInput& in) {
  if (in.health.empty()) return;
  w.family("vigil_maintenance", "gauge",
           "1 while `vigilctl maintenance on` suspends resource checks for every group.");
  w.sample({}, std::uint64_t{in.maintenance});
  auto each = [&](auto value) {
    for (const auto& r : in.health)
      w.sample({{"group", r.group}, {"resource", r.resource}}, value(r));
  };
  w.family("vigil_resource_check_failed", "gauge",
           "1 if the resource's last health check failed or timed out.");
  each([](const ResourceHealthMetrics& r) { return std::uint64_t{r.last_failed}; });
  w.family("vigil_resource_fail_count", "gauge",
           "Confirmed failures of the resource within health_failure_window.");
  each([](const ResourceHealthMetrics& r) { return static_cast<std::uint64_t>(r.failures); });
  w.family("vigil_resource_checks_total", "counter", "Health checks of the resource.");
  each([](const ResourceHealthMetrics& r) { return r.checks; });
  w.family("vigil_resource_failed_checks_total", "counter",
           "Health checks of the resource that failed or timed out.");
  each([](const ResourceHealthMetrics& r) { return r.failed_checks; });
  w.family("vigil_resource_restarts_total", "counter",
           "Restarts in place after a confirmed failure of the resource.");
  each([](const ResourceHealthMetrics& r) { return r.restarts; });
}

}  // namespace

std::string escape_label(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char ch : value) {
    if (ch == '\\')
      out += "\\\\";
    else if (ch == '"')
      out += "\\\"";
    else if (ch == '\n')
      out += "\\n";
    else
      out += ch;
  }
  return out;
}

// ---- issue 18: corosync ----
void quorum(Writer& w, const MetricsInput& in) {
  const auto& q = in.status.quorum;
  w.family("vigil_quorate", "gauge",
           "1 while this node's partition has quorum (always 1 with heartbeat's own membership, "
           "which has none); without it no group is held here.");
  w.sample({{"backend", q.corosync ? "corosync" : "heartbeat"}}, std::uint64_t{q.quorate});
  if (!q.corosync) return;
  w.family("vigil_corosync_members", "gauge",
           "Nodes whose heartbeatd is in the corosync CPG group, this one included.");
  w.sample({}, static_cast<std::uint64_t>(q.members.size()));
}

std::string render_metrics(const MetricsInput& in) {
  Writer w;
  w.family("vigil_build_info", "gauge", "The vigil version heartbeatd runs; always 1.");
  w.sample({{"version", in.version}}, 1.0);
  w.family("vigil_local_status", "gauge",
           "This node's own status: 1 for the current one (init, up, active), 0 for the others.");
  for (auto s : {ctl::NodeStatus::kInit, ctl::NodeStatus::kUp, ctl::NodeStatus::kActive})
    w.sample({{"node", in.status.local_node}, {"status", ctl::node_status_word(s)}},
             std::uint64_t{in.status.local_status == s});
  nodes(w, in);
  packets(w, in);
  groups(w, in);
  transitions(w, in);
  last_takeover(w, in);
  helpers(w, in);
  health(w, in);
  quorum(w, in);
  return w.take();
}

}  // namespace vigil::observe
