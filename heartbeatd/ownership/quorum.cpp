// Quorum guards resources (vigil.cf `membership corosync`): a node outside
// the quorate partition must not serve, because the quorate side takes
// its groups over. The rule, the same on every node:
//   * quorum lost: every group that runs or is being started here is
//     stopped at once (right to left, as a shutdown stops them), a running
//     standby is cancelled, and this node holds nothing. The bound: the
//     stops begin when corosync reports the loss (token + consensus after
//     the split) and last as long as the resources' stop.
//   * without quorum: no group is started (Ownership::run drops start
//     walks), a dead peer is neither reset nor taken over (a minority must
//     not fence the majority; resets pending are dropped), hb_standby and
//     hb_takeover are refused.
//   * quorum gained: the groups of every dead peer that is not a member of
//     the new membership go to their successor (successor.cpp), after its
//     reset when ha.cf names a STONITH device (fencing.cpp); our own
//     groups come back by the ordinary exchange: the returning side and the
//     peers re-announce what they hold and the audit takes back home groups
//     nobody holds (startup.cpp), or at once when we are the only member.
// Without corosync, quorum is always true and none of this runs.
#include <fmt/format.h>

#include <algorithm>

#include "heartbeatd/ownership/ownership.h"

namespace vigil::ownership {

Actions Ownership::on_quorum(bool quorate, const std::vector<std::string>& members, MonoTime now) {
  Actions out;
  // Built without quorum (corosync's first word not heard yet), a module
  // may hold what a restart resumed: told "no quorum", it releases that.
  if (quorate == quorate_ && (quorate || !holds_anything())) return out;
  quorate_ = quorate;
  if (!quorate)
    lose_quorum(out);
  else
    gain_quorum(members, now, out);
  return out;
}

bool Ownership::held_here(std::size_t g) const {
  return walker_.running(g) || walker_.pending(g) || walker_.state(g) == GroupRunState::kStopFailed;
}

bool Ownership::holds_anything() const {
  for (std::size_t g = 0; g < config_.groups.size(); ++g)
    if (held_here(g)) return true;
  return false;
}

void Ownership::lose_quorum(Actions& out) {
  log(out, log::Priority::kWarn, "No quorum: releasing every resource group held here.",
      "quorum-release");
  cancel_standby(out);
  failure_standby_.reset();
  needs_failback_ = false;
  i_hold_ = kNone;
  // A peer dead now may be alive in the quorate partition: its groups are
  // decided again when quorum comes back.
  for (auto& [name, p] : peers_)
    if (!p.alive) p.taken_over = false;
  fences_.clear();  // an answer still coming finds no request (fencing.cpp)
  if (state_ == ResourceState::kShutdown) return;  // the shutdown stops everything already
  Job job = make_job(Direction::kStop, Purpose::kQuorumRelease);
  for (std::size_t g = config_.groups.size(); g-- > 0;)
    if (held_here(g)) job.groups.push_back(g);
  run(std::move(job), MonoTime{}, out);
}

void Ownership::gain_quorum(const std::vector<std::string>& members, MonoTime now, Actions& out) {
  if (!comm_up_ || state_ == ResourceState::kShutdown || shutdown_requested_) return;
  for (auto& [name, p] : peers_) {
    if (p.alive || p.taken_over) continue;
    if (std::find(members.begin(), members.end(), name) != members.end()) continue;
    if (in_lease(name)) continue;                // taken over when its lease ends (lease.cpp)
    if (!stonith_decision(name, out)) continue;  // fencing.cpp takes over once reset
    takeover_from(name, /*after_shutdone=*/false, now, out);
  }
  // Alone in the membership (two_node, last_man_standing): nobody else can
  // hold our groups. Peers that are members but not heard yet (a healed
  // partition) may: their reports decide, through the audit.
  const bool alone = std::all_of(members.begin(), members.end(),
                                 [this](const std::string& m) { return m == local_node_; });
  if (alone && !any_peer_alive() && !(i_hold_ & kLocal) && has_groups(kLocal)) {
    i_hold_ |= kLocal;
    acquire_local(Purpose::kAcquireLocal, now, out);
    return;
  }
  // Peers answer with what they hold; their reports run the audit.
  if (state_ == ResourceState::kStable) send_resources(true, {}, out);
  // A node that came up without quorum sent its `starting` to nobody, and
  // the deaths it saw took nothing over, so no mach_down report moved it
  // on: it asks again now that the partition it was in has joined a
  // majority (whole-node simulator, seed 9800004: node3 stayed STARTING
  // and its group was held by nobody).
  if (state_ == ResourceState::kStarting || state_ == ResourceState::kBothStarting)
    send_starting(out);
  // With more than two nodes, peers answer only when what they hold
  // changes, and every live peer's report may be here already (their
  // statuses came before corosync's quorum): the audit runs now. Waiting
  // for a report left a home node's group, given back to it by
  // auto_failback before it had quorum, held by nobody (whole-node
  // simulator, seed 9800001).
  if (per_group_ && state_ == ResourceState::kStable) audit(now, out);
}

}  // namespace vigil::ownership
