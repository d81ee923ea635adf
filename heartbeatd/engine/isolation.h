// The isolated node (issue 13, beyond heartbeat; ping-nodes.md): a node
// that has lost every link to its peer AND every ping node (§8.1) is the
// one cut off, not the survivor. It releases its groups, so that when its
// cable comes back one node holds them, not two (heartbeat kept serving a
// VIP nobody could reach while the peer took it over). And the split that
// no ping node can break (both nodes still reach one, fencing not
// configured) is named out loud: two holders are possible until it heals
// (ping-nodes.md, "Tie-break").
//
// Sans IO, part of the resource engine (resource_engine.h), which carries
// out the verdicts with Ownership::release_isolated() / end_isolation().
// Only with ping nodes configured and exactly one peer: without ping nodes
// a node cannot tell "I am cut off" from "my peer died".
//
// Edges, after comm up only (at start, a node alone with no ping node
// answering starts as heartbeat does; the first death it sees decides):
//   isolated   the last of {peer, ping nodes} still alive dies: release
//              everything, once (the peer is dead at deadtime, the ping
//              nodes at deadping: within the larger of the two).
//   reachable  while isolated, the peer or a ping node is heard again. If
//              the peer is back, the healed partition's rules (§6.8, the
//              audit) decide, as for any partition. If only a ping node
//              answers, we wait one deadtime for the peer (a cable plugged
//              back in brings the router's reply and the peer's status
//              within a keepalive, in either order); still dead then, we
//              take every group back as a lone node (its peer died
//              meanwhile): the edge comes from on_tick().
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/clock.h"
#include "conf/config.h"
#include "heartbeatd/core/actions.h"
#include "heartbeatd/engine/vocabulary.h"

namespace vigil::engine {

class IsolationWatch {
 public:
  enum class Edge { kIsolated, kReachable };
  struct Verdict {
    std::optional<Edge> edge;
    std::vector<Log> logs;
  };

  explicit IsolationWatch(const conf::Config& config);

  // A core::MembershipEvent (anything else is ignored).
  Verdict on_membership(const core::Action& action, MonoTime now);
  Verdict on_tick(MonoTime now);
  std::optional<MonoTime> next_deadline() const { return retake_at_; }

  bool applies() const { return !ping_nodes_.empty() && !peer_.empty(); }
  bool isolated() const { return isolated_; }

 private:
  bool nothing_reachable() const { return !peer_alive_ && alive_pings_.empty(); }
  std::string ping_list() const;
  Log two_holders() const;

  std::string peer_;
  std::set<std::string, std::less<>> ping_nodes_;
  std::set<std::string, std::less<>> alive_pings_;
  bool peer_alive_ = false;
  bool fencing_ = false;
  bool comm_up_ = false;
  bool isolated_ = false;
  Duration deadtime_{};
  std::optional<MonoTime> retake_at_;  // take everything back then, peer still dead
};

}  // namespace vigil::engine
