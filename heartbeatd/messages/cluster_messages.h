// Every heartbeat v1 cluster message vigil sends or reads, one struct per
// type (heartbeat-compat.md §5.6, §6, §7). Doc: cluster_messages.md.
//
// A verified wire::Message (heartbeatd/wire/verify.h) is decoded once, by
// decode(), into a Header (the control fields the receive pipeline reads)
// and a Body (the type's own fields). Above this header nobody reads a
// field by name. Outgoing messages are built as a Body and turned into
// fields by encode(), in the order heartbeat writes them; the control
// fields (wire/control_fields.h) and the signature follow.
//
// decode() never fails: a missing or malformed field becomes an absent
// value the receiver can tell apart, and a type vigil does not know
// becomes Unknown, which the core passes on without acting on it, as
// heartbeat hands unknown types to its API clients and no one else (§5.7).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "heartbeatd/wire/message.h"

namespace vigil::messages {

// `t` values (§5.6).
inline constexpr std::string_view kStatusType = "status";
inline constexpr std::string_view kStartingType = "starting";
inline constexpr std::string_view kResourceType = "resource";
inline constexpr std::string_view kAskResourcesType = "ask_resources";
inline constexpr std::string_view kHbTakeoverType = "hb_takeover";
inline constexpr std::string_view kIpRequestType = "ip-request";
inline constexpr std::string_view kIpRequestRespType = "ip-request-resp";
inline constexpr std::string_view kShutdoneType = "shutdone";
inline constexpr std::string_view kStonithType = "stonith";
inline constexpr std::string_view kReqNodesType = "reqnodes";
inline constexpr std::string_view kRepNodesType = "repnodes";
inline constexpr std::string_view kRexmitType = "NS_rexmit";
inline constexpr std::string_view kNakRexmitType = "NS_nak_rexmit";
inline constexpr std::string_view kAckMsgType = "NS_ackmsg";
inline constexpr std::string_view kPingStatusType = "NS_st";
// vigil's own (issue 14): DRBD's fence-peer exchange between two vigil
// nodes. Always sent with `dest`, so a heartbeat peer drops them (§5.7).
inline constexpr std::string_view kOutdatePeerType = "vigil-outdate-peer";
inline constexpr std::string_view kOutdatePeerReplyType = "vigil-outdate-peer-reply";
// ipfail's peer-to-peer messages and the API client status it listens to
// (§5.6, §8.2).
inline constexpr std::string_view kNumPingNodesType = "num_ping_nodes";
inline constexpr std::string_view kYouAreDeadType = "you_are_dead";
inline constexpr std::string_view kAbortGiveupType = "abort_giveup";
inline constexpr std::string_view kApiClientStatusType = "hbapi-clstat";

// The control fields the receive pipeline reads (§5.4, §5.7).
struct Header {
  std::string type;                  // `t`; empty when missing
  std::optional<std::string> src;    // sender's node name
  std::optional<std::uint64_t> seq;  // hex; absent when missing or malformed
  // `hg`, hex. heartbeat 1.x sent none (has_generation false); a present
  // but malformed value leaves generation empty with has_generation true.
  bool has_generation = false;
  std::optional<std::uint64_t> generation;
  std::optional<std::string> dest;  // the one node it is for, if any

  // NS_ messages carry no seq and are never retransmitted (§5.6).
  bool unsequenced() const { return type.starts_with("NS_"); }
};

// status: the heartbeat itself (§5.3, §5.6).
struct Status {
  // `st`, heartbeat's status word (up, active, dead, ...); absent when
  // missing or not shaped like one (letters, digits, '_' and '-', ≤ 32
  // bytes), since it is echoed into logs and vigilctl output.
  std::optional<std::string> st;
  // `dt`, the sender's deadtime in ms (hex); absent when missing, 0,
  // malformed or beyond 32 bits, as heartbeat ignores such values.
  std::optional<std::uint64_t> deadtime_ms;
  // `protocol` (decimal): a heartbeat that does flow control says 1 in its
  // first statuses; vigil does none and never sends it (core/core.h).
  std::optional<std::uint64_t> protocol;
};

// starting: a node whose comm came up asks for resource reports (§6.2).
struct Starting {
  bool vigil = false;  // `vigil=1`: the sender is vigil (ownership.h)
};

// resource: what the sender holds (§6.2, §6.4 step 5).
struct Resource {
  std::string rsc_hold;          // class word (ownership/resource_class.h)
  bool full = false;             // `rtype=full`: replaces, else ORs in
  std::optional<bool> isstable;  // absent: says nothing about stability
  std::string info;              // "mach_down" for the takeover report
  bool vigil = false;
  // vigil with more than two nodes (`vigil_held`): per haresources group in
  // file order, '1' held by the sender, '0' not. The class word cannot say
  // whose groups a third node holds (heartbeatd/ownership/exact_holdings.cpp).
  std::string held;
  // vigil with more than two nodes (`vigil_away`): per group, '1' when the
  // sender declines it after hb_standby (ownership/standby_groups.cpp).
  std::string away;
  // vigil with more than two nodes (`vigil_ask`): the sender lacks a live
  // peer's report; every vigil receiver answers with its own, without ask.
  bool ask = false;
};

// ask_resources: one step of the standby protocol (§7.3).
struct AskResources {
  std::string rsc_hold;
  std::string info;  // "me", "other", "done", ...
};

// hb_takeover: the peer's operator asked for groups (§7.3); heartbeat
// reads a missing rsc_hold as "all".
struct HbTakeover {
  std::string rsc_hold = "all";
};

// ip-request / ip-request-resp: legacy (auto_failback legacy) pull of one
// group by its haresources key (§6.3).
struct IpRequest {
  std::string ipaddr;
};
struct IpRequestResp {
  std::string ipaddr;
  bool weown = false;  // "yes": the sender released it just now
  bool ok = false;     // "OK"
};

// shutdone: the sender released everything and stops (§6.5).
struct Shutdone {
  std::string st;  // "dead"
};

// stonith: the reset decision about a dead node (§6.4).
struct Stonith {
  std::string node;
  std::string result;  // "unneeded" or "n_stnth"
};

// reqnodes / repnodes: a flow-control peer's node list query (§6.2).
struct ReqNodes {};
struct RepNodes {
  std::string nodelist;     // names, each followed by a space
  std::string delnodelist;  // " " when none
};

// NS_rexmit: please resend firstseq..lastseq (decimal, §5.8).
struct RexmitRequest {
  std::optional<std::uint64_t> firstseq;
  std::optional<std::uint64_t> lastseq;
};

// NS_nak_rexmit: that seq is gone for good (firstseq hex, §5.8).
struct NakRexmit {
  std::optional<std::uint64_t> firstseq;
  std::string info;  // "seqno too low" / "seqno not found"
};

// NS_ackmsg: flow-control acknowledgement; vigil sends none and frees
// nothing on one (core/core.h).
struct AckMsg {
  std::optional<std::uint64_t> ackseq;  // hex
};

// NS_st: a ping node's status, the signed payload of our own ICMP echo
// request coming back in the reply (§8.1). `src` is the ping node's name.
struct PingStatus {
  std::optional<std::string> st;  // "ping"; same shape check as Status::st
  std::string info;               // the medium: "ping", "ping6" or "ping_group"
};

// vigil-outdate-peer: "outdate your copy of DRBD resource `drbd`" (the
// sender's fence-peer handler asked, heartbeatd/engine/peer_outdate.h).
// `xid` pairs the reply; absent when missing or malformed.
struct OutdatePeer {
  std::optional<std::uint64_t> xid;  // hex
  std::string drbd;                  // the DRBD resource name
};

// vigil-outdate-peer-reply: what came of it, one word (peer_outdate.h):
// "outdated", "inconsistent", "primary", "failed" or "unknown-resource".
struct OutdatePeerReply {
  std::optional<std::uint64_t> xid;
  std::string drbd;
  std::string result;
};

// num_ping_nodes: ipfail tells the other node how many ping nodes it sees
// and asks for the comparison (§8.2). `num_ping` is decimal; absent when
// missing or malformed.
struct NumPingNodes {
  std::optional<std::uint64_t> num_ping;
};
// you_are_dead: "I see more ping nodes than you": the receiver gives up
// all its groups after ipfail's delay (§8.2).
struct YouAreDead {};
// abort_giveup: the counts are equal: cancel a pending delayed give-up.
struct AbortGiveup {};
// hbapi-clstat: an API client of the sender joined or left (`st` join /
// leave, `from_id` the client's name); ipfail asks for the counts when the
// other node's ipfail joins (§5.6, §8.2).
struct ApiClientStatus {
  std::string st;
  std::string from_id;
};

// Any other type (API clients' messages, ...): kept by name only.
struct Unknown {};

using Body = std::variant<Status, Starting, Resource, AskResources, HbTakeover, IpRequest,
                          IpRequestResp, Shutdone, Stonith, ReqNodes, RepNodes, RexmitRequest,
                          NakRexmit, AckMsg, PingStatus, OutdatePeer, OutdatePeerReply,
                          NumPingNodes, YouAreDead, AbortGiveup, ApiClientStatus, Unknown>;

struct ClusterMessage {
  Header header;
  Body body;
};

// Reads a verified message once. Never fails (see the top of this file).
ClusterMessage decode(const wire::Message& verified);

// The `t` of a body; Unknown has none and yields "".
std::string_view type_of(const Body& body);

// The fields of a message vigil sends, before the control fields: `t`,
// `dest` when not empty, then the type's fields in heartbeat's order.
// Unknown is never sent; it encodes to an empty message.
wire::Message encode(const Body& body, std::string_view dest = {});

}  // namespace vigil::messages
