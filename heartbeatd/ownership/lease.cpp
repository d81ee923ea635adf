// A dead peer that is back in corosync's ring without its heartbeatd.
//
// We counted it dead while a partition kept it away, and during that time
// it may have served groups on the other side. When the partition heals,
// corosync's ring has it again; if its heartbeatd is not in the group (it
// crashed meanwhile, or is restarting), its helpers still hold what it
// served until their lease runs out, since the lease outlives heartbeatd
// on purpose (a restart within it keeps the address). Taking its groups
// over at once, on the quorum the heal brings or in the audit, put them on
// two nodes for up to the lease (whole-node simulator, seeds 9800120 and
// 9800914). So such a peer counts as alive for the lease from the moment
// the ring shows it (alive(), successor.cpp; gain_quorum, quorum.cpp), and
// its groups are taken over when the lease has run out, unless its
// heartbeatd joined meanwhile. A live peer that leaves is the core's case
// (core/external_membership.cpp): the core declares it dead only after the
// same grace.
#include <algorithm>

#include "heartbeatd/ownership/ownership.h"

namespace vigil::ownership {

void Ownership::set_members(std::vector<std::string> members,
                            const std::vector<std::string>& in_ring, MonoTime now) {
  auto has = [](const std::vector<std::string>& set, const std::string& name) {
    return std::find(set.begin(), set.end(), name) != set.end();
  };
  for (const auto& [name, p] : peers_) {
    if (has(members, name) || !has(in_ring, name)) {
      lease_until_.erase(name);
      continue;
    }
    // In the ring, not in the group, and dead here: newly back in the ring,
    // it may still serve. One that never left our ring is the core's.
    if (!p.alive && !has(ring_, name) && leave_grace_ > Duration::zero())
      lease_until_.try_emplace(name, now + leave_grace_);
  }
  members_ = std::move(members);
  ring_ = in_ring;
}

void Ownership::end_leases(MonoTime now, Actions& out) {
  std::vector<std::string> ended;
  for (auto it = lease_until_.begin(); it != lease_until_.end();) {
    if (now < it->second) {
      ++it;
      continue;
    }
    ended.push_back(it->first);
    it = lease_until_.erase(it);
  }
  for (const auto& name : ended) {
    Peer* p = peer(name);
    if (p == nullptr || p->alive || p->taken_over || !quorate_ || !comm_up_ ||
        state_ == ResourceState::kShutdown || shutdown_requested_)
      continue;
    if (std::find(members_.begin(), members_.end(), name) != members_.end()) continue;
    if (!stonith_decision(name, out)) continue;  // fencing.cpp takes over once reset
    takeover_from(name, /*after_shutdone=*/false, now, out);
  }
  if (ended.empty()) return;
  check_request_delay(now, out);  // a start that waited for the lease's end
  if (state_ == ResourceState::kStable) audit(now, out);
}

}  // namespace vigil::ownership
