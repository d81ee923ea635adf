// The nodes of the cluster as the membership core sees them: every node
// named in ha.cf (ourselves included), each with its advertised status, its
// liveness timer and one LinkState per medium it was heard on
// (heartbeat-compat.md §6.1).
//
// Ping nodes (§8.1) are entries with NodeKind::kPing after the cluster
// nodes: one link named after the node, timed out with deadping and
// refreshed only by the NS_st that comes back in our own echo replies.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "heartbeatd/core/seq_tracker.h"

namespace vigil::core {

enum class NodeKind { kNormal, kPing };

// One (node, medium) pair: `Link node2:eth1 up.`
struct LinkState {
  bool up = false;
  MonoTime last_heard{};
  // The newest (generation, seq) this link delivered. A duplicate counts as
  // a sign of life only on a link that had not carried that seq yet, so a
  // replayed copy of a packet cannot keep a dead link up (§5.1, §5.8).
  std::uint64_t generation = 0;
  std::uint64_t highest_seq = 0;

  bool operator==(const LinkState&) const = default;
};

struct NodeState {
  std::string name;  // lower-cased, as configured
  NodeKind kind = NodeKind::kNormal;
  bool local = false;

  // What the node last advertised in `st`; "init" until heard, "dead" once
  // timed out (§6.1).
  std::string status = "init";
  bool dead = false;
  // Liveness: the arrival of the newest status (or our start, before any).
  MonoTime last_status{};
  bool status_seen = false;                     // a status arrived (for "Late heartbeat")
  std::optional<Duration> advertised_deadtime;  // the peer's `dt`
  PeerSeqTracker seq;
  std::map<std::string, LinkState, std::less<>> links;

  // Counters for `vigilctl status`.
  std::uint64_t replay_drops = 0;
  std::uint64_t lost_packets = 0;
  std::uint64_t rexmit_requests = 0;  // NS_rexmit we sent to this node
  std::optional<MonoTime> last_replay_log;

  bool operator==(const NodeState&) const = default;
};

class NodeTable {
 public:
  // Every node of `nodes` (config order); `local` is marked local. Then
  // the ping nodes `ping_nodes` (a name already taken is skipped: the
  // parser refuses a ping node that is a cluster node, §8.1).
  NodeTable(const std::vector<std::string>& nodes, std::string_view local,
            const std::vector<std::string>& ping_nodes = {});

  // Lookup by name as it appears in `src`: case-insensitive (§5.7).
  NodeState* find(std::string_view name);
  const NodeState* find(std::string_view name) const;

  std::vector<NodeState>& nodes() { return nodes_; }
  const std::vector<NodeState>& nodes() const { return nodes_; }

 private:
  std::vector<NodeState> nodes_;
};

}  // namespace vigil::core
