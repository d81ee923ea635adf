#include "heartbeatd/control/ownership_status.h"

#include <fmt/format.h>

#include "heartbeatd/control/membership_status.h"

namespace vigil::control {

namespace ctl = proto::control;

ctl::GroupState group_state_of(ownership::GroupRunState s) {
  using G = ownership::GroupRunState;
  switch (s) {
    case G::kStopped:
      return ctl::GroupState::kStopped;
    case G::kStarting:
      return ctl::GroupState::kStarting;
    case G::kRunning:
      return ctl::GroupState::kRunning;
    case G::kStopping:
      return ctl::GroupState::kStopping;
    case G::kFailed:
      return ctl::GroupState::kFailed;
    case G::kStopFailed:
      return ctl::GroupState::kStopFailed;
  }
  return ctl::GroupState::kUnknown;
}

ctl::RscStatus rscstatus_of(ownership::RscStatus s) {
  using R = ownership::RscStatus;
  switch (s) {
    case R::kNone:
      return ctl::RscStatus::kNone;
    case R::kLocal:
      return ctl::RscStatus::kLocal;
    case R::kForeign:
      return ctl::RscStatus::kForeign;
    case R::kAll:
      return ctl::RscStatus::kAll;
    case R::kTransition:
      return ctl::RscStatus::kTransition;
  }
  return ctl::RscStatus::kTransition;
}

void apply_ownership(ctl::StatusReply& reply, const conf::Config& config,
                     const ownership::Snapshot& snapshot) {
  std::string peer = "peer";
  for (const auto& n : config.ha_cf.nodes) {
    if (n != config.local_node) {
      peer = n;
      break;
    }
  }
  reply.resource_management = true;
  reply.rscstatus = rscstatus_of(snapshot.rscstatus);
  reply.groups.clear();
  for (const auto& g : snapshot.groups) {
    if (reply.groups.size() >= ctl::kMaxGroups) break;
    std::string owner;
    switch (g.owner) {
      case ownership::Owner::kUs:
        owner = config.local_node;
        break;
      case ownership::Owner::kPeer:
        owner = peer;
        break;
      case ownership::Owner::kNone:
        owner = "none";
        break;
      case ownership::Owner::kInTransition:
        owner = "transition";
        break;
    }
    reply.groups.push_back({g.key, g.home_node, std::move(owner), group_state_of(g.state)});
  }
}

ownership::ClassBits standby_bits(ctl::ResourceClass cls) {
  switch (cls) {
    case ctl::ResourceClass::kAll:
      return ownership::kAll;
    case ctl::ResourceClass::kLocal:
      return ownership::kLocal;
    case ctl::ResourceClass::kForeign:
    case ctl::ResourceClass::kFailback:
      return ownership::kForeign;
  }
  return ownership::kAll;
}

ownership::ClassBits takeover_bits(ctl::ResourceClass cls) {
  switch (cls) {
    case ctl::ResourceClass::kAll:
      return ownership::kAll;
    case ctl::ResourceClass::kForeign:
      return ownership::kForeign;
    case ctl::ResourceClass::kLocal:
    case ctl::ResourceClass::kFailback:
      return ownership::kLocal;
  }
  return ownership::kAll;
}

}  // namespace vigil::control
