// Maintenance (vigilctl maintenance on|off [GROUP], issue 16): what a frozen
// group is spared, and what still moves it.
//
// The rule: a frozen group stays where it runs. vigil moves none of them on
// its own initiative, in either direction:
//   * no checks, restarts or give-ups for failing resources
//     (heartbeatd/engine/health_monitor.h);
//   * a peer's standby request [me] that would hand us a frozen group's
//     class is not answered (standby.cpp): its request times out and it
//     keeps the group. On the wire a give-up for failures, an auto_failback
//     and a peer's hb_standby look the same (§6.6), so all are declined;
//   * no auto_failback give-back, no start-failure standby (§3.4) and no
//     audit take-back (§6.3) of a class that has a frozen group;
//   * a dead peer's frozen groups are NOT taken over (§6.4), for one group
//     as for every group: each is logged CRIT, listed by `vigilctl status`,
//     and taken over when maintenance is turned off (if that peer came
//     back meanwhile, only our own home groups it does not report). Maintenance is when admins
//     restart services, networks, firewalls and nodes: a peer that looks dead then is as often a
//     cut link as a crash, and taking over would run the service on both nodes (a shared disk
//     mounted twice). heartbeat v1 users froze a cluster by stopping heartbeat without releasing,
//     which takes nothing over either; Pacemaker's maintenance-mode recovers nothing (field-notes-2
//     §4).
// What still moves a frozen group (an operator's own act, or what keeps a
// group off two nodes):
//   * vigilctl standby/takeover, hb_standby/hb_takeover on this node, and a
//     peer's hb_takeover (an explicit request, not a reaction);
//   * a peer's graceful shutdown (`shutdone`, §6.7): it stopped its groups,
//     and `service heartbeat stop` is how heartbeat users hand a node's
//     groups over for its maintenance; our own shutdown likewise;
//   * a healed partition's give-back (§6.8) and the audit's home-wins
//     release (startup.cpp): a frozen group must never run twice.
// So maintenance can leave a group held by nobody (its holder died), never
// by two nodes (tests/sim/whole_nodes_test.cpp states the exception).
#include <fmt/format.h>

#include "heartbeatd/ownership/ownership.h"

namespace vigil::ownership {

bool Ownership::frozen(std::size_t group) const { return group < frozen_.size() && frozen_[group]; }

ClassBits Ownership::frozen_classes() const {
  ClassBits cls = kNone;
  for (std::size_t g = 0; g < frozen_.size(); ++g)
    if (frozen_[g]) cls |= class_of(g);
  return cls;
}

void Ownership::hold_back_frozen(std::vector<std::size_t>& groups, const std::string& node,
                                 Actions& out) {
  std::vector<std::size_t> taken;
  for (auto g : groups) {
    if (!frozen(g) || walker_.running(g)) {
      taken.push_back(g);
      continue;
    }
    held_back_[g] = node;
    log(out, log::Priority::kCrit,
        fmt::format("Resource group {} of dead node {} NOT taken over: it is in maintenance "
                    "(`vigilctl maintenance off` takes it over if {} is still dead)",
                    config_.groups[g].key(), node, node),
        "maintenance-held-back", node);
  }
  groups = std::move(taken);
}

std::vector<std::pair<std::size_t, std::string>> Ownership::held_back() const {
  return {held_back_.begin(), held_back_.end()};
}

Actions Ownership::set_frozen(const std::vector<bool>& frozen, MonoTime now) {
  Actions out;
  frozen_ = frozen;
  if (held_back_.empty()) return out;
  // Unfrozen groups a dead peer left: taken over now, as its death would
  // have. A peer that came back in the meantime took its own home groups
  // at its start (§6.3); ours it did not, since the takeover counted them
  // as held here (req_our_resources, takeover.cpp): we take them unless
  // its report says it holds them.
  std::map<std::string, std::vector<std::size_t>> take;
  for (auto it = held_back_.begin(); it != held_back_.end();) {
    const auto [g, node] = *it;
    if (this->frozen(g)) {
      ++it;
      continue;
    }
    const Peer* p = peer(node);
    const bool still_dead = p != nullptr && !p->alive;
    const bool ours_unheld = p != nullptr && p->alive && class_of(g) == kLocal &&
                             p->sent_resources && !(p->holds & kForeign);
    if ((still_dead || ours_unheld) && !walker_.running(g) && !walker_.pending(g) &&
        !shutdown_requested_ && state_ != ResourceState::kShutdown)
      take[node].push_back(g);
    it = held_back_.erase(it);
  }
  for (auto& [node, groups] : take) {
    log(out, log::Priority::kWarn,
        fmt::format("Maintenance off: taking over what {} held when it died.", node),
        "maintenance-takeover", node);
    // Ours as req_our_resources would have taken them; the dead node's as
    // its mach_down would have (with what that arms, takeover.cpp).
    std::vector<std::size_t> ours, theirs;
    for (auto g : groups) (class_of(g) == kLocal ? ours : theirs).push_back(g);
    if (!theirs.empty()) {
      i_hold_ |= kForeign;
      if (policy_ == conf::AutoFailback::kOn) needs_failback_ = true;
      Job job = make_job(Direction::kStart, Purpose::kMachDown, std::move(theirs), node);
      job.announce = "Taking over resource group ";
      run(std::move(job), now, out);
    }
    if (!ours.empty()) {
      i_hold_ |= kLocal;
      run(make_job(Direction::kStart, Purpose::kAcquireLocal, std::move(ours)), now, out);
    }
  }
  return out;
}

}  // namespace vigil::ownership
