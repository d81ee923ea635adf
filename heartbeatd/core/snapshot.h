// A read-only picture of the membership core for `vigilctl status` and for
// the simulator's invariant checks. Plain values; taking one never changes
// the core.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"

namespace vigil::core {

enum class LocalStatus { kInit, kUp, kActive };
std::string_view local_status_word(LocalStatus s);  // "init" / "up" / "active"

struct LinkSnapshot {
  std::string name;
  bool up = false;
  MonoTime last_heard{};

  bool operator==(const LinkSnapshot&) const = default;
};

struct NodeSnapshot {
  std::string name;
  bool local = false;
  bool ping = false;   // a ping node (§8.1): status "ping" while it answers
  std::string status;  // advertised `st`, "init" if never heard, "dead" once timed out
  bool dead = false;
  MonoTime last_status{};
  std::optional<std::uint64_t> advertised_deadtime_ms;
  std::optional<std::uint64_t> generation;  // the peer's `hg`, once known
  std::uint64_t last_seq = 0;
  std::size_t missing = 0;  // packets we are asking to be retransmitted
  std::vector<LinkSnapshot> links;

  // Counters (not part of the membership state).
  std::uint64_t replay_drops = 0;
  std::uint64_t lost_packets = 0;
  std::uint64_t rexmit_requests = 0;

  // Membership state only: counters excluded.
  bool same_state(const NodeSnapshot& o) const {
    return name == o.name && local == o.local && ping == o.ping && status == o.status && dead == o.dead &&
           last_status == o.last_status && advertised_deadtime_ms == o.advertised_deadtime_ms &&
           generation == o.generation && last_seq == o.last_seq && missing == o.missing &&
           links == o.links;
  }
};

struct CoreCounters {
  std::uint64_t replay_drops = 0;  // older generation (all peers)
  std::uint64_t lost_packets = 0;  // found missing (all peers)
  std::uint64_t rexmit_requests_sent = 0;
  std::uint64_t rexmits_sent = 0;  // stored messages re-sent on request
  std::uint64_t naks_sent = 0;
  std::uint64_t unknown_node_drops = 0;
  std::uint64_t malformed_drops = 0;
};

struct Snapshot {
  std::string local_node;
  LocalStatus local_status = LocalStatus::kInit;
  bool comm_up = false;
  std::uint64_t generation = 0;
  std::uint64_t last_seq_sent = 0;  // 0: nothing sent yet
  std::vector<NodeSnapshot> nodes;  // config order, ourselves included
  CoreCounters counters;

  // Membership state only (what a replayed packet must never change).
  bool same_state(const Snapshot& o) const {
    if (local_status != o.local_status || comm_up != o.comm_up || nodes.size() != o.nodes.size())
      return false;
    for (std::size_t i = 0; i < nodes.size(); ++i)
      if (!nodes[i].same_state(o.nodes[i])) return false;
    return true;
  }

  const NodeSnapshot* node(std::string_view name) const {
    for (const auto& n : nodes)
      if (n.name == name) return &n;
    return nullptr;
  }
};

}  // namespace vigil::core
