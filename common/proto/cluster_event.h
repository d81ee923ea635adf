// The cluster events the privileged side may act on (heartbeat-compat.md
// §6.9): a CLOSED set, so that heartbeatd can name an event but never a
// script, a program or a path. resourced maps each event to what it found
// itself — <config dir>/rc.d/<name> and the notify hook of vigil.cf — and
// heartbeatd only says which event happened and with which message fields.
//
//   event            heartbeat's trigger (§6.9)              fields sent
//   status      1    a peer's `st` changed, or it was        t, src, st, OSTATUS
//                    declared dead (st=dead; info=ping for   (+ info for a ping node)
//                    a ping node)
//   ifstat      2    a link (node, interface) went up/dead   t, node, ifname, st
//   ip-request  3    a peer asks to release a group          t, src, ipaddr
//   ip-request-resp 4  the answer to one                     t, src, dest, ipaddr, weown, ok
//   hb_takeover 5    a peer ran hb_takeover                  t, src, rsc_hold
//   stonith     6    a STONITH outcome report                t, src, node, result
//
// Numbers are wire values: a number is never reused. Other message types
// (ipfail's, API clients') are not dispatched: heartbeat ran rc.d/<type>
// for any type it did not know, which would let the sender pick the
// script's name.
//
// Fields become HA_<name>=<value> in the environment of the script and
// the hook, and nothing else. Their bounds (event_field_violation) keep
// them data: a name of [A-Za-z0-9_] (so HA_<name> is one plain variable
// name), a value of printable ASCII without control characters (no
// newline can fake a second line of a log or of the hook's input), both
// of bounded length, a bounded count. A value is never part of argv, a
// path or a command line; it reaches a script the way heartbeat passed
// it, as an environment variable the script may quote or not.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::proto {

enum class ClusterEvent : std::uint16_t {
  kStatus = 1,
  kIfstat = 2,
  kIpRequest = 3,
  kIpRequestResp = 4,
  kHbTakeover = 5,
  kStonith = 6,
};

inline constexpr std::uint16_t kFirstClusterEvent = 1;
inline constexpr std::uint16_t kLastClusterEvent = 6;

// Every event, in wire order.
std::vector<ClusterEvent> all_cluster_events();

// The message type heartbeat runs rc.d/<name> for: "status", "ifstat", ...
std::string_view event_name(ClusterEvent event);

// The event a wire number names, if any.
std::optional<ClusterEvent> cluster_event_from(std::uint16_t number);

struct EventField {
  std::string name;   // without the HA_ prefix: "src", "st", "OSTATUS"
  std::string value;  // as the message carried it
  bool operator==(const EventField&) const = default;
};

inline constexpr std::size_t kMaxEventFields = 16;
inline constexpr std::size_t kMaxEventFieldName = 32;
inline constexpr std::size_t kMaxEventFieldValue = 256;

// Empty if `field` may be passed on; otherwise why not.
std::string event_field_violation(const EventField& field);

// Empty if the whole list may be passed on (count, each field, no name twice).
std::string event_fields_violation(const std::vector<EventField>& fields);

}  // namespace vigil::proto
