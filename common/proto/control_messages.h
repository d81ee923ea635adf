// The vigilctl <-> heartbeatd vocabulary, over the control socket
// (architecture.md, trust boundary 3). One struct per message; encode and
// decode are paired, and decode checks every enum, every count and string
// bound and the exact payload length, so a malformed frame is an error
// value and heartbeatd closes that connection.
//
//   vigilctl -> heartbeatd   StatusRequest, Standby, Takeover,
//                            EventsRequest, MetricsRequest, HealthCommand,
//                            OutdatePeerRequest (drbd-fence-peer)
//   heartbeatd -> vigilctl   StatusReply (answers StatusRequest),
//                            CommandReply (answers Standby / Takeover),
//                            EventsReply (answers EventsRequest),
//                            MetricsReply (answers MetricsRequest),
//                            OutdatePeerReply (answers OutdatePeerRequest,
//                            when the peer answered or the time ran out)
//
// StatusRequest, EventsRequest and MetricsRequest only read; Standby and
// Takeover move resources (heartbeatd/control/permission.h decides who may
// send which).
//
// One request per connection is the usual pattern, but a client may send
// several, one after the other; each gets exactly one reply, in order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/ipc/frame.h"
#include "common/result.h"

namespace vigil::proto::control {

enum class Type : std::uint16_t {
  kStatusRequest = 1,
  kStandby = 2,
  kTakeover = 3,
  kStatusReply = 4,
  kCommandReply = 5,
  kEventsRequest = 6,
  kEventsReply = 7,
  kMetricsRequest = 8,
  kMetricsReply = 9,
  // ---- issue 16: resource health ----
  kHealthCommand = 10,
  // ---- issue 14: DRBD fence-peer ----
  kOutdatePeerRequest = 11,
  kOutdatePeerReply = 12,
};

inline constexpr std::size_t kMaxName = 255;       // node, link, owner names
inline constexpr std::size_t kMaxDigest = 64;      // shared-configuration digest (hex)
inline constexpr std::size_t kMaxGroupKey = 1024;  // the haresources key text
inline constexpr std::size_t kMaxMessage = 1024;   // CommandReply::message
inline constexpr std::size_t kMaxNodes = 256;
inline constexpr std::size_t kMaxLinks = 64;  // per node
inline constexpr std::size_t kMaxGroups = 1024;
inline constexpr std::size_t kMaxBadPacketSources = 64;
inline constexpr std::size_t kMaxEventId = 64;     // a VIGIL_EVENT id
inline constexpr std::size_t kMaxEventText = 512;  // one timeline line (longer is cut)
// Events per EventsReply: 24 of the largest fit one frame; a client asks
// again from the last seq it got while `more` is set.
inline constexpr std::size_t kMaxEventsPerReply = 24;
// The metrics text fits one frame (a few hundred series for a two-node
// cluster with a dozen groups take about 20 KiB).
inline constexpr std::size_t kMaxMetricsText = 60000;

// hb_standby / hb_takeover classes (heartbeat-compat.md §6.6, §7.3).
enum class ResourceClass : std::uint8_t { kAll = 0, kForeign = 1, kLocal = 2, kFailback = 3 };
std::string_view class_word(ResourceClass c);  // "all" / "foreign" / "local" / "failback"
// The four words above; anything else is nullopt-like false.
bool parse_class_word(std::string_view word, ResourceClass& out);

enum class NodeType : std::uint8_t { kNormal = 0, kPing = 1 };
std::string_view node_type_word(NodeType t);  // "normal" / "ping"

// cl_status nodestatus words (§7.2).
enum class NodeStatus : std::uint8_t { kInit = 0, kUp = 1, kActive = 2, kDead = 3, kPing = 4 };
std::string_view node_status_word(NodeStatus s);

// cl_status rscstatus words (§7.2).
enum class RscStatus : std::uint8_t {
  kNone = 0,
  kLocal = 1,
  kForeign = 2,
  kAll = 3,
  kTransition = 4
};
std::string_view rscstatus_word(RscStatus s);

// A resource group's state on this node; kUnknown while resource
// management is not running.
enum class GroupState : std::uint8_t {
  kUnknown = 0,
  kStopped = 1,
  kStarting = 2,
  kRunning = 3,
  kStopping = 4,
  kFailed = 5,
  kStopFailed = 6,
};
std::string_view group_state_word(GroupState s);  // "unknown", "stopped", ..., "stop-failed"

struct StatusRequest {
  bool operator==(const StatusRequest&) const = default;
};

// hb_standby: give `cls` (our point of view) to the peer.
struct Standby {
  ResourceClass cls = ResourceClass::kAll;
  bool operator==(const Standby&) const = default;
};

// hb_takeover: take `cls` (our point of view) from the peer.
struct Takeover {
  ResourceClass cls = ResourceClass::kAll;
  bool operator==(const Takeover&) const = default;
};

struct LinkStatus {
  std::string name;  // interface (or ping address)
  bool up = false;
  bool operator==(const LinkStatus&) const = default;
};

struct NodeInfo {
  std::string name;
  NodeType type = NodeType::kNormal;
  NodeStatus status = NodeStatus::kInit;
  std::vector<LinkStatus> links;
  // The shared-configuration digest this peer last sent (heartbeatd/node/
  // shared_config.h); empty when it sent none (a heartbeat node, or not
  // heard yet) and for ourselves.
  std::string config_digest;
  bool operator==(const NodeInfo&) const = default;
};

struct GroupInfo {
  std::string key;        // first resource as written in haresources
  std::string home_node;  // haresources node column
  std::string owner;      // a node name, "none", "transition" or "unknown"
  GroupState state = GroupState::kUnknown;
  bool operator==(const GroupInfo&) const = default;
};

struct Counters {
  std::uint64_t accepted = 0;         // datagrams that reached the core
  std::uint64_t malformed = 0;        // failed to decode
  std::uint64_t unauthenticated = 0;  // failed authentication
  std::uint64_t replay_drops = 0;     // older generation / replayed
  std::uint64_t lost_packets = 0;     // found missing
  std::uint64_t rexmit_requests_sent = 0;
  std::uint64_t unknown_node_drops = 0;
  std::uint64_t unreadable = 0;  // refused by the medium: oversized, receive error
  bool operator==(const Counters&) const = default;
};

// Datagrams that failed framing or authentication, per sender address as
// the kernel reported it (forgeable); "other" counts the senders beyond
// heartbeatd's bounded table (heartbeatd/node/bad_packet_tally.h).
struct BadPacketSourceInfo {
  std::string address;
  std::uint64_t malformed = 0;
  std::uint64_t unauthenticated = 0;
  std::uint64_t unreadable = 0;
  bool operator==(const BadPacketSourceInfo&) const = default;
};

// ---- issue 16: resource health ----
// One checked resource (heartbeatd/engine/health_monitor.h). Times are
// relative to the reply: how long ago, how long until.
struct ResourceHealthInfo {
  enum class Result : std::uint8_t { kNone = 0, kPassed = 1, kFailed = 2, kTimedOut = 3 };
  std::string group;     // the group key
  std::string resource;  // as written in haresources
  Result last = Result::kNone;
  std::uint64_t last_check_ago_ms = 0;  // meaningless when last == kNone
  std::string detail;                   // why the last check failed (<= kMaxMessage)
  std::uint32_t in_a_row = 0;           // failed checks in a row
  std::uint32_t failures = 0;           // confirmed failures still counted
  bool decays = false;                  // failures > 0: the oldest stops counting
  std::uint64_t decays_in_ms = 0;       //   in this long
  bool operator==(const ResourceHealthInfo&) const = default;
};
inline constexpr std::size_t kMaxCheckedResources = 1024;
std::string_view check_result_word(ResourceHealthInfo::Result r);  // "none", "passed", ...

// ---- issue 18: corosync ----
// Membership from corosync (vigil.cf `membership corosync`): the quorum it
// reports and the CPG group's members. Without corosync: quorate, no
// members listed (heartbeat's protocol has no quorum).
struct QuorumInfo {
  bool corosync = false;
  bool quorate = true;
  std::vector<std::string> members;  // at most kMaxNodes
  bool operator==(const QuorumInfo&) const = default;
};

struct StatusReply {
  std::string local_node;
  NodeStatus local_status = NodeStatus::kInit;  // init / up / active
  bool resource_management = false;             // false: groups' owner/state not known yet
  RscStatus rscstatus = RscStatus::kNone;
  std::vector<NodeInfo> nodes;    // config order, ourselves included, ping nodes last
  std::vector<GroupInfo> groups;  // haresources order
  Counters counters;
  std::vector<BadPacketSourceInfo> bad_packet_sources;  // at most kMaxBadPacketSources
  std::string config_digest;                            // ours; a peer's differing one is a warning
  // ---- issue 16: resource health (all empty unless vigil.cf health_check) ----
  bool health_check = false;
  bool maintenance_all = false;                 // vigilctl maintenance on (every group)
  std::vector<std::string> maintenance_groups;  // ... or these group keys
  std::vector<ResourceHealthInfo> resource_health;
  // A dead peer's groups not taken over because they are in maintenance
  // (heartbeatd/ownership/maintenance.cpp): taken over at maintenance off.
  struct HeldBack {
    std::string group;      // the group key
    std::string dead_node;  // who held it
    bool operator==(const HeldBack&) const = default;
  };
  std::vector<HeldBack> held_back;
  // ---- issue 18: corosync (on the wire after the health section) ----
  QuorumInfo quorum;
  // The peers whose config_digest is set and differs from ours.
  std::vector<std::string> config_mismatches() const {
    std::vector<std::string> out;
    for (const auto& n : nodes)
      if (!n.config_digest.empty() && n.config_digest != config_digest) out.push_back(n.name);
    return out;
  }
  bool operator==(const StatusReply&) const = default;

  const NodeInfo* node(std::string_view name) const {
    for (const auto& n : nodes)
      if (n.name == name) return &n;
    return nullptr;
  }
};

struct CommandReply {
  bool accepted = false;
  std::string message;  // why refused, or what was started
  bool operator==(const CommandReply&) const = default;
};

// One entry of heartbeatd's event timeline (heartbeatd/observe/
// event_timeline.h): a logged cluster event, or a resource step started or
// finished. `seq` grows by one per event, for ever (a client follows with
// EventsRequest{after_seq}).
struct TimelineEvent {
  std::uint64_t seq = 0;
  std::int64_t mono_us = 0;   // CLOCK_MONOTONIC, microseconds
  std::int64_t wall_us = 0;   // CLOCK_REALTIME, microseconds since the epoch
  std::uint8_t priority = 6;  // syslog's: 0 emerg ... 7 debug
  std::string event;          // VIGIL_EVENT id; "step-started" / "step-finished" for steps
  std::string node;           // VIGIL_NODE, if any
  std::string link;           // VIGIL_LINK, if any
  std::string group;          // VIGIL_GROUP (a group key), if any
  std::string text;           // the log line, or the step ("start httpsvc")
  // Steps only: the request id pairing a start with its finish, the outcome
  // word ("ok", "failed", "running", "stopped"; empty when started) and,
  // when finished, how long the step took.
  std::uint32_t step_id = 0;
  std::string outcome;
  std::int64_t step_us = 0;
  bool operator==(const TimelineEvent&) const = default;
};

// The events recorded after `after_seq` (0: from the oldest kept).
struct EventsRequest {
  std::uint64_t after_seq = 0;
  bool operator==(const EventsRequest&) const = default;
};

struct EventsReply {
  std::vector<TimelineEvent> events;  // at most kMaxEventsPerReply, oldest first
  bool more = false;                  // more events follow the last one
  std::uint64_t newest_seq = 0;       // the newest recorded (0: none yet)
  bool operator==(const EventsReply&) const = default;
};

struct MetricsRequest {
  bool operator==(const MetricsRequest&) const = default;
};

// Prometheus text exposition format 0.0.4 (heartbeatd/observe/metrics.h).
struct MetricsReply {
  std::string text;
  bool operator==(const MetricsReply&) const = default;
};

// vigilctl cleanup / maintenance on|off [GROUP] (issue 16,
// heartbeatd/engine/health_monitor.h). `group` is a haresources group key
// as `vigilctl status` prints it; empty: every group (maintenance only).
struct HealthCommand {
  enum class Verb : std::uint8_t { kCleanup = 1, kMaintenanceOn = 2, kMaintenanceOff = 3 };
  Verb verb = Verb::kCleanup;
  std::string group;
  bool operator==(const HealthCommand&) const = default;
};

// ---- issue 14: DRBD fence-peer ----
// DRBD's fence-peer handler (drbd-fence-peer) asks that the peer's copy of
// DRBD resource `drbd` (a drbddisk::NAME of haresources) be outdated.
// `peer` is DRBD's name for the peer node, empty: the other node of ha.cf.
// heartbeatd answers with OutdatePeerReply once the peer answered, or at
// `timeout_ms` (heartbeatd/engine/peer_outdate.h); it moves nothing here,
// but it changes the peer's disk, so it needs command access.
inline constexpr std::size_t kMaxDrbdResource = 64;
inline constexpr std::uint32_t kMaxOutdateTimeoutMs = 25000;
struct OutdatePeerRequest {
  std::string drbd;
  std::string peer;
  std::uint32_t timeout_ms = 5000;  // 1 .. kMaxOutdateTimeoutMs
  bool operator==(const OutdatePeerRequest&) const = default;
};
// `exit_code` is what the handler exits with, DRBD's fence-peer codes:
// 3 peer inconsistent, 4 peer outdated, 5 peer unreachable, 6 peer
// primary; 1 refused (the request names no drbddisk resource, ...).
struct OutdatePeerReply {
  std::uint8_t exit_code = 1;
  std::string message;
  bool operator==(const OutdatePeerReply&) const = default;
};

using Message = std::variant<StatusRequest, Standby, Takeover, StatusReply, CommandReply,
                             EventsRequest, EventsReply, MetricsRequest, MetricsReply,
                             HealthCommand, OutdatePeerRequest, OutdatePeerReply>;

// The whole frame (header + payload) for one message. Fails if a bound is
// exceeded (the sender's bug, not sent truncated).
vigil::Result<ipc::Bytes> encode(const Message& message);
// Checks the type, every enum, count and length, and the exact payload
// length.
vigil::Result<Message> decode(const ipc::Frame& frame);

}  // namespace vigil::proto::control
