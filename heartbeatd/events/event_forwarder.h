// Which of the core's actions are cluster events for the privileged side
// (heartbeat-compat.md §6.9; the closed set: common/proto/cluster_event.h),
// and with which message fields. Sans-IO: the caller hands each executed
// core action to on_action() and sends what comes back to resourced
// (helpers::ResourcedClient::event). No command, script or path is ever
// chosen here: resourced maps the event to what its own configuration
// directory holds.
//
//   core action                              event       fields
//   MembershipEvent kStatusChanged           status      t, src, st, OSTATUS (when known)
//   MembershipEvent kNodeDead                status      t, src, st=dead, OSTATUS,
//                                                        info=ping for a ping node
//                                                        (heartbeat's made-up message)
//   MembershipEvent kLinkUp / kLinkDead      ifstat      t, node, ifname, st=up|dead
//   Deliver ip-request (from another node)   ip-request  t, src, ipaddr
//   Deliver ip-request-resp                  ip-request-resp  t, src, dest, ipaddr, weown, ok
//   Deliver hb_takeover                      hb_takeover t, src, rsc_hold
//   Deliver stonith                          stonith     t, src, node, result
//
// heartbeat passed every string field of the message (HA_seq, HA_hg,
// HA_ts, HA_ld, HA_ttl, HA_auth ... too); vigil passes the fields a script
// acts on, as heartbeat named them. A field value that is not printable
// ASCII or too long (cluster_event.h) is left out, never cut or changed.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/proto/cluster_event.h"
#include "conf/config.h"
#include "heartbeatd/core/actions.h"

namespace vigil::events {

struct ForwardedEvent {
  proto::ClusterEvent event = proto::ClusterEvent::kStatus;
  std::vector<proto::EventField> fields;
  bool operator==(const ForwardedEvent&) const = default;
};

class EventForwarder {
 public:
  explicit EventForwarder(const conf::Config& config);

  // The event `action` is, if any. Call it for every action, in order: a
  // status change's OSTATUS is the status the previous action left.
  std::optional<ForwardedEvent> on_action(const core::Action& action);

 private:
  std::optional<ForwardedEvent> on_membership(const core::MembershipEvent& e);
  std::optional<ForwardedEvent> on_deliver(const core::Deliver& d);

  std::string local_node_;
  std::set<std::string> ping_nodes_;
  std::map<std::string, std::string> status_;  // last st per node
};

}  // namespace vigil::events
