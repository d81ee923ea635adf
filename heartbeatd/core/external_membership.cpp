// Membership from outside the core (vigil.cf `membership corosync`):
// corosync's CPG agrees on who is in heartbeatd's group, in the same order
// on every member, so a peer's death is that agreement and never a local
// timeout that two nodes could see differently (heartbeatd/io/corosync_link.h).
#include <algorithm>

#include "heartbeatd/core/core.h"
#include "heartbeatd/core/log_texts.h"

namespace vigil::core {

Actions Core::on_membership(const std::vector<std::string>& members,
                            const std::vector<std::string>& in_ring, MonoTime now) {
  Actions out;
  if (!external_membership_ || !started_) return out;
  run_timers(now, out);
  auto in = [](const std::vector<std::string>& set, const std::string& name) {
    return std::find(set.begin(), set.end(), name) != set.end();
  };
  bool newcomer = false;
  for (auto& n : nodes_.nodes()) {
    if (n.local) continue;
    if (in(members, n.name)) {
      newcomer = newcomer || !in(members_, n.name);
      leaving_.erase(n.name);  // back within the grace: nothing happened
      continue;
    }
    if (n.dead) continue;
    // Its heartbeatd left but its node is still in the ring: its helpers
    // hold its groups for their lease, so it is dead only after that.
    if (in(in_ring, n.name) && leave_grace_ > Duration::zero()) {
      leaving_.try_emplace(n.name, now + leave_grace_);
      continue;
    }
    leaving_.erase(n.name);
    // Before comm up, a node whose heartbeatd has not joined yet may be
    // starting: it gets initdead, as heartbeat gives it (§6.2;
    // check_node_timeouts). One that was heard and left is dead now.
    if (!comm_up_ && !n.status_seen) continue;
    // Its links go with it, logged as the timeout would log them (§6.1).
    for (auto& [name, link] : n.links) {
      if (!link.up) continue;
      link.up = false;
      out.push_back(texts::link_dead(n.name, name));
      out.push_back(MembershipEvent{EventKind::kLinkDead, n.name, name, {}});
    }
    mark_dead(n, out);
  }
  members_ = members;
  // A node that just joined hears our status now rather than a keepalive
  // later: its comm up waits for every member's status.
  if (newcomer) send_status(now, out);
  check_comm_up(now, out);
  return out;
}

// A peer whose heartbeatd left its ring-member node and did not come back
// within the grace (on_membership).
void Core::check_leaving(MonoTime now, Actions& out) {
  for (auto it = leaving_.begin(); it != leaving_.end();) {
    NodeState* n = nullptr;
    for (auto& node : nodes_.nodes())
      if (node.name == it->first) n = &node;
    if (now < it->second || n == nullptr) {
      ++it;
      continue;
    }
    it = leaving_.erase(it);
    if (n->dead) continue;
    for (auto& [name, link] : n->links) {
      if (!link.up) continue;
      link.up = false;
      out.push_back(texts::link_dead(n->name, name));
      out.push_back(MembershipEvent{EventKind::kLinkDead, n->name, name, {}});
    }
    mark_dead(*n, out);
  }
}

// Before comm up: a node that neither joined the group nor sent a status
// within initdead of our start is dead (heartbeat's initdead, §6.2).
void Core::check_initdead_outside_group(MonoTime now, Actions& out) {
  if (comm_up_) return;
  for (auto& n : nodes_.nodes()) {
    if (n.local || n.dead || n.status_seen) continue;
    if (std::find(members_.begin(), members_.end(), n.name) != members_.end()) continue;
    if (now - start_time_ > initdead_) mark_dead(n, out);
  }
}

}  // namespace vigil::core
