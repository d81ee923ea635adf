#include "heartbeatd/control/membership_status.h"

namespace vigil::control {

namespace ctl = proto::control;

ctl::NodeStatus node_status_of(const core::NodeSnapshot& node) {
  if (node.dead || node.status == "dead") return ctl::NodeStatus::kDead;
  if (node.status == "active") return ctl::NodeStatus::kActive;
  if (node.status == "up") return ctl::NodeStatus::kUp;
  if (node.ping && node.status == "ping") return ctl::NodeStatus::kPing;
  // "init", never heard, or a status word heartbeat peers may send that
  // cl_status has no word for.
  return ctl::NodeStatus::kInit;
}

namespace {

ctl::NodeStatus local_status_of(core::LocalStatus s) {
  switch (s) {
    case core::LocalStatus::kInit:
      return ctl::NodeStatus::kInit;
    case core::LocalStatus::kUp:
      return ctl::NodeStatus::kUp;
    case core::LocalStatus::kActive:
      return ctl::NodeStatus::kActive;
  }
  return ctl::NodeStatus::kInit;
}

}  // namespace

ctl::StatusReply status_from(const conf::Config& config, const core::Snapshot& snapshot,
                             const node::ReceiveCounters& counters,
                             const std::vector<node::BadPacketSource>& bad_sources,
                             const node::PeerConfigCheck* config_check) {
  ctl::StatusReply r;
  r.local_node = snapshot.local_node.empty() ? config.local_node : snapshot.local_node;
  r.local_status = local_status_of(snapshot.local_status);
  r.resource_management = false;
  r.rscstatus = ctl::RscStatus::kNone;
  for (const auto& n : snapshot.nodes) {
    if (r.nodes.size() >= ctl::kMaxNodes) break;
    ctl::NodeInfo info;
    info.name = n.name;
    info.type = n.ping ? ctl::NodeType::kPing : ctl::NodeType::kNormal;
    info.status = n.local ? local_status_of(snapshot.local_status) : node_status_of(n);
    for (const auto& l : n.links) {
      if (info.links.size() >= ctl::kMaxLinks) break;
      info.links.push_back({l.name, l.up});
    }
    if (config_check != nullptr && !n.local)
      if (const std::string* theirs = config_check->theirs(n.name)) info.config_digest = *theirs;
    r.nodes.push_back(std::move(info));
  }
  if (config_check != nullptr) r.config_digest = config_check->ours();
  for (const auto& g : config.groups) {
    if (r.groups.size() >= ctl::kMaxGroups) break;
    r.groups.push_back({g.key(), g.node, "unknown", ctl::GroupState::kUnknown});
  }
  r.counters.accepted = counters.accepted;
  r.counters.malformed = counters.malformed + snapshot.counters.malformed_drops;
  r.counters.unauthenticated = counters.unauthenticated;
  r.counters.replay_drops = snapshot.counters.replay_drops;
  r.counters.lost_packets = snapshot.counters.lost_packets;
  r.counters.rexmit_requests_sent = snapshot.counters.rexmit_requests_sent;
  r.counters.unknown_node_drops = snapshot.counters.unknown_node_drops;
  r.counters.unreadable = counters.unreadable;
  for (const auto& s : bad_sources) {
    if (r.bad_packet_sources.size() >= ctl::kMaxBadPacketSources) break;
    using K = node::BadPacketKind;
    r.bad_packet_sources.push_back({s.address, s.counts[static_cast<std::size_t>(K::kMalformed)],
                                    s.counts[static_cast<std::size_t>(K::kUnauthenticated)],
                                    s.counts[static_cast<std::size_t>(K::kUnreadable)]});
  }
  return r;
}

}  // namespace vigil::control
