// The heartbeatd <-> ipd vocabulary: the only messages that cross this
// privilege boundary. One struct per message; encode/decode are paired and
// decode checks exact lengths and every enum and range, so a malformed
// frame is an error value (and ipd closes that connection).
//
//   heartbeatd -> ipd   Hello, Lease, AddVip, RemoveVip, ListVips, AnnounceVip
//   ipd -> heartbeatd   Result (answers AddVip/RemoveVip/AnnounceVip), VipList
//                       (answers ListVips), Event (unsolicited)
//
// Naming rules and the lease: helper_common.h.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "common/ipc/frame.h"
#include "common/proto/helper_common.h"
#include "common/result.h"

namespace vigil::proto::ipd {

enum class Type : std::uint16_t {
  kHello = 1,
  kLease = 2,
  kAddVip = 3,
  kRemoveVip = 4,
  kListVips = 5,
  kResult = 6,
  kVipList = 7,
  kEvent = 8,
  // 9-10 are reserved (ping nodes, issue 13).
  kAnnounceVip = 11,
  // 12 is reserved for a second re-announcement message (issue 14).
};

inline constexpr std::size_t kMaxInterfaceName = 15;  // IFNAMSIZ - 1
inline constexpr std::size_t kMaxListEntries = 1024;

// Add the IP entry at `place` (idempotent: already present succeeds and is
// announced again with gratuitous ARP / unsolicited NA).
struct AddVip {
  std::uint32_t request_id = 0;
  std::string config_hash;
  ResourcePlace place;
  bool operator==(const AddVip&) const = default;
};

// Remove the IP entry at `place` (idempotent: absent succeeds).
struct RemoveVip {
  std::uint32_t request_id = 0;
  std::string config_hash;
  ResourcePlace place;
  bool operator==(const RemoveVip&) const = default;
};

// Which configured IP entries are present in the kernel now. heartbeatd
// asks at start to learn what this node holds.
struct ListVips {
  std::uint32_t request_id = 0;
  bool operator==(const ListVips&) const = default;
};

enum class Outcome : std::uint8_t { kOk = 0, kFailed = 1, kRefused = 2 };

struct Result {
  std::uint32_t request_id = 0;
  Outcome outcome = Outcome::kOk;
  std::string detail;  // why it failed or was refused; empty on success
  bool operator==(const Result&) const = default;
};

struct VipState {
  ResourcePlace place;
  bool present = false;
  bool operator==(const VipState&) const = default;
};

struct VipList {
  std::uint32_t request_id = 0;
  std::vector<VipState> vips;  // every IP entry of the configuration
  bool operator==(const VipList&) const = default;
};

enum class EventKind : std::uint8_t {
  kVipLost = 1,   // an address of ours was removed by someone else
  kLinkDown = 2,  // an interface carrying a VIP or a medium went down
  kLinkUp = 3,
};

struct Event {
  EventKind kind = EventKind::kVipLost;
  ResourcePlace place;    // kVipLost only (zero otherwise)
  std::string interface;  // the interface concerned
  bool operator==(const Event&) const = default;
};

// How much to announce (heartbeat-compat.md §6.8, §9 item 4): a closed
// choice, never a count or an address; ipd reads the numbers from its own
// copy of the configuration.
enum class AnnounceKind : std::uint8_t {
  // The agent's whole schedule, as after an add (IPaddr 10 rounds at
  // 500 ms, IPaddr2 5 at 200 ms, IPv6addr 5 NAs): the holder that stays
  // after a healed partition takes the clients back from the other node.
  kAgain = 1,
  // vigil.cf's garp_refresh_repeat rounds: the periodic refresh for
  // switches and clients that forget (keepalived's garp_master_refresh).
  kRefresh = 2,
};

// Announce the IP entry at `place` again (gratuitous ARP / unsolicited NA)
// if it is configured here; never adds it. Answered with Result: kFailed
// when it is not configured or its interface cannot send.
struct AnnounceVip {
  std::uint32_t request_id = 0;
  std::string config_hash;
  ResourcePlace place;
  AnnounceKind kind = AnnounceKind::kAgain;
  bool operator==(const AnnounceVip&) const = default;
};

using Message =
    std::variant<Hello, Lease, AddVip, RemoveVip, ListVips, Result, VipList, Event, AnnounceVip>;

// The whole frame (header + payload) for one message.
vigil::Result<ipc::Bytes> encode(const Message& message);
// Checks the type, every field's range and the exact payload length.
vigil::Result<Message> decode(const ipc::Frame& frame);

}  // namespace vigil::proto::ipd
