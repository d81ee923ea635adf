// The receive pipeline of heartbeat-compat.md §5.7, after decode and
// authentication: sender lookup, sequence/generation filter, link refresh,
// dest filter, dispatch.
#include "heartbeatd/core/core.h"
#include "heartbeatd/core/log_texts.h"

namespace vigil::core {

Actions Core::on_message(const messages::ClusterMessage& m, std::string_view link, MonoTime now) {
  Actions out;
  if (!started_) return out;
  // Timers first: a status arriving after its sender's deadline finds the
  // sender already dead, whatever order the I/O layer saw the two events in.
  run_timers(now, out);

  const messages::Header& h = m.header;
  if (!h.src || h.type.empty()) {
    ++counters_.malformed_drops;
    return out;
  }
  NodeState* node = nodes_.find(*h.src);
  if (node == nullptr) {
    // §5.7 step 3 (autojoin is not supported: only ha.cf's nodes are members).
    ++counters_.unknown_node_drops;
    out.push_back(texts::bad_node(*h.src));
    return out;
  }
  if (node->kind == NodeKind::kPing)
    receive_ping(*node, m, link, now, out);
  else if (is_ping_link(link))
    ++counters_.malformed_drops;  // only our own probes come back on a ping link
  else if (node->local)
    receive_own(*node, h, link, now, out);
  else if (h.unsequenced())
    receive_unsequenced(*node, m, now, out);
  else
    receive_sequenced(*node, m, link, now, out);
  check_comm_up(now, out);
  return out;
}

void Core::receive_own(NodeState& self, const messages::Header& h, std::string_view link,
                       MonoTime now, Actions& out) {
  // Our own broadcasts come back; they show that the medium works (heartbeat
  // logs `Link <us>:<if> up.`), nothing more. Only packets of this run count.
  if (h.unsequenced()) return;
  if (!h.seq || !h.generation || *h.generation != generation_ || *h.seq >= next_seq_) return;
  refresh_link(self, link, *h.generation, *h.seq, /*duplicate=*/true, now, out);
}

void Core::receive_sequenced(NodeState& node, const messages::ClusterMessage& m,
                             std::string_view link, MonoTime now, Actions& out) {
  const auto& seq = m.header.seq;
  if (!seq) {
    ++counters_.malformed_drops;
    out.push_back(texts::missing_seqno(node.name, m.header.type));
    return;
  }
  // heartbeat 1.x sent no `hg`; it then counts as generation 0.
  const auto hg = m.header.has_generation ? m.header.generation : std::optional<std::uint64_t>(0);
  if (!hg) {
    ++counters_.malformed_drops;
    return;
  }
  const auto* status = std::get_if<messages::Status>(&m.body);
  const bool is_status = status != nullptr;
  const auto delay_ms = rng_.uniform(
      static_cast<std::uint64_t>(
          std::chrono::duration_cast<std::chrono::milliseconds>(kRexmitMinDelay).count()),
      static_cast<std::uint64_t>(
          std::chrono::duration_cast<std::chrono::milliseconds>(max_rexmit_delay_).count()));
  const MonoTime first_request_at = now + std::chrono::milliseconds(delay_ms);

  const SeqResult r = node.seq.accept(*hg, *seq, is_status, first_request_at);
  if (r.replay) {
    ++node.replay_drops;
    ++counters_.replay_drops;
    // One line a minute per peer, not one per packet: a replaying attacker
    // must not be able to flood the log.
    if (!node.last_replay_log || now - *node.last_replay_log >= kReplayLogInterval) {
      node.last_replay_log = now;
      out.push_back(texts::attempted_replay(node.name, *hg, r.remembered_generation));
    }
    return;
  }
  if (r.verdict == SeqVerdict::kDrop) return;

  bool returning = false;
  if (r.restarted) {
    out.push_back(texts::heartbeat_restart(node.name));
  } else if (node.dead && is_status && r.newest && !r.first_contact) {
    // §5.8: same generation from a node we declared dead.
    returning = true;
    for (auto& l : texts::returning_after_partition(node.name)) out.push_back(std::move(l));
  }
  if (r.lost_a_lot) {
    const std::uint64_t lost = *seq - r.previous_last - 1;
    node.lost_packets += lost;
    counters_.lost_packets += lost;
    out.push_back(texts::lost_a_lot(node.name));
  }
  if (r.lost != 0) {
    node.lost_packets += r.lost;
    counters_.lost_packets += r.lost;
    out.push_back(texts::lost_packets(node.name, r.lost, r.previous_last, *seq));
  }
  if (r.all_gaps_filled) out.push_back(texts::no_pkts_missing(node.name));

  refresh_link(node, link, *hg, *seq, r.verdict == SeqVerdict::kDuplicate, now, out);
  if (r.verdict == SeqVerdict::kDuplicate) return;

  // §5.7 step 5: sequence accounting done, now the dest filter.
  if (!addressed_to_us(m.header)) return;

  if (is_status) {
    handle_status(node, *status, r, returning, now, out);
  } else if (std::holds_alternative<messages::ReqNodes>(m.body)) {
    answer_reqnodes(node, out);
  } else {
    out.push_back(Deliver{node.name, m});
  }
}

void Core::receive_unsequenced(NodeState& node, const messages::ClusterMessage& m, MonoTime now,
                               Actions& out) {
  if (!addressed_to_us(m.header)) return;
  if (const auto* request = std::get_if<messages::RexmitRequest>(&m.body))
    handle_rexmit_request(node, m.header, *request, now, out);
  else if (const auto* nak = std::get_if<messages::NakRexmit>(&m.body))
    handle_nak(node, m.header, *nak, out);
  // NS_ackmsg: flow control is off (core.h), nothing to free.
}

bool Core::is_ping_link(std::string_view link) const {
  const NodeState* n = nodes_.find(link);
  return n != nullptr && n->kind == NodeKind::kPing && n->name == link;
}

void Core::receive_ping(NodeState& node, const messages::ClusterMessage& m, std::string_view link,
                        MonoTime now, Actions& out) {
  // §8.1: a ping node is alive when our probe for it comes back: the signed
  // NS_st naming it, with the medium it was sent for, in an echo reply of
  // that node's own link. Anything else naming a ping node (a message on a
  // cluster link, a probe for another ping node) proves nothing.
  const auto* p = std::get_if<messages::PingStatus>(&m.body);
  const conf::PingNode* spec = nullptr;
  for (const auto& s : ping_nodes_)
    if (s.name == node.name) spec = &s;
  if (p == nullptr || link != node.name || spec == nullptr || p->st != "ping" ||
      p->info != spec->info()) {
    ++counters_.malformed_drops;
    return;
  }
  auto it = node.links.find(link);
  if (it == node.links.end()) it = node.links.emplace(std::string(link), LinkState{}).first;
  it->second.last_heard = now;
  if (!it->second.up) {
    it->second.up = true;
    out.push_back(texts::link_up(node.name, link));
    out.push_back(MembershipEvent{EventKind::kLinkUp, node.name, std::string(link), {}});
  }
  const bool came_up = !node.status_seen || node.dead;
  node.last_status = now;
  node.status_seen = true;
  node.dead = false;
  if (came_up) out.push_back(MembershipEvent{EventKind::kNodeUp, node.name, {}, {}});
  if (node.status != "ping") {
    node.status = "ping";
    out.push_back(texts::status_update(node.name, node.status));
    out.push_back(MembershipEvent{EventKind::kStatusChanged, node.name, {}, node.status});
  }
}

bool Core::addressed_to_us(const messages::Header& h) const {
  if (!h.dest) return true;
  const NodeState* d = nodes_.find(*h.dest);
  return d != nullptr && d->local;
}

void Core::refresh_link(NodeState& node, std::string_view name, std::uint64_t generation,
                        std::uint64_t seq, bool duplicate, MonoTime now, Actions& out) {
  auto it = node.links.find(name);
  if (it == node.links.end()) it = node.links.emplace(std::string(name), LinkState{}).first;
  LinkState& link = it->second;
  if (duplicate && link.generation == generation && link.highest_seq >= seq) return;
  if (link.generation != generation) {
    link.generation = generation;
    link.highest_seq = seq;
  } else {
    link.highest_seq = std::max(link.highest_seq, seq);
  }
  link.last_heard = now;
  if (!link.up) {
    link.up = true;
    out.push_back(texts::link_up(node.name, name));
    out.push_back(MembershipEvent{EventKind::kLinkUp, node.name, std::string(name), {}});
  }
}

void Core::handle_status(NodeState& node, const messages::Status& m, const SeqResult& r,
                         bool returning, MonoTime now, Actions& out) {
  // A gap-filling status is old news: it neither proves the node alive now
  // nor says what it is now.
  if (!r.newest) return;
  if (!m.st) {
    ++counters_.malformed_drops;
    return;
  }
  const std::string& st = *m.st;
  std::optional<Duration> dt;
  if (m.deadtime_ms) dt = std::chrono::milliseconds(*m.deadtime_ms);

  const Duration interval = now - node.last_status;
  if (node.status_seen && !r.restarted && interval > warntime_) {
    const auto ms = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(interval).count());
    if (interval > dead_interval(node))
      out.push_back(texts::late_heartbeat_past_deadtime(node.name, ms));
    else
      out.push_back(texts::late_heartbeat(node.name, ms));
  }
  if (returning) {
    // heartbeat prints the death line once more here (heartbeat-3.0.6-logs.txt,
    // LINK RESTORED); log watchers expect it. The event is the return.
    out.push_back(texts::node_dead(node.name));
    out.push_back(MembershipEvent{EventKind::kPeerReturnedAfterPartition, node.name, {}, {}});
  }
  if (r.restarted) out.push_back(MembershipEvent{EventKind::kPeerRestarted, node.name, {}, {}});

  const bool came_up = !node.status_seen || node.dead;
  node.last_status = now;
  node.status_seen = true;
  node.dead = false;
  if (dt) node.advertised_deadtime = dt;
  if (came_up) out.push_back(MembershipEvent{EventKind::kNodeUp, node.name, {}, {}});
  if (st != node.status) {
    node.status = st;
    out.push_back(texts::status_update(node.name, st));
    out.push_back(MembershipEvent{EventKind::kStatusChanged, node.name, {}, node.status});
  }
}

void Core::answer_reqnodes(NodeState& node, Actions& out) {
  // Only a flow-control peer asks (§6.2 step 3); it waits for the answer
  // before its comm comes up, so answer with every configured node.
  std::string list;
  for (const auto& n : nodes_.nodes()) {
    if (n.kind != NodeKind::kNormal) continue;
    list += n.name;
    list += ' ';
  }
  send_sequenced(messages::RepNodes{std::move(list), " "}, node.name, out);
}

}  // namespace vigil::core
