// hb_standby and hb_takeover with more than two nodes.
//
// heartbeat's standby is an exchange between two parties that moves a
// whole class ("your groups", "mine"); with three or more nodes every peer
// answered it and took the mirror of the class, so two nodes started the
// same group (whole-node simulator, seed 9800000). With exact holdings
// (exact_holdings.cpp) vigil does it group by group instead:
//   * hb_standby [all|local|foreign] on node X: X declines the groups of
//     the class (its point of view), stops those it holds and says so in
//     its reports (`vigil_away`, one '0'/'1' per group). Every node then
//     places a group held by nobody on the first node, of its home node and
//     the node order after it, that is alive and does not decline it
//     (target_of), so the group goes where X's death would have sent it,
//     and auto_failback does not bring it back while X declines it. With
//     no other node alive a declining node still serves: no group is lost.
//   * hb_takeover local (and failback) on X: X stops declining its home
//     groups and asks (`hb_takeover rsc_hold=local`) the holders of its
//     home groups to give them back; its audit starts them once they are
//     stopped. `all` and `foreign` are refused: with more than two nodes
//     "the others' groups" have homes and successors of their own, and the
//     successor rule says who serves them.
// A declined class is forgotten when the node restarts, as heartbeat's
// standby is.
#include <fmt/format.h>

#include <algorithm>

#include "heartbeatd/ownership/ownership.h"

namespace vigil::ownership {

bool Ownership::declines(const std::string& node, std::size_t g) const {
  if (node == local_node_) return g < away_.size() && away_[g];
  auto it = peers_.find(node);
  return it != peers_.end() && g < it->second.away.size() && it->second.away[g];
}

std::string Ownership::target_of(std::size_t g) const {
  const auto& nodes = config_.ha_cf.nodes;
  auto at = std::find(nodes.begin(), nodes.end(), config_.groups[g].node);
  if (at == nodes.end()) return {};
  std::string fallback;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const std::string& n = nodes[(static_cast<std::size_t>(at - nodes.begin()) + i) % nodes.size()];
    if (!alive(n)) continue;
    if (!declines(n, g)) return n;
    if (fallback.empty()) fallback = n;
  }
  return fallback;
}

std::string Ownership::away_bitmap() const {
  std::string away(config_.groups.size(), '0');
  for (std::size_t g = 0; g < away_.size() && g < away.size(); ++g)
    if (away_[g]) away[g] = '1';
  return away;
}

void Ownership::standby_groups(ClassBits cls, MonoTime now, Actions& out) {
  if (state_ != ResourceState::kStable || walker_.busy()) {
    log(out, log::Priority::kWarn, "Standby refused: local resources in flux.", "standby-refused");
    return;
  }
  away_.resize(config_.groups.size(), false);
  Job job = make_job(Direction::kStop, Purpose::kStandbyGive);
  job.cls = cls;
  for (std::size_t g = config_.groups.size(); g-- > 0;) {
    if (!(class_of(g) & cls)) continue;
    away_[g] = true;
    if (held_here(g) && !frozen(g)) job.groups.push_back(g);
  }
  i_hold_ &= static_cast<ClassBits>(~cls);
  if (cls & kForeign) needs_failback_ = false;
  log(out, log::Priority::kInfo, fmt::format("give up {} HA resources (standby).", class_name(cls)),
      "standby-give");
  // Nothing held of the class: the peers still hear that we decline it.
  if (job.groups.empty()) {
    send_resources(true, {}, out);
    return;
  }
  run(std::move(job), now, out);
}

// A health give-up is a standby of the failing group's class; cleanup ends
// its decline here as hb_takeover failback would (without asking anyone to
// give anything back: auto_failback does that, when on).
Actions Ownership::set_declined(ClassBits cls) {
  Actions out;
  const ClassBits ended = declined_ & static_cast<ClassBits>(~cls);
  declined_ = cls;
  if (!per_group_ || ended == kNone) return out;
  bool changed = false;
  for (std::size_t g = 0; g < away_.size(); ++g)
    if (away_[g] && (class_of(g) & ended)) {
      away_[g] = false;
      changed = true;
    }
  if (changed && state_ == ResourceState::kStable) send_resources(true, {}, out);
  return out;
}

void Ownership::take_home_groups_back(MonoTime, Actions& out) {
  for (std::size_t g = 0; g < away_.size(); ++g)
    if (class_of(g) == kLocal) away_[g] = false;
  // The report first: a holder that released on the request and audited
  // before it would still read us declining and take the group again.
  send_resources(state_ == ResourceState::kStable, {}, out);
  send(out, messages::HbTakeover{"local"});
}

void Ownership::give_back_on_request(const std::string& from, MonoTime now, Actions& out) {
  if (state_ != ResourceState::kStable || !quorate_) return;
  Job job = make_job(Direction::kStop, Purpose::kFailbackGive, {}, from);
  for (std::size_t g = config_.groups.size(); g-- > 0;)
    if (config_.groups[g].node == from && walker_.running(g) && !frozen(g)) job.groups.push_back(g);
  if (job.groups.empty()) return;
  log(out, log::Priority::kInfo,
      fmt::format("{} takes its resource groups back (hb_takeover): releasing them.", from),
      "standby-give", from);
  run(std::move(job), now, out);
}

}  // namespace vigil::ownership
