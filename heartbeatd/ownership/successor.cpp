// Who serves a group whose home node is dead, in a cluster of any size:
// the first node after the home node, in the order of ha.cf's `node`
// lines and wrapping around, that is alive (ourselves included). With two
// nodes that is always the other node, heartbeat v1's mach_down (§6.4).
// With more, every survivor applies the same rule to the same agreed
// membership, so exactly one of them takes each group, and a group whose
// successor dies too moves on to the next survivor.
#include <algorithm>

#include "heartbeatd/ownership/ownership.h"

namespace vigil::ownership {

// A peer in corosync's agreed membership counts as alive although its
// status may not have reached us yet: every member applies the rule to the
// same membership, and one that rejoined after a partition is back in it
// before its status. Counted dead until then, its groups and those it
// succeeds to were taken twice (whole-node simulator, seed 9800000: node2
// and node1 rejoin, node3 cut off, both took node3's group).
bool Ownership::alive(const std::string& node) const {
  if (node == local_node_) return state_ != ResourceState::kShutdown && !shutdown_requested_;
  auto it = peers_.find(node);
  if (it != peers_.end() && it->second.alive) return true;
  if (in_lease(node)) return true;  // its helpers may still serve (lease.cpp)
  return it != peers_.end() && std::find(members_.begin(), members_.end(), node) != members_.end();
}

std::string Ownership::successor_of(const std::string& home) const {
  const auto& nodes = config_.ha_cf.nodes;
  auto at = std::find(nodes.begin(), nodes.end(), home);
  if (at == nodes.end()) return {};
  for (std::size_t i = 1; i <= nodes.size(); ++i) {
    const std::string& n = nodes[(static_cast<std::size_t>(at - nodes.begin()) + i) % nodes.size()];
    if (n != home && alive(n)) return n;
  }
  return {};
}

// The groups a death leaves for us: those whose home is dead (the dead
// node's own, and those of earlier dead homes it served) and whose
// successor is now this node.
std::vector<std::size_t> Ownership::groups_to_take_from(const std::string& dead) const {
  std::vector<std::size_t> out;
  for (std::size_t g = 0; g < config_.groups.size(); ++g) {
    const std::string& home = config_.groups[g].node;
    // With more than two nodes a declining home or successor is passed
    // over (standby_groups.cpp); our own groups we decline come here only
    // when nobody else can serve them.
    if (per_group_) {
      if (home == local_node_ && !declines(local_node_, g)) continue;
      if (target_of(g) == local_node_) out.push_back(g);
      continue;
    }
    if (home == local_node_) continue;
    if (home != dead && alive(home)) continue;
    if (successor_of(home) == local_node_) out.push_back(g);
  }
  return out;
}

}  // namespace vigil::ownership
