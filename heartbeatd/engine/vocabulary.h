// What goes into heartbeatd's engine and what comes out of it (README.md).
// Every input carries nothing but data; every output is data the one
// executor in the I/O shell (node::ClusterNode::execute) carries out in
// order. No callback, clock, socket or log call crosses this line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/clock.h"
#include "common/proto/cluster_event.h"
#include "common/proto/helper_common.h"
#include "common/proto/ipd_messages.h"
#include "common/proto/resourced_messages.h"
#include "heartbeatd/core/actions.h"
#include "heartbeatd/messages/cluster_messages.h"
#include "heartbeatd/ownership/actions.h"
#include "heartbeatd/ownership/resource_class.h"

namespace vigil::engine {

enum class Helper { kIpd, kResourced };

// ---------------------------------------------------------------- inputs

// heartbeatd has its media up: the first status goes out (core::Core::start).
struct Start {};
// At or after next_deadline() (early is harmless).
struct Tick {};
// A cluster message that passed framing and the signature (wire::verify),
// decoded once (messages::decode), as it arrived on medium `link`.
struct Received {
  std::string link;
  messages::ClusterMessage message;
};
// A helper's answer to the HelperCall numbered `call`.
using HelperReply = std::variant<proto::ipd::Result, proto::ipd::VipList, proto::resourced::Reply>;
struct HelperAnswer {
  std::uint32_t call = 0;
  HelperReply reply;
};
// What ipd says unasked: a VIP removed by someone else, a link down or up.
struct HelperEvent {
  proto::ipd::Event event;
};
// A helper's connection (re)opened and it said Hello.
struct HelperConnected {
  Helper helper = Helper::kIpd;
};
// Operator commands: hb_standby, hb_takeover (§7.3), SIGTERM (§6.7).
struct Standby {
  ownership::ClassBits cls = ownership::kAll;
};
struct Takeover {
  ownership::ClassBits cls = ownership::kAll;
  bool failback = false;  // sends rsc_hold=local (ownership.h)
};
struct Shutdown {
  long pid = 0;  // printed as heartbeat prints it
};
// vigilctl cleanup (issue 16, health_monitor.h): forget resource failure
// counts and take back groups given up for failures.
struct HealthCleanup {};
// vigilctl maintenance on|off: resource checks, restarts and give-ups
// suspended for every group (`group` empty) or one (haresources index).
struct Maintenance {
  bool on = false;
  std::optional<std::size_t> group;
};

// ---- issue 14: DRBD fence-peer (peer_outdate.h) ----
// DRBD's fence-peer handler on this node asks that the peer's copy of DRBD
// resource `drbd` be outdated. `asker` names the request in the answer;
// `peer` is DRBD's name for the peer (empty: the one other node of ha.cf).
struct OutdatePeer {
  std::uint32_t asker = 0;
  std::string drbd;
  std::string peer;
  Duration timeout = std::chrono::seconds(5);
};

// ---- issue 18: corosync ----
// Membership from corosync (vigil.cf `membership corosync`,
// heartbeatd/io/corosync_link.h): the configured names of the nodes whose
// heartbeatd is in the CPG group now, ourselves included, and the quorum
// corosync reported for that same membership (the edge holds the
// membership back until it knows it). Peers outside it are dead.
struct MembershipChange {
  std::vector<std::string> members;
  bool quorate = false;
  // The nodes in corosync's ring now (their corosync runs): a member that
  // left the group but is still here is a heartbeatd gone, whose helpers
  // keep its groups for their lease (core::CoreParams::leave_grace).
  std::vector<std::string> in_ring;
};
// Quorum changed without a membership change (votes, wait_for_all, a
// quorum device).
struct QuorumChange {
  bool quorate = false;
};

using Input = std::variant<Start, Tick, Received, HelperAnswer, HelperEvent, HelperConnected,
                           Standby, Takeover, Shutdown, HealthCleanup, Maintenance, OutdatePeer,
                           MembershipChange, QuorumChange>;

// --------------------------------------------------------------- actions

// Encode (control fields of §5.4, signature) and send on every medium;
// record the seq first unless it is a retransmission (core/actions.h).
using Transmit = core::Send;
// Send one ICMP echo request to each address of a ping node, carrying the
// signed NS_st probe (core/actions.h, §8.1).
using Probe = core::Probe;
// Write one log event (heartbeat's words, VIGIL_EVENT id in the fields).
using Log = core::Log;

// One request to a root helper. Its answer comes back as
// HelperAnswer{call, ...}: kIpdAdd/kIpdRemove/kIpdAnnounce → ipd::Result,
// kIpdList → ipd::VipList, kResourced and kResourcedMonitor →
// resourced::Reply. kIpdAnnounce announces a held VIP again
// (announcement_plan.h). kResourcedMonitor is one health check of `place`
// (a resourced Task of kind kMonitor; `op` is kStatus).
enum class CallKind { kIpdAdd, kIpdRemove, kIpdList, kResourced, kIpdAnnounce, kResourcedMonitor };
struct HelperCall {
  std::uint32_t call = 0;
  CallKind kind = CallKind::kIpdList;
  proto::ResourcePlace place;                                            // not for kIpdList
  proto::resourced::Op op = proto::resourced::Op::kStatus;               // kResourced only
  proto::ipd::AnnounceKind announce = proto::ipd::AnnounceKind::kAgain;  // kIpdAnnounce only

  bool operator==(const HelperCall&) const = default;
};
// Reset ha.cf node #node_index before its groups are taken over (§6.4):
// resourced's Task kFence (it picks the device from its own ha.cf). The
// answer comes back as HelperAnswer{call, resourced::Reply}: kOk = reset.
struct FenceCall {
  std::uint32_t call = 0;
  std::uint16_t node_index = 0;

  bool operator==(const FenceCall&) const = default;
};
// The graceful shutdown is over (§6.7): heartbeatd may exit.
struct ShutdownComplete {};
// A cluster event for resourced's rc.d scripts and notify hook (§6.9,
// heartbeatd/events/event_forwarder.h): sent to resourced, never answered.
struct ClusterEvent {
  proto::ClusterEvent event = proto::ClusterEvent::kStatus;
  std::vector<proto::EventField> fields;
};

// A step of a group walk, for the event timeline (heartbeatd/observe): the
// ownership module's request as it goes out to a helper, and its outcome
// when the answer comes back. The executor only tells the observer.
struct StepStarted {
  ownership::ResourceRequest request;
};
struct StepFinished {
  std::uint32_t request_id = 0;
  ownership::ResourceOutcome outcome = ownership::ResourceOutcome::kFailed;
};

// ---- issue 14: DRBD fence-peer (peer_outdate.h) ----
// Run `drbdadm outdate` for haresources resource #resource_index (a
// drbddisk entry) on this node: resourced's Task kOutdatePeer. The answer
// comes back as HelperAnswer{call, resourced::Reply}.
struct OutdateCall {
  std::uint32_t call = 0;
  std::uint16_t resource_index = 0;
  bool operator==(const OutdateCall&) const = default;
};
// What DRBD's fence-peer handler exits with; the values are DRBD's
// (drbd.conf(5), handlers: fence-peer) plus 1, which DRBD reads as a broken
// handler and so never as a fenced peer.
enum class OutdateResult : std::uint8_t {
  kRefused = 1,       // not a drbddisk resource here, no such peer, ...
  kInconsistent = 3,  // the peer's disk is inconsistent
  kOutdated = 4,      // the peer outdated its disk: safe to go on alone
  kUnreachable = 5,   // the peer is dead or did not answer in time
  kPrimary = 6,       // the peer is primary: it refused
};
// The answer to OutdatePeer{asker}; `text` says why, for the handler's log.
struct OutdateAnswer {
  std::uint32_t asker = 0;
  OutdateResult result = OutdateResult::kRefused;
  std::string text;
  bool operator==(const OutdateAnswer&) const = default;
};

using Action = std::variant<Transmit, Log, HelperCall, ShutdownComplete, ClusterEvent, StepStarted,
                            StepFinished, Probe, FenceCall, OutdateCall, OutdateAnswer>;
using Actions = std::vector<Action>;

}  // namespace vigil::engine
