// Who holds which group, exactly, with more than two nodes.
//
// heartbeat's `resource` message says what its sender holds as a class
// word from the sender's point of view: `local` (its home groups),
// `foreign` (everybody else's). Between two nodes that is exact. With three
// or more, `foreign` from node3 may be node1's group or node2's, and every
// decision that asked "does a peer hold my group?" through the class words
// could be wrong both ways: a home node started its group while its
// successor still held it, or waited for ever for one nobody held
// (whole-node simulator, corosync family: 43 seeds in 100 broke an
// invariant).
//
// So with more than two nodes (per_group_; every such cluster is vigil
// only: heartbeat's haresources mode manages two nodes) each report also
// carries `vigil_held`, one '0'/'1' per haresources group in file order, and
// the decisions ask per group:
//   * what a peer holds (note_held): its bitmap, or the groups its class
//     word names from its point of view when it sends none; a stopping or
//     standby-giving sender holds everything until it says otherwise, as
//     with two nodes;
//   * peers_hold_ours(), the snapshot's owner, acquire_local (a group a
//     live peer holds is not started) and the takeover (a dead node's group
//     a live peer holds stays there);
//   * the audit (audit_groups): a group held twice keeps one holder, the
//     first of its home node and then the node order after it (the order
//     the successor rule walks), so every holder applies the same rule and
//     exactly one keeps it; a group held by nobody goes to its home node,
//     or to its successor when the home node is dead;
//   * auto_failback (fail_back_groups): the holder of a group whose home
//     node is back and stable stops it and says so; the home node's audit
//     then finds it held by nobody and starts it. heartbeat's standby
//     exchange is between two parties and moves whole classes: with more
//     nodes the giver also gave up a third node's group that nobody took.
// Each held set that changes is announced (announce_held), so a peer's
// picture is never older than the last finished walk, and a peer that
// comes up or back, or restarted, hears what we hold (tell_returned_peer):
// a `starting` it sent while cut off from us reached nobody here, and a
// stable node reports nothing unasked, so that peer waited for ever for
// our report while our group was held by nobody (whole-node simulator,
// seed 9800013). A report sent while some live peer's report is missing
// asks for it (`vigil_ask`): a partition that only one side saw leaves the
// other side nothing to announce (whole-node simulator, seed 9800072: the
// majority never lost node1, node1 waited for their reports for ever). The
// answers ask nothing back, so two nodes missing the same third one do
// not answer each other without end. An audit held up by a missing report
// asks once per set of missing peers (ask_missing_reports): the gap may
// open while we are not stable, when our reports ask nothing, and nothing
// else made us report again (seed 9800256: a group nobody served).
// A report is applied only if it is newer than the last one applied from
// the same run of its sender (stale_report): a retransmitted report of
// before a partition, arriving after newer ones, made a peer count a node
// holding nothing and in flux, and its audit waited for ever (whole-node
// simulator, seed 9800510).
// With two nodes none of this runs and the wire is heartbeat's.
#include <fmt/format.h>

#include <algorithm>

#include "heartbeatd/ownership/ownership.h"

namespace vigil::ownership {

std::string Ownership::held_bitmap() const {
  std::string held(config_.groups.size(), '0');
  for (std::size_t g = 0; g < config_.groups.size(); ++g)
    if (held_here(g)) held[g] = '1';
  return held;
}

ClassBits Ownership::class_of_bitmap(const std::string& held) const {
  ClassBits cls = kNone;
  for (std::size_t g = 0; g < held.size() && g < config_.groups.size(); ++g)
    if (held[g] == '1') cls |= class_of(g);
  return cls;
}

void Ownership::note_held(const std::string& from, const messages::Resource& m, ClassBits holds,
                          Actions& out) {
  Peer& p = *peer(from);
  const std::size_t n = config_.groups.size();
  const bool exact = m.held.size() == n && std::all_of(m.held.begin(), m.held.end(),
                                                       [](char c) { return c == '0' || c == '1'; });
  if (!m.held.empty() && !exact && !p.held_mismatch_logged) {
    p.held_mismatch_logged = true;
    log(out, log::Priority::kError,
        fmt::format("{} reports {} resource groups held or not, haresources here has {}: "
                    "haresources must be the same on every node; reading its class word instead.",
                    from, m.held.size(), n),
        "haresources-differ", from);
  }
  std::vector<bool> groups(n, false);
  for (std::size_t g = 0; g < n; ++g) {
    if (exact) {
      groups[g] = m.held[g] == '1';
    } else {
      const ClassBits cls = config_.groups[g].node == from ? kLocal : kForeign;
      groups[g] = (holds & cls) != 0;
    }
  }
  // As p.holds (startup.cpp on_resource): until its next report a stopping
  // or standby-giving sender may hold anything.
  if (m.info == "shutdown" || m.info == "standby") groups.assign(n, true);
  if (!m.full && p.groups.size() == n)
    for (std::size_t g = 0; g < n; ++g) groups[g] = groups[g] || p.groups[g];
  p.groups = std::move(groups);
  // A full report says every group it declines; none named: none.
  if (m.full) {
    p.away.assign(n, false);
    if (m.away.size() == n)
      for (std::size_t g = 0; g < n; ++g) p.away[g] = m.away[g] == '1';
  }
}

std::vector<std::string> Ownership::peers_holding(std::size_t g) const {
  std::vector<std::string> out;
  for (const auto& [name, p] : peers_)
    if (p.alive && g < p.groups.size() && p.groups[g]) out.push_back(name);
  return out;
}

bool Ownership::peer_holds(std::size_t g) const { return !peers_holding(g).empty(); }

// The home node first, then the node order after it, wrapping: the order
// in which the successor rule hands the group on (successor.cpp).
std::string Ownership::keeper_of(std::size_t g, const std::vector<std::string>& holders) const {
  const auto& nodes = config_.ha_cf.nodes;
  const std::string& home = config_.groups[g].node;
  auto at = std::find(nodes.begin(), nodes.end(), home);
  if (at == nodes.end()) return holders.empty() ? std::string() : holders.front();
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const std::string& n = nodes[(static_cast<std::size_t>(at - nodes.begin()) + i) % nodes.size()];
    if (std::find(holders.begin(), holders.end(), n) != holders.end()) return n;
  }
  return {};
}

bool Ownership::peers_settled() const {
  return std::all_of(peers_.begin(), peers_.end(), [](const auto& p) {
    return !p.second.alive || (p.second.sent_resources && p.second.stable);
  });
}

void Ownership::audit_groups(MonoTime now, Actions& out) {
  if (!peers_settled()) return;  // a peer still starting or moving decides first
  std::vector<std::size_t> release;
  Job take = make_job(Direction::kStart, Purpose::kAuditTake);
  bool said_ours = false;
  bool said_foreign = false;
  auto say = [&](std::size_t g, const char* ours, const char* foreign) {
    bool& said = class_of(g) == kLocal ? said_ours : said_foreign;
    if (said) return;
    said = true;
    log(out, log::Priority::kError, class_of(g) == kLocal ? ours : foreign, "audit");
  };
  for (std::size_t g = 0; g < config_.groups.size(); ++g) {
    if (frozen(g)) continue;  // stays where it runs (maintenance.cpp)
    const std::string& home = config_.groups[g].node;
    auto holders = peers_holding(g);
    if (held_here(g) && !holders.empty()) {
      say(g, "Both machines own our resources!", "Both machines own foreign resources!");
      holders.push_back(local_node_);
      if (keeper_of(g, holders) != local_node_) release.push_back(g);
      continue;
    }
    if (held_here(g) || !holders.empty()) continue;
    // Held by nobody: its home node takes it, or its successor when the
    // home node is dead or declines it (target_of, standby_groups.cpp). A
    // start that failed here stays with §3.4.
    if (walker_.state(g) == GroupRunState::kFailed) continue;
    const bool mine = target_of(g) == local_node_ && (home != local_node_ || !failure_standby_);
    if (!mine) continue;
    say(g, "No one owns our local resources!", "No one owns foreign resources!");
    take.groups.push_back(g);
  }
  if (!release.empty()) {
    std::string keys;
    for (auto g : release) keys += (keys.empty() ? "" : ", ") + config_.groups[g].key();
    log(out, log::Priority::kWarn,
        fmt::format("Resource groups held here and on another node: releasing {} (the node "
                    "nearer their home keeps them).",
                    keys),
        "audit");
    std::reverse(release.begin(), release.end());  // right to left, as every release
    run(make_job(Direction::kStop, Purpose::kPartitionGive, std::move(release)), now, out);
  }
  if (!take.groups.empty()) {
    log(out, log::Priority::kWarn, "Taking resource groups no node holds.", "audit");
    for (auto g : take.groups) i_hold_ |= class_of(g);
    run(std::move(take), now, out);
    announce_held(out);
  }
}

void Ownership::fail_back_groups(MonoTime now, Actions& out) {
  if (policy_ != conf::AutoFailback::kOn || !quorate_ || state_ != ResourceState::kStable ||
      standby_ != StandbyState::kNot || walker_.busy() || shutdown_requested_)
    return;
  Job job = make_job(Direction::kStop, Purpose::kFailbackGive);
  for (std::size_t g = config_.groups.size(); g-- > 0;) {
    const std::string& home = config_.groups[g].node;
    if (home == local_node_ || !walker_.running(g) || frozen(g)) continue;
    // Back means heard and stable: its status arrived (not only corosync's
    // membership, see check_auto_failback) and its last report is stable.
    const auto it = peers_.find(home);
    if (it == peers_.end() || !it->second.alive || !it->second.sent_resources || !it->second.stable)
      continue;
    if (g < it->second.groups.size() && it->second.groups[g]) continue;  // the audit's case
    if (declines(home, g)) continue;  // its hb_standby gave it away (standby_groups.cpp)
    job.groups.push_back(g);
  }
  if (job.groups.empty()) return;
  for (auto g : job.groups)
    log(out, log::Priority::kInfo,
        fmt::format("auto_failback: giving resource group {} back to its home node {}.",
                    config_.groups[g].key(), config_.groups[g].node),
        "failback", config_.groups[g].node);
  needs_failback_ = false;
  run(std::move(job), now, out);
}

bool Ownership::stale_report(const std::string& from, const messages::Header& h) {
  if (!per_group_ || !h.seq) return false;
  auto [it, fresh] = newest_report_.try_emplace(from, h.generation, *h.seq);
  if (fresh) return false;
  auto& [generation, seq] = it->second;
  if (generation && h.generation && *h.generation < *generation) return true;  // an older run
  if (generation == h.generation && *h.seq < seq) return true;
  generation = h.generation;
  seq = *h.seq;
  return false;
}

std::vector<std::string> Ownership::missing_reports() const {
  std::vector<std::string> missing;
  for (const auto& [name, p] : peers_)
    if ((p.alive || awaited(name)) && !(p.alive && p.sent_resources)) missing.push_back(name);
  return missing;
}

void Ownership::ask_missing_reports(Actions& out) {
  std::vector<std::string> missing;
  if (state_ == ResourceState::kStable && quorate_) missing = missing_reports();
  if (missing == asked_for_) return;
  asked_for_ = missing;
  if (!missing.empty()) send_resources(true, {}, out);  // carries vigil_ask
}

void Ownership::tell_returned_peer(Actions& out) {
  if (per_group_ && comm_up_ && state_ == ResourceState::kStable &&
      policy_ != conf::AutoFailback::kLegacy)
    send_resources(true, {}, out);
}

void Ownership::announce_held(Actions& out) {
  if (!per_group_ || policy_ == conf::AutoFailback::kLegacy) return;
  if (state_ != ResourceState::kStable && state_ != ResourceState::kRscRcvd) return;
  if (held_bitmap() == last_held_sent_) return;
  send_resources(state_ == ResourceState::kStable, {}, out);
}

}  // namespace vigil::ownership
