// What the ownership module asks the world to do. Every Ownership entry
// point returns an ordered list of these; heartbeatd executes them in order
// (architecture.md "How data flows through heartbeatd"). The module itself
// never sends, logs, sleeps or runs anything.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "heartbeatd/core/actions.h"
#include "heartbeatd/messages/cluster_messages.h"

namespace vigil::ownership {

// A sequenced cluster message for node::ClusterNode::send (which numbers
// it and keeps it for retransmission), to `dest` (empty: every node).
struct SendMessage {
  messages::Body body;
  std::string dest;
};

// One log event in heartbeat's words (heartbeat-compat.md §6), with
// journald fields (VIGIL_NODE, VIGIL_GROUP, VIGIL_EVENT).
using Log = core::Log;

enum class ResourceOp { kStart, kStop, kStatus };
// IP entries (conf::Resource::is_ip()) go to ipd, everything else to
// resourced; the daemon translates to common/proto/{ipd,resourced}_messages.h.
enum class ResourceTarget { kIpd, kResourced };

// Run one action on one configured resource, named as the helpers name it:
// (group index in haresources file order, position in the group), both
// from 0. Answer with Ownership::on_resource_result(request_id, ...).
struct ResourceRequest {
  std::uint32_t request_id = 0;
  std::uint16_t group = 0;
  std::uint16_t position = 0;
  ResourceOp op = ResourceOp::kStatus;
  ResourceTarget target = ResourceTarget::kResourced;

  bool operator==(const ResourceRequest&) const = default;
};

// What a helper answered:
//   start/stop: kOk, or kFailed (non-zero exit, timeout, refusal);
//   status:     kRunning or kStopped (kFailed = could not tell).
// kRunning after start and kStopped after stop count as success.
enum class ResourceOutcome { kOk, kFailed, kRunning, kStopped };

// Our graceful shutdown has released every group and sent `shutdone`
// (heartbeat-compat.md §6.7): heartbeatd may flush its sends and exit.
struct ShutdownComplete {};

// Reset the dead node `node` (ha.cf node #node_index) before its groups are
// taken over (§6.4). resourced picks the device from its own ha.cf. Answer
// with Ownership::on_fence_result(request_id, reset).
struct FenceRequest {
  std::string node;
  std::uint32_t request_id = 0;
  std::uint32_t node_index = 0;  // < proto::resourced::kMaxTaskIndex

  bool operator==(const FenceRequest&) const = default;
};

using Action = std::variant<SendMessage, Log, ResourceRequest, ShutdownComplete, FenceRequest>;
using Actions = std::vector<Action>;

}  // namespace vigil::ownership
