// heartbeat's ipfail, built into the engine (heartbeat-compat.md §8.2):
// the two nodes compare how many ping nodes (§8.1) each can reach, and the
// one that sees fewer hands its groups to the other through the standby
// protocol (§6.6). Sans IO, part of the resource engine (resource_engine.h),
// which feeds it the core's membership and deliveries and carries out its
// give-up as ownership::Ownership::standby().
//
// On when ha.cf has `respawn USER <any path>/heartbeat/ipfail` (the line a
// heartbeat peer reading the same ha.cf runs its own ipfail for) or
// vigil.cf has `ipfail on`. Like heartbeat's ipfail, it stays off, saying
// why, when there is nothing to move (`No managed resources`), under
// `auto_failback legacy`, and when ha.cf does not name exactly two nodes.
//
// The algorithm (§8.2), from comm up on:
//   trigger   a ping node comes up or dies, a link to the peer dies, the
//             peer's ipfail joins (hbapi-clstat st=join from_id=ipfail),
//             or the peer became stable after we deferred a give-up: we
//             send `num_ping_nodes num_ping=<ours>` to the peer.
//   compare   on the peer's num_ping_nodes: we see more → `you_are_dead`
//             to it; fewer → we give up all; equal → `abort_giveup` to it
//             and, under auto_failback on with our resources stable, give
//             up the foreign groups we hold (the home node has its ping
//             nodes back, so its groups go home).
//   give up   delayed by 2 × keepalive, so that a count that evens out
//             meanwhile (the peer's `abort_giveup`) cancels it; at the
//             deadline, if our resources are in transition, wait for the
//             peer's next stable `resource`, then 10 s, then ask again.
// Messages to the peer carry `dest=<peer>` (heartbeat's sendnodemsg); the
// standby request itself is the ownership module's broadcast.
//
// Where vigil differs, on purpose:
//   * the auto_failback give-up of the equal case runs only when we hold
//     foreign groups. heartbeat's ipfail asks on both nodes whenever the
//     counts are equal, so the node holding nothing foreign starts a
//     standby exchange that moves nothing and can refuse the real one as
//     "in flux" (§6.6).
//   * equal counts cancel our own pending give-up as well as the peer's.
//     When both nodes lose the same ping node, each notices at its own
//     deadping: the first to ask is told `you_are_dead` by the other, whose
//     count has not dropped yet; the other's own question a moment later
//     then finds the counts equal. heartbeat's ipfail only cancels the
//     peer's, so the first node gives its groups away for an outage both
//     share; "both lose the router: nothing moves" is what ipfail is for.
//   * after telling the peer `you_are_dead` we expect its standby request
//     (`ask_resources info=me`) within its give-up delay. heartbeat's
//     ipfail defers that give-up when its own heartbeat says `transition`,
//     which it does while the status-event script for the very ping node
//     death that started the exchange still runs (hb_resource.c counts
//     notify_world's `harc status` as a resource-management child). It
//     then waits for a stable `resource` report from us without `info=`
//     (see below), which a heartbeat peer sends only after a transition of
//     its own: with nothing moving, the group stays on the node that lost
//     its ping nodes (seen with a real heartbeat 3.0.6 peer, about one run
//     in two at keepalive 100 ms). So when no request came by 2 x keepalive
//     + kPeerGiveupGrace and we are stable, we send that report once; the
//     peer's ipfail counts again 10 s later and is told `you_are_dead`
//     again, which arms the same check.
//   * under auto_failback on, when the peer answers our count `balanced`
//     (its abort_giveup) while it holds groups whose home is this node and
//     no standby request follows by 2 x keepalive + kPeerGiveupGrace, we
//     ask again (kFailbackAsks times per ping node change). heartbeat's
//     ipfail gives the foreign groups home only if its heartbeat is stable
//     when it compares, and never looks again: a router back while the peer
//     was still taking our groups over left them there for good (seen with
//     a real heartbeat 3.0.6 peer). Asking again at once when it turns
//     stable is no cure: its ipfail, woken from its 10 s sleep, reads two
//     queued counts in a row and the second cancels the give-up the first
//     scheduled ("Aborted delayed giveup").
//   * like heartbeat's ipfail, a stable `resource` report that carries
//     `info=` (heartbeat's req_our_resources() report) does not end the
//     wait for stability; only the plain one does.
//   * the delay is printed with its fraction (`Delayed giveup in 0.2
//     seconds.`): heartbeat prints whole seconds, 0 for sub-second
//     keepalives.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "common/clock.h"
#include "conf/config.h"
#include "heartbeatd/core/actions.h"
#include "heartbeatd/engine/vocabulary.h"
#include "heartbeatd/ownership/actions.h"
#include "heartbeatd/ownership/resource_class.h"

namespace vigil::engine {

// Hand `cls` (our point of view) to the peer: hb_standby <cls>.
struct IpfailGiveUp {
  ownership::ClassBits cls = ownership::kAll;
};
// Send our `resource` report (stable, no info) if our resources are
// stable: the peer's deferred give-up waits for one (see above).
struct IpfailReportStable {};
using IpfailAction = std::variant<ownership::SendMessage, Log, IpfailGiveUp, IpfailReportStable>;
using IpfailActions = std::vector<IpfailAction>;

// ha.cf's respawn line or vigil.cf's `ipfail on` asks for it.
bool ipfail_requested(const conf::Config& config);

class Ipfail {
 public:
  // After the peer turns stable, before asking again (§8.2: ipfail sleeps
  // 10 s there).
  static constexpr Duration kNotStableRetry = std::chrono::seconds(10);
  // After the peer's give-up delay, how long its standby request may take
  // to reach us (its ipfail polls the API once a second) before we count
  // its give-up as deferred.
  static constexpr Duration kPeerGiveupGrace = std::chrono::seconds(2);
  // How often we ask again for our groups after balanced counts, per ping
  // node change (a peer that keeps them for its own reasons is not asked
  // forever).
  static constexpr int kFailbackAsks = 3;

  explicit Ipfail(const conf::Config& config);

  // What the rest of the engine knows at the time of the call.
  struct View {
    bool resources_stable = false;                  // rscstatus is not `transition`
    ownership::ClassBits holds = ownership::kNone;  // what we hold, our point of view
  };

  // A core::MembershipEvent or core::Deliver; other actions are ignored.
  IpfailActions on_membership(const core::Action& action, const View& view, MonoTime now);
  IpfailActions on_tick(const View& view, MonoTime now);
  std::optional<MonoTime> next_deadline() const;

  bool enabled() const { return enabled_; }
  // Ping nodes in status `ping` now.
  int ping_count() const { return static_cast<int>(reachable_.size()); }
  bool giveup_pending() const { return giveup_at_.has_value(); }

 private:
  void comm_up(IpfailActions& out);
  void ping_node_status(const std::string& node, bool alive, IpfailActions& out);
  void on_message(const std::string& from, const messages::Body& body, const View& view,
                  MonoTime now, IpfailActions& out);
  void compare(std::uint64_t theirs, const View& view, MonoTime now, IpfailActions& out);
  void ask_ping_nodes(IpfailActions& out);
  void schedule_giveup(ownership::ClassBits cls, MonoTime now, IpfailActions& out);
  void abort_giveup(IpfailActions& out);
  void giveup(const View& view, IpfailActions& out);
  void expect_peer_standby(const View& view, MonoTime now, IpfailActions& out);
  void expect_failback(const View& view, MonoTime now, IpfailActions& out);
  void send(messages::Body body, IpfailActions& out) const;
  void log(IpfailActions& out, log::Priority p, std::string text, const char* event) const;
  bool is_ping_node(const std::string& node) const { return ping_nodes_.count(node) != 0; }

  bool requested_ = false;
  bool enabled_ = false;
  std::string off_reason_;  // why a requested ipfail stays off
  bool auto_failback_on_ = false;
  std::string peer_;
  Duration delay_{};
  std::set<std::string, std::less<>> ping_nodes_;
  std::set<std::string, std::less<>> reachable_;
  bool running_ = false;  // comm is up: ipfail has "signed on"

  std::optional<MonoTime> giveup_at_;
  ownership::ClassBits giveup_class_ = ownership::kAll;
  std::uint32_t giveup_id_ = 0;  // the number `Aborted delayed giveup (<id>)` prints
  bool waiting_for_stable_ = false;
  std::optional<MonoTime> ask_again_at_;
  // We told the peer `you_are_dead`: its standby request is due by then.
  std::optional<MonoTime> peer_standby_due_;
  bool has_local_groups_ = false;  // some group's home is this node
  // The peer answered `balanced` while holding our groups: its standby
  // request giving them home is due by then (expect_failback).
  std::optional<MonoTime> failback_due_;
  int failback_asks_left_ = kFailbackAsks;  // per ping node change
};

}  // namespace vigil::engine
