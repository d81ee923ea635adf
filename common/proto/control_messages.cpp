#include "common/proto/control_messages.h"

#include <fmt/format.h>

#include "common/ipc/payload.h"
#include "common/proto/message_codec.h"

namespace vigil::proto::control {

std::string_view class_word(ResourceClass c) {
  switch (c) {
    case ResourceClass::kAll:
      return "all";
    case ResourceClass::kForeign:
      return "foreign";
    case ResourceClass::kLocal:
      return "local";
    case ResourceClass::kFailback:
      return "failback";
  }
  return "?";
}

bool parse_class_word(std::string_view word, ResourceClass& out) {
  for (auto c : {ResourceClass::kAll, ResourceClass::kForeign, ResourceClass::kLocal,
                 ResourceClass::kFailback}) {
    if (word == class_word(c)) {
      out = c;
      return true;
    }
  }
  return false;
}

std::string_view node_type_word(NodeType t) { return t == NodeType::kPing ? "ping" : "normal"; }

std::string_view node_status_word(NodeStatus s) {
  switch (s) {
    case NodeStatus::kInit:
      return "init";
    case NodeStatus::kUp:
      return "up";
    case NodeStatus::kActive:
      return "active";
    case NodeStatus::kDead:
      return "dead";
    case NodeStatus::kPing:
      return "ping";
  }
  return "?";
}

std::string_view rscstatus_word(RscStatus s) {
  switch (s) {
    case RscStatus::kNone:
      return "none";
    case RscStatus::kLocal:
      return "local";
    case RscStatus::kForeign:
      return "foreign";
    case RscStatus::kAll:
      return "all";
    case RscStatus::kTransition:
      return "transition";
  }
  return "?";
}

std::string_view group_state_word(GroupState s) {
  switch (s) {
    case GroupState::kUnknown:
      return "unknown";
    case GroupState::kStopped:
      return "stopped";
    case GroupState::kStarting:
      return "starting";
    case GroupState::kRunning:
      return "running";
    case GroupState::kStopping:
      return "stopping";
    case GroupState::kFailed:
      return "failed";
    case GroupState::kStopFailed:
      return "stop-failed";
  }
  return "?";
}

std::string_view check_result_word(ResourceHealthInfo::Result r) {
  switch (r) {
    case ResourceHealthInfo::Result::kNone:
      return "none";
    case ResourceHealthInfo::Result::kPassed:
      return "passed";
    case ResourceHealthInfo::Result::kFailed:
      return "failed";
    case ResourceHealthInfo::Result::kTimedOut:
      return "timed-out";
  }
  return "?";
}

namespace {

Type type_of(const Message& m) {
  return std::visit(Overload{[](const StatusRequest&) { return Type::kStatusRequest; },
                             [](const Standby&) { return Type::kStandby; },
                             [](const Takeover&) { return Type::kTakeover; },
                             [](const StatusReply&) { return Type::kStatusReply; },
                             [](const CommandReply&) { return Type::kCommandReply; },
                             [](const EventsRequest&) { return Type::kEventsRequest; },
                             [](const EventsReply&) { return Type::kEventsReply; },
                             [](const MetricsRequest&) { return Type::kMetricsRequest; },
                             [](const MetricsReply&) { return Type::kMetricsReply; },
                             [](const HealthCommand&) { return Type::kHealthCommand; },
                             [](const OutdatePeerRequest&) { return Type::kOutdatePeerRequest; },
                             [](const OutdatePeerReply&) { return Type::kOutdatePeerReply; }},
                    m);
}

// Enum ranges: every enum here is dense from 0.
bool valid(ResourceClass c) { return c <= ResourceClass::kFailback; }
bool valid(NodeType t) { return t <= NodeType::kPing; }
bool valid(NodeStatus s) { return s <= NodeStatus::kPing; }
bool valid(RscStatus s) { return s <= RscStatus::kTransition; }
bool valid(GroupState s) { return s <= GroupState::kStopFailed; }

Status check_reply(const StatusReply& v) {
  if (v.local_node.empty()) return Error{"status: empty local node name"};
  if (!valid(v.local_status)) return Error{"status: local status out of range"};
  if (!valid(v.rscstatus)) return Error{"status: rscstatus out of range"};
  if (v.nodes.size() > kMaxNodes) return Error{"status: too many nodes"};
  if (v.groups.size() > kMaxGroups) return Error{"status: too many groups"};
  if (v.maintenance_groups.size() > kMaxGroups)
    return Error{"status: too many groups in maintenance"};
  if (v.resource_health.size() > kMaxCheckedResources)
    return Error{"status: too many checked resources"};
  if (v.held_back.size() > kMaxGroups) return Error{"status: too many groups held back"};
  if (!v.health_check && (v.maintenance_all || !v.maintenance_groups.empty() ||
                          !v.resource_health.empty() || !v.held_back.empty()))
    return Error{"status: resource health without health_check"};
  for (const auto& n : v.nodes) {
    if (n.name.empty()) return Error{"status: empty node name"};
    if (!valid(n.type)) return Error{fmt::format("status: node {}: type out of range", n.name)};
    if (!valid(n.status)) return Error{fmt::format("status: node {}: status out of range", n.name)};
    if (n.links.size() > kMaxLinks)
      return Error{fmt::format("status: node {}: too many links", n.name)};
    for (const auto& l : n.links)
      if (l.name.empty()) return Error{fmt::format("status: node {}: empty link name", n.name)};
  }
  for (const auto& g : v.groups) {
    if (g.key.empty()) return Error{"status: empty group key"};
    if (!valid(g.state)) return Error{fmt::format("status: group {}: state out of range", g.key)};
  }
  if (v.bad_packet_sources.size() > kMaxBadPacketSources)
    return Error{"status: too many bad packet sources"};
  for (const auto& b : v.bad_packet_sources)
    if (b.address.empty()) return Error{"status: empty bad packet source"};
  if (v.quorum.members.size() > kMaxNodes) return Error{"status: too many members"};
  for (const auto& m : v.quorum.members)
    if (m.empty()) return Error{"status: empty member name"};
  return {};
}

Status check_events(const EventsReply& v) {
  if (v.events.size() > kMaxEventsPerReply) return Error{"events: too many events"};
  for (const auto& e : v.events) {
    if (e.event.empty()) return Error{fmt::format("events: event {} has no id", e.seq)};
    if (e.priority > 7) return Error{fmt::format("events: event {}: priority out of range", e.seq)};
  }
  return {};
}

Status check(const Message& m) {
  return std::visit(Overload{[](const StatusRequest&) -> Status { return {}; },
                             [](const Standby& v) -> Status {
                               if (!valid(v.cls)) return Error{"standby: class out of range"};
                               return {};
                             },
                             [](const Takeover& v) -> Status {
                               if (!valid(v.cls)) return Error{"takeover: class out of range"};
                               return {};
                             },
                             [](const StatusReply& v) -> Status { return check_reply(v); },
                             [](const CommandReply&) -> Status { return {}; },
                             [](const EventsRequest&) -> Status { return {}; },
                             [](const EventsReply& v) -> Status { return check_events(v); },
                             [](const MetricsRequest&) -> Status { return {}; },
                             [](const HealthCommand& v) -> Status {
                               if (v.verb < HealthCommand::Verb::kCleanup ||
                                   v.verb > HealthCommand::Verb::kMaintenanceOff)
                                 return Error{"health: verb out of range"};
                               if (v.group.size() > kMaxGroupKey)
                                 return Error{"health: group key too long"};
                               return {};
                             },
                             [](const MetricsReply&) -> Status { return {}; },
                             [](const OutdatePeerRequest& v) -> Status {
                               if (v.drbd.empty() || v.drbd.size() > kMaxDrbdResource)
                                 return Error{"outdate-peer: DRBD resource name empty or too long"};
                               if (v.peer.size() > kMaxName)
                                 return Error{"outdate-peer: peer name too long"};
                               if (v.timeout_ms == 0 || v.timeout_ms > kMaxOutdateTimeoutMs)
                                 return Error{"outdate-peer: timeout out of range"};
                               return {};
                             },
                             [](const OutdatePeerReply&) -> Status { return {}; }},
                    m);
}

void write_event(ipc::PayloadWriter& w, const TimelineEvent& e) {
  w.u64(e.seq);
  w.u64(static_cast<std::uint64_t>(e.mono_us));
  w.u64(static_cast<std::uint64_t>(e.wall_us));
  w.u8(e.priority);
  w.string(e.event, kMaxEventId);
  w.string(e.node, kMaxName);
  w.string(e.link, kMaxName);
  w.string(e.group, kMaxName);
  w.string(e.text, kMaxEventText);
  w.u32(e.step_id);
  w.string(e.outcome, kMaxEventId);
  w.u64(static_cast<std::uint64_t>(e.step_us));
}

TimelineEvent read_event(ipc::PayloadReader& r) {
  TimelineEvent e;
  e.seq = r.u64();
  e.mono_us = static_cast<std::int64_t>(r.u64());
  e.wall_us = static_cast<std::int64_t>(r.u64());
  e.priority = r.u8();
  e.event = r.string(kMaxEventId);
  e.node = r.string(kMaxName);
  e.link = r.string(kMaxName);
  e.group = r.string(kMaxName);
  e.text = r.string(kMaxEventText);
  e.step_id = r.u32();
  e.outcome = r.string(kMaxEventId);
  e.step_us = static_cast<std::int64_t>(r.u64());
  return e;
}

void write_u64s(ipc::PayloadWriter& w, const Counters& c) {
  for (std::uint64_t v :
       {c.accepted, c.malformed, c.unauthenticated, c.replay_drops, c.lost_packets,
        c.rexmit_requests_sent, c.unknown_node_drops, c.unreadable})
    w.u64(v);
}

// Issue 16's section: its flag, then (only when set) the rest.
void write_health(ipc::PayloadWriter& w, const StatusReply& v) {
  w.boolean(v.health_check);
  if (!v.health_check) return;
  w.boolean(v.maintenance_all);
  w.u16(static_cast<std::uint16_t>(v.maintenance_groups.size()));
  for (const auto& g : v.maintenance_groups) w.string(g, kMaxGroupKey);
  w.u16(static_cast<std::uint16_t>(v.resource_health.size()));
  for (const auto& h : v.resource_health) {
    w.string(h.group, kMaxGroupKey);
    w.string(h.resource, kMaxGroupKey);
    w.u8(static_cast<std::uint8_t>(h.last));
    w.u64(h.last_check_ago_ms);
    w.string(h.detail, kMaxMessage);
    w.u32(h.in_a_row);
    w.u32(h.failures);
    w.boolean(h.decays);
    w.u64(h.decays_in_ms);
  }
  w.u16(static_cast<std::uint16_t>(v.held_back.size()));
  for (const auto& h : v.held_back) {
    w.string(h.group, kMaxGroupKey);
    w.string(h.dead_node, kMaxName);
  }
}

void write_reply(ipc::PayloadWriter& w, const StatusReply& v) {
  w.string(v.local_node, kMaxName);
  w.u8(static_cast<std::uint8_t>(v.local_status));
  w.boolean(v.resource_management);
  w.u8(static_cast<std::uint8_t>(v.rscstatus));
  w.u16(static_cast<std::uint16_t>(v.nodes.size()));
  for (const auto& n : v.nodes) {
    w.string(n.name, kMaxName);
    w.u8(static_cast<std::uint8_t>(n.type));
    w.u8(static_cast<std::uint8_t>(n.status));
    w.u16(static_cast<std::uint16_t>(n.links.size()));
    for (const auto& l : n.links) {
      w.string(l.name, kMaxName);
      w.boolean(l.up);
    }
    w.string(n.config_digest, kMaxDigest);
  }
  w.u16(static_cast<std::uint16_t>(v.groups.size()));
  for (const auto& g : v.groups) {
    w.string(g.key, kMaxGroupKey);
    w.string(g.home_node, kMaxName);
    w.string(g.owner, kMaxName);
    w.u8(static_cast<std::uint8_t>(g.state));
  }
  write_u64s(w, v.counters);
  w.u16(static_cast<std::uint16_t>(v.bad_packet_sources.size()));
  for (const auto& b : v.bad_packet_sources) {
    w.string(b.address, kMaxName);
    for (std::uint64_t n : {b.malformed, b.unauthenticated, b.unreadable}) w.u64(n);
  }
  w.string(v.config_digest, kMaxDigest);
  write_health(w, v);
  // issue 18, appended after the health section (which its flag closes).
  w.boolean(v.quorum.corosync);
  w.boolean(v.quorum.quorate);
  w.u16(static_cast<std::uint16_t>(v.quorum.members.size()));
  for (const auto& m : v.quorum.members) w.string(m, kMaxName);
}

void write_body(ipc::PayloadWriter& w, const Message& m) {
  std::visit(Overload{[](const StatusRequest&) {},
                      [&](const Standby& v) { w.u8(static_cast<std::uint8_t>(v.cls)); },
                      [&](const HealthCommand& v) {
                        w.u8(static_cast<std::uint8_t>(v.verb));
                        w.string(v.group, kMaxGroupKey);
                      },
                      [&](const Takeover& v) { w.u8(static_cast<std::uint8_t>(v.cls)); },
                      [&](const StatusReply& v) { write_reply(w, v); },
                      [&](const CommandReply& v) {
                        w.boolean(v.accepted);
                        w.string(v.message, kMaxMessage);
                      },
                      [&](const EventsRequest& v) { w.u64(v.after_seq); },
                      [&](const EventsReply& v) {
                        w.u16(static_cast<std::uint16_t>(v.events.size()));
                        for (const auto& e : v.events) write_event(w, e);
                        w.boolean(v.more);
                        w.u64(v.newest_seq);
                      },
                      [](const MetricsRequest&) {},
                      [&](const MetricsReply& v) { w.string(v.text, kMaxMetricsText); },
                      [&](const OutdatePeerRequest& v) {
                        w.string(v.drbd, kMaxDrbdResource);
                        w.string(v.peer, kMaxName);
                        w.u32(v.timeout_ms);
                      },
                      [&](const OutdatePeerReply& v) {
                        w.u8(v.exit_code);
                        w.string(v.message, kMaxMessage);
                      }},
             m);
}

Status read_health(ipc::PayloadReader& r, StatusReply& v) {
  v.health_check = r.boolean();
  if (!v.health_check) return {};
  v.maintenance_all = r.boolean();
  const std::uint16_t in_maintenance = r.u16();
  if (in_maintenance > kMaxGroups) return Error{"status: too many groups in maintenance"};
  for (std::uint16_t i = 0; i < in_maintenance && !r.failed(); ++i)
    v.maintenance_groups.push_back(r.string(kMaxGroupKey));
  const std::uint16_t checked = r.u16();
  if (checked > kMaxCheckedResources) return Error{"status: too many checked resources"};
  for (std::uint16_t i = 0; i < checked && !r.failed(); ++i) {
    ResourceHealthInfo h;
    h.group = r.string(kMaxGroupKey);
    h.resource = r.string(kMaxGroupKey);
    h.last = static_cast<ResourceHealthInfo::Result>(r.u8());
    if (h.last > ResourceHealthInfo::Result::kTimedOut)
      return Error{"status: check result out of range"};
    h.last_check_ago_ms = r.u64();
    h.detail = r.string(kMaxMessage);
    h.in_a_row = r.u32();
    h.failures = r.u32();
    h.decays = r.boolean();
    h.decays_in_ms = r.u64();
    v.resource_health.push_back(std::move(h));
  }
  const std::uint16_t held_back = r.u16();
  if (held_back > kMaxGroups) return Error{"status: too many groups held back"};
  for (std::uint16_t i = 0; i < held_back && !r.failed(); ++i) {
    StatusReply::HeldBack h;
    h.group = r.string(kMaxGroupKey);
    h.dead_node = r.string(kMaxName);
    v.held_back.push_back(std::move(h));
  }
  return {};
}

vigil::Result<StatusReply> read_reply(ipc::PayloadReader& r) {
  StatusReply v;
  v.local_node = r.string(kMaxName);
  v.local_status = static_cast<NodeStatus>(r.u8());
  v.resource_management = r.boolean();
  v.rscstatus = static_cast<RscStatus>(r.u8());
  const std::uint16_t nodes = r.u16();
  if (nodes > kMaxNodes) return Error{"status: too many nodes"};
  for (std::uint16_t i = 0; i < nodes && !r.failed(); ++i) {
    NodeInfo n;
    n.name = r.string(kMaxName);
    n.type = static_cast<NodeType>(r.u8());
    n.status = static_cast<NodeStatus>(r.u8());
    const std::uint16_t links = r.u16();
    if (links > kMaxLinks) return Error{"status: too many links"};
    for (std::uint16_t j = 0; j < links && !r.failed(); ++j) {
      LinkStatus l;
      l.name = r.string(kMaxName);
      l.up = r.boolean();
      n.links.push_back(std::move(l));
    }
    n.config_digest = r.string(kMaxDigest);
    v.nodes.push_back(std::move(n));
  }
  const std::uint16_t groups = r.u16();
  if (groups > kMaxGroups) return Error{"status: too many groups"};
  for (std::uint16_t i = 0; i < groups && !r.failed(); ++i) {
    GroupInfo g;
    g.key = r.string(kMaxGroupKey);
    g.home_node = r.string(kMaxName);
    g.owner = r.string(kMaxName);
    g.state = static_cast<GroupState>(r.u8());
    v.groups.push_back(std::move(g));
  }
  Counters& c = v.counters;
  for (std::uint64_t* p :
       {&c.accepted, &c.malformed, &c.unauthenticated, &c.replay_drops, &c.lost_packets,
        &c.rexmit_requests_sent, &c.unknown_node_drops, &c.unreadable})
    *p = r.u64();
  const std::uint16_t sources = r.u16();
  if (sources > kMaxBadPacketSources) return Error{"status: too many bad packet sources"};
  for (std::uint16_t i = 0; i < sources && !r.failed(); ++i) {
    BadPacketSourceInfo b;
    b.address = r.string(kMaxName);
    for (std::uint64_t* p : {&b.malformed, &b.unauthenticated, &b.unreadable}) *p = r.u64();
    v.bad_packet_sources.push_back(std::move(b));
  }
  v.config_digest = r.string(kMaxDigest);
  if (auto health = read_health(r, v); !health) return health.error();
  v.quorum.corosync = r.boolean();
  v.quorum.quorate = r.boolean();
  const std::uint16_t members = r.u16();
  if (members > kMaxNodes) return Error{"status: too many members"};
  for (std::uint16_t i = 0; i < members && !r.failed(); ++i)
    v.quorum.members.push_back(r.string(kMaxName));
  return v;
}

vigil::Result<Message> read_body(Type type, ipc::PayloadReader& r) {
  switch (type) {
    case Type::kStatusRequest:
      return Message{StatusRequest{}};
    case Type::kStandby:
      return Message{Standby{static_cast<ResourceClass>(r.u8())}};
    case Type::kTakeover:
      return Message{Takeover{static_cast<ResourceClass>(r.u8())}};
    case Type::kHealthCommand: {
      HealthCommand v;
      v.verb = static_cast<HealthCommand::Verb>(r.u8());
      v.group = r.string(kMaxGroupKey);
      return Message{std::move(v)};
    }
    case Type::kStatusReply: {
      auto v = read_reply(r);
      if (!v) return v.error();
      return Message{std::move(*v)};
    }
    case Type::kCommandReply: {
      CommandReply v;
      v.accepted = r.boolean();
      v.message = r.string(kMaxMessage);
      return Message{std::move(v)};
    }
    case Type::kEventsRequest:
      return Message{EventsRequest{r.u64()}};
    case Type::kOutdatePeerRequest: {
      OutdatePeerRequest v;
      v.drbd = r.string(kMaxDrbdResource);
      v.peer = r.string(kMaxName);
      v.timeout_ms = r.u32();
      return Message{std::move(v)};
    }
    case Type::kOutdatePeerReply: {
      OutdatePeerReply v;
      v.exit_code = r.u8();
      v.message = r.string(kMaxMessage);
      return Message{std::move(v)};
    }
    case Type::kEventsReply: {
      EventsReply v;
      const std::uint16_t n = r.u16();
      if (n > kMaxEventsPerReply) return Error{"events: too many events"};
      for (std::uint16_t i = 0; i < n && !r.failed(); ++i) v.events.push_back(read_event(r));
      v.more = r.boolean();
      v.newest_seq = r.u64();
      return Message{std::move(v)};
    }
    case Type::kMetricsRequest:
      return Message{MetricsRequest{}};
    case Type::kMetricsReply:
      return Message{MetricsReply{r.string(kMaxMetricsText)}};
  }
  return Error{fmt::format("unknown control message type {}", static_cast<unsigned>(type))};
}

}  // namespace

vigil::Result<ipc::Bytes> encode(const Message& message) {
  return encode_message(message, type_of, check, write_body);
}

vigil::Result<Message> decode(const ipc::Frame& frame) {
  return decode_message<Message>(frame, Type::kStatusRequest, Type::kOutdatePeerReply, "control",
                                 read_body, check);
}

}  // namespace vigil::proto::control
