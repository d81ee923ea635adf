// What the membership core asks the world to do. Every Core entry point
// returns an ordered list of these; the I/O layer (or a test, or the
// simulator) executes them in order. The core itself never sends, logs or
// sleeps (architecture.md "How data flows through heartbeatd").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/log_types.h"
#include "heartbeatd/messages/cluster_messages.h"
#include "heartbeatd/wire/message.h"

namespace vigil::core {

// Send one cluster message on every medium (§5.1: heartbeat sends every
// message on all media; `dest` only names the node that should act on it).
//
// `message` holds the caller's fields only, as messages::encode wrote them
// (`t`, `dest`, then the payload, e.g. `st`, `dt`, `firstseq`). The I/O layer appends the control
// fields of §5.4 with wire::add_control_fields, passing `seq` (absent for
// NS_ types, which are unsequenced) and `generation`, then encodes and signs.
// A retransmission (answer to NS_rexmit) is a Send of the stored message
// with its original seq and `retransmission` set: the I/O layer must not
// record it again in heartbeatd/state's SequenceStore (record_sent refuses
// a seq that is not above the last one, by design).
struct Send {
  wire::Message message;
  std::optional<std::uint64_t> seq;  // sequenced messages only
  std::uint64_t generation = 0;      // our `hg`
  std::optional<std::string> dest;   // the `dest` node, if the message has one
  bool retransmission = false;
  // Send the same datagram this many times, back to back (status messages:
  // heartbeatd/core/status_copies.h). Receivers count the extra copies as
  // duplicates (§5.8).
  int copies = 1;
};

// One log event, in heartbeat's words (§6.1) with journald fields
// VIGIL_NODE, VIGIL_LINK and VIGIL_EVENT (a stable id such as "node-dead").
struct Log {
  log::Priority priority = log::Priority::kInfo;
  std::string text;
  log::Fields fields;
};

// Membership changes another module (the v1 resource negotiation, the
// control socket, event scripts) acts on. Emitted in the order they happen,
// interleaved with the Log actions that describe them.
enum class EventKind {
  kNodeUp,                      // a peer was heard for the first time, or again after `dead`
  kNodeDead,                    // a peer timed out (§6.1) — the mach_down trigger
  kStatusChanged,               // a peer advertised a new `st` (detail = the new status)
  kLinkUp,                      // (node, link) carried a valid packet again
  kLinkDead,                    // (node, link) timed out
  kCommUp,                      // §6.2: every configured node heard from or declared dead
  kLocalStatus,                 // our own status changed (detail = "up" / "active")
  kPeerRestarted,               // status with a newer generation (§5.8)
  kPeerReturnedAfterPartition,  // same generation from a node we marked dead (§5.8, §6.8)
};

struct MembershipEvent {
  EventKind kind = EventKind::kNodeUp;
  std::string node;    // empty for kCommUp / kLocalStatus
  std::string link;    // kLinkUp / kLinkDead only
  std::string detail;  // kStatusChanged / kLocalStatus: the status word
};

// A valid, in-order message the core does not handle itself (`starting`,
// `resource`, `ask_resources`, `ip-request`, `shutdone`, ...), for the
// resource module. Only messages that passed the whole receive pipeline
// (§5.7: known sender, KEEP verdict, dest empty or us) are delivered.
struct Deliver {
  std::string from;  // the sender's configured node name
  messages::ClusterMessage message;
};

// Probe ping node `node` (§8.1): one ICMP echo request to each of its
// addresses, carrying `message` (NS_st st=ping info=<medium>) as the I/O
// layer completes it: `src` = the ping node, `ts`, then the signature. Our
// own echo reply brings it back as the ping node's status. One goes out
// with every status we send, as heartbeat's ping medium does.
struct Probe {
  std::string node;
  wire::Message message;
};

using Action = std::variant<Send, Log, MembershipEvent, Deliver, Probe>;
using Actions = std::vector<Action>;

}  // namespace vigil::core
