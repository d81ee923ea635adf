// What vigilctl status / cl_status rscstatus show about resource ownership
// (heartbeat-compat.md §7.2).
#pragma once

#include <string>
#include <vector>

#include "heartbeatd/ownership/group_walker.h"

namespace vigil::ownership {

// §6.3: INIT → STARTING → (BOTHSTARTING) → RSCRCVD → STABLE → SHUTDOWN.
enum class ResourceState { kInit, kStarting, kBothStarting, kRscRcvd, kStable, kShutdown };

// §6.6: per node NOT → ME / OTHER → DONE → NOT. Values are heartbeat's,
// printed in `Ignored standby message ... in state <k>`.
enum class StandbyState { kNot = 0, kMe = 1, kOther = 2, kDone = 3 };

// cl_status rscstatus (§7.2).
enum class RscStatus { kNone, kLocal, kForeign, kAll, kTransition };

enum class Owner { kUs, kPeer, kNone, kInTransition };

struct GroupStatus {
  std::string key;        // the group key (first resource as written)
  std::string home_node;  // haresources node column
  Owner owner = Owner::kNone;
  GroupRunState state = GroupRunState::kStopped;  // here, on this node
};

struct Snapshot {
  std::vector<GroupStatus> groups;  // file order
  RscStatus rscstatus = RscStatus::kNone;
  ResourceState state = ResourceState::kInit;
  StandbyState standby = StandbyState::kNot;
  std::string i_hold;       // class word: what we say we hold
  std::string other_holds;  // class word, the peer's point of view
  bool other_is_stable = false;
  bool needs_failback = false;
};

std::string_view state_name(ResourceState s);  // "STARTING", ...
std::string_view owner_word(Owner o);          // "us" / "peer" / "none" / "transition"

}  // namespace vigil::ownership
