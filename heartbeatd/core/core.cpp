// Construction, our own status messages, timers and the snapshot. The
// receive pipeline is in core_receive.cpp, retransmission in core_rexmit.cpp.
#include "heartbeatd/core/core.h"

#include <algorithm>

#include "heartbeatd/core/log_texts.h"
#include "heartbeatd/core/status_copies.h"

namespace vigil::core {

namespace {

constexpr Duration kOneTick{1};  // deadlines are "strictly later than", in µs

std::vector<std::string> ping_node_names(const std::vector<conf::PingNode>& ping_nodes) {
  std::vector<std::string> names;
  for (const auto& p : ping_nodes) names.push_back(p.name);
  return names;
}

}  // namespace

std::string_view local_status_word(LocalStatus s) {
  switch (s) {
    case LocalStatus::kInit:
      return "init";
    case LocalStatus::kUp:
      return "up";
    case LocalStatus::kActive:
      return "active";
  }
  return "init";
}

Core::Core(const conf::Config& config, CoreParams params)
    : local_node_(config.local_node),
      keepalive_(config.ha_cf.keepalive),
      deadtime_(config.ha_cf.deadtime),
      warntime_(config.ha_cf.warntime),
      initdead_(config.ha_cf.initdead),
      deadping_(config.ha_cf.deadping),
      ping_nodes_(conf::ping_nodes(config.ha_cf)),
      max_rexmit_delay_(config.ha_cf.max_rexmit_delay),
      generation_(params.generation),
      next_seq_(std::max<std::uint64_t>(params.first_seq, 1)),
      resumed_(params.resumed),
      external_membership_(params.external_membership),
      rng_(params.rng_seed),
      leave_grace_(params.leave_grace),
      nodes_(config.ha_cf.nodes, config.local_node, ping_node_names(ping_nodes_)) {
  // A zero keepalive would make the status timer spin.
  if (keepalive_ <= Duration::zero()) keepalive_ = std::chrono::milliseconds(1000);
  status_copies_ = status_copies(keepalive_, deadtime_, config.vigil_cf.status_copies);
}

Actions Core::start(MonoTime now) {
  Actions out;
  if (started_) return out;
  started_ = true;
  start_time_ = now;
  for (auto& n : nodes_.nodes()) n.last_status = now;  // initdead counts from here
  // §5.10: the first status says `init`; §6.2: local status is `up` as soon
  // as the media are started. A resumed generation carries on as active.
  set_local_status(resumed_ ? LocalStatus::kActive : LocalStatus::kUp, now, out);
  send_status(now, out);
  next_status_at_ = now + keepalive_;
  check_comm_up(now, out);
  return out;
}

Actions Core::on_tick(MonoTime now) {
  Actions out;
  if (started_) run_timers(now, out);
  return out;
}

Actions Core::send(const messages::Body& body, std::string_view dest, MonoTime /*now*/) {
  Actions out;
  send_sequenced(body, dest, out);
  return out;
}

std::optional<MonoTime> Core::next_deadline() const {
  if (!started_) return std::nullopt;
  MonoTime best = next_status_at_;
  for (const auto& n : nodes_.nodes()) {
    if (external_membership_) {  // only initdead before comm up, and rexmit requests
      // A member of the group is never dead by initdead (its status is on
      // its way; check_initdead_outside_group): a deadline for it stayed
      // due after every tick (whole-node simulator, seed 9800442).
      if (!comm_up_ && !n.local && !n.dead && !n.status_seen &&
          std::find(members_.begin(), members_.end(), n.name) == members_.end())
        best = std::min(best, start_time_ + initdead_ + kOneTick);
      if (auto it = leaving_.find(n.name); it != leaving_.end()) best = std::min(best, it->second);
      if (!n.local && !n.dead)
        if (auto due = n.seq.next_due()) best = std::min(best, *due);
      continue;
    }
    const Duration interval = dead_interval(n);
    if (!n.local && !n.dead) best = std::min(best, n.last_status + interval + kOneTick);
    for (const auto& [name, link] : n.links)
      if (link.up) best = std::min(best, link.last_heard + interval + kOneTick);
    if (!n.local && !n.dead && n.kind == NodeKind::kNormal)
      if (auto due = n.seq.next_due()) best = std::min(best, *due);
  }
  return best;
}

void Core::run_timers(MonoTime now, Actions& out) {
  check_node_timeouts(now, out);
  check_link_timeouts(now, out);
  send_due_rexmit_requests(now, out);
  const bool comm_was_up = comm_up_;
  check_comm_up(now, out);
  // Comm up shrinks a node's interval from initdead to its `dt` (§6.1): a
  // link already older than that is dead now, not at a next tick that its
  // deadline, already past, would ask for at once (whole-node simulator,
  // seed 9000391: node2's link after its shutdone, flagged as a busy loop).
  if (!comm_was_up && comm_up_) check_link_timeouts(now, out);
  if (now >= next_status_at_) {
    send_status(now, out);
    next_status_at_ += keepalive_;
    // After a stall, keep the cadence from now rather than sending a burst.
    if (next_status_at_ <= now) next_status_at_ = now + keepalive_;
  }
}

Duration Core::dead_interval(const NodeState& node) const {
  if (node.local) return deadtime_;
  // §6.1: initdead until comm is up, then the peer's own advertised `dt`;
  // a ping node's is deadping (§8.1).
  if (!comm_up_) return initdead_;
  if (node.kind == NodeKind::kPing) return deadping_;
  return node.advertised_deadtime.value_or(deadtime_);
}

void Core::check_node_timeouts(MonoTime now, Actions& out) {
  if (external_membership_) {  // deaths come from on_membership()
    check_initdead_outside_group(now, out);
    check_leaving(now, out);
    return;
  }
  for (auto& n : nodes_.nodes()) {
    if (n.local || n.dead) continue;
    if (now - n.last_status > dead_interval(n)) mark_dead(n, out);
  }
}

void Core::check_link_timeouts(MonoTime now, Actions& out) {
  // Links time out on their own, with the node's interval (§6.1), so a link
  // that carried only non-status packets can outlive the node by a little.
  if (external_membership_) return;  // they go down with their node
  for (auto& n : nodes_.nodes()) {
    const Duration interval = dead_interval(n);
    for (auto& [name, link] : n.links) {
      if (!link.up || now - link.last_heard <= interval) continue;
      link.up = false;
      out.push_back(texts::link_dead(n.name, name));
      out.push_back(MembershipEvent{EventKind::kLinkDead, n.name, name, {}});
    }
  }
}

void Core::mark_dead(NodeState& node, Actions& out) {
  node.dead = true;
  node.status = "dead";
  // Stop asking a dead node for packets; when it comes back in the same
  // generation, take its next seq as is (heartbeat logs no lost packets on
  // a healed partition).
  node.seq.resync();
  out.push_back(texts::node_dead(node.name));
  out.push_back(MembershipEvent{EventKind::kNodeDead, node.name, {}, {}});
}

void Core::check_comm_up(MonoTime now, Actions& out) {
  if (comm_up_ || !started_) return;
  // Every peer must have sent a status (or be dead), not merely a packet:
  // its first packet may be a `resource` report, and the ownership module
  // counts a peer as present from its status (kNodeUp). Comm up before
  // that looked like a lone start and took groups the peer held.
  for (const auto& n : nodes_.nodes())
    if (!n.local && !n.status_seen && !n.dead) return;
  // §6.2 step 3 (reqnodes) is skipped: we never advertise `protocol`.
  comm_up_ = true;
  out.push_back(texts::comm_now_up());
  set_local_status(LocalStatus::kActive, now, out);
  out.push_back(MembershipEvent{EventKind::kCommUp, {}, {}, {}});
}

void Core::set_local_status(LocalStatus status, MonoTime now, Actions& out) {
  if (status == local_status_) return;
  local_status_ = status;
  out.push_back(texts::local_status_now(local_status_word(status)));
  out.push_back(
      MembershipEvent{EventKind::kLocalStatus, {}, {}, std::string(local_status_word(status))});
  // A status change goes out at once (§5.6), after the first `init` one.
  if (first_status_sent_) send_status(now, out);
}

Duration Core::advertised_deadtime(MonoTime now) const {
  if (now - start_time_ < kStartupDeadtimeBumpFor) return deadtime_ + kStartupDeadtimeBump;
  return deadtime_;
}

void Core::send_status(MonoTime now, Actions& out) {
  messages::Status status;
  status.st =
      std::string(first_status_sent_ || resumed_ ? local_status_word(local_status_) : "init");
  first_status_sent_ = true;
  const auto dt = std::chrono::duration_cast<std::chrono::milliseconds>(advertised_deadtime(now));
  status.deadtime_ms = static_cast<std::uint64_t>(dt.count());
  send_sequenced(status, {}, out);
  // Redundant copies against loss (status_copies.h); the history keeps one.
  std::get<Send>(out.back()).copies = status_copies_;
  send_probes(out);
}

void Core::send_probes(Actions& out) {
  // heartbeat's ping medium turns each status it is given into one echo
  // request per target (§8.1); the status itself never reaches a ping node.
  for (const auto& p : ping_nodes_) {
    messages::PingStatus probe;
    probe.st = "ping";
    probe.info = std::string(p.info());
    out.push_back(Probe{p.name, messages::encode(probe)});
  }
}

void Core::send_sequenced(const messages::Body& body, std::string_view dest, Actions& out) {
  Send s;
  s.message = messages::encode(body, dest);
  if (!dest.empty()) s.dest = std::string(dest);
  s.seq = next_seq_++;
  s.generation = generation_;
  history_.add(s);
  out.push_back(std::move(s));
}

void Core::send_unsequenced(const messages::Body& body, const std::string& dest, Actions& out) {
  Send s;
  s.message = messages::encode(body, dest);
  s.generation = generation_;
  s.dest = dest;
  out.push_back(std::move(s));
}

bool Core::is_dead(std::string_view node) const {
  const NodeState* n = nodes_.find(node);
  return n != nullptr && n->dead;
}

Snapshot Core::snapshot() const {
  Snapshot s;
  s.local_node = local_node_;
  s.local_status = local_status_;
  s.comm_up = comm_up_;
  s.generation = generation_;
  s.last_seq_sent = next_seq_ - 1;
  s.counters = counters_;
  for (const auto& n : nodes_.nodes()) {
    NodeSnapshot ns;
    ns.name = n.name;
    ns.local = n.local;
    ns.ping = n.kind == NodeKind::kPing;
    ns.status = n.local ? std::string(local_status_word(local_status_)) : n.status;
    ns.dead = n.dead;
    ns.last_status = n.last_status;
    if (n.advertised_deadtime)
      ns.advertised_deadtime_ms = static_cast<std::uint64_t>(
          std::chrono::duration_cast<std::chrono::milliseconds>(*n.advertised_deadtime).count());
    ns.generation = n.seq.generation();
    ns.last_seq = n.seq.last_seq();
    ns.missing = n.seq.missing_count();
    for (const auto& [name, link] : n.links) ns.links.push_back({name, link.up, link.last_heard});
    ns.replay_drops = n.replay_drops;
    ns.lost_packets = n.lost_packets;
    ns.rexmit_requests = n.rexmit_requests;
    s.nodes.push_back(std::move(ns));
  }
  return s;
}

}  // namespace vigil::core
