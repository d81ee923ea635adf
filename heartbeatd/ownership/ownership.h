// heartbeat v1's resource ownership logic (haresources mode), sans IO:
// the initial acquisition of §6.3 for every `auto_failback` policy, mach_down
// (§6.4), the standby protocol and auto_failback (§6.6), graceful shutdown
// (§6.7), the healed partition (§6.8), rscstatus (§7.2) and hb_standby /
// hb_takeover (§7.3). Membership comes in as core::MembershipEvent and
// core::Deliver; resource results, commands and time come in as arguments;
// decisions go out as Actions. No clock, socket, file, process, global RNG
// or log call happens in here. All sections cited are heartbeat-compat.md.
//
// Inputs (who calls what):
//   on_action()          every MembershipEvent / Deliver of the core
//                        (engine::ResourceEngine; on_event / on_deliver direct).
//   on_resource_result() the translated ipd/resourced answer to a
//                        ResourceRequest this module emitted.
//   on_tick()            at next_deadline() (calling early is harmless).
//   standby()/takeover() vigilctl, hb_standby, hb_takeover.
//   shutdown()           SIGTERM; `pid` is printed as heartbeat does.
// Outputs: SendMessage → numbered by the core; Log → the shell's one log
//   writer; ResourceRequest → ipd/resourced; ShutdownComplete → heartbeatd
//   may exit (heartbeatd/engine/README.md).
//
// Our own messages. heartbeat processes its own broadcasts when they come
// back ("from the peer or from ourselves", §6.3/§6.6). vigil's core does not
// deliver our own messages back (core_receive.cpp receive_own only refreshes
// links), so this module applies the local copy itself, synchronously, right
// after emitting the SendMessage: own `resource` (info=mach_down →
// `mach_down takeover complete.`, STARTING → RSCRCVD), own `ask_resources`
// (me / done), own `shutdone`. Deterministic, and independent of whether a
// medium loops broadcasts back.
//
// Decisions where heartbeat leaves room (each also commented in the .cpp):
//   * vigil peers. Our `starting` and `resource` messages carry the extra
//     field `vigil=1`; heartbeat passes unknown fields through and ignores
//     them. When every live peer has announced `vigil` and none of them
//     reports holding our local groups, RSCRCVD does not wait RQSTDELAY
//     (10 s): both sides take their own groups at once, which is what the
//     delay would have led to anyway. A lone node (every peer dead) does not
//     wait either: there is no peer to become stable.
//   * The takeover's first ResourceRequest is emitted in the call that
//     handles kNodeDead / `shutdone` when the walker is idle (group_walker.h:
//     walks run one at a time).
//   * hb_takeover: on receipt, a peer runs standby with the mirrored class
//     (all→all, local→foreign, foreign→local). heartbeat's script has no
//     mapping for `failback` (→ all, §11); vigil implements the intent:
//     `takeover failback` = "give me back my home groups" = takeover local,
//     so the peer stands by its foreign class. The sender sends
//     `rsc_hold=local` on the wire for failback, so a heartbeat peer does
//     the same thing.
//   * Start failure fallback (§3.4, §11): the intent, not the quirk — 30 s
//     after a failed start, standby of the failed group's class (local if
//     the group is ours, foreign otherwise). heartbeat always standbys
//     `foreign`, which gives away the wrong groups.
//   * Healed partition (§6.8): heartbeat gives up everything and restarts on
//     every node, stopping every service of the cluster. vigil keeps the
//     heartbeat log line (`Dead node X gave up resources.`, the core prints
//     the rest) but only hands back what the partition moved: each node
//     releases the foreign groups it took over from the returning node (the
//     home node wins), then both re-announce what they hold. Both nodes
//     apply the same rule without coordination, so the result is the same
//     whichever side notices first; a heartbeat peer restarts itself as
//     usual and we answer its `shutdone`/`starting` as always.
//   * STONITH: vigil drives no STONITH device. When heartbeat would reset the
//     dead node, vigil logs `No STONITH device configured.` / `Shared disks
//     are not protected.` (and an ERROR once if ha.cf has stonith lines) and
//     takes over anyway, as heartbeat does without a device.
//   * Legacy alone at comm up (HA_DONTASK): the group is taken directly; no
//     ip-request-resp to ourselves goes on the wire (it is dest=us anyway).
//   * Standby timeouts: ME 10 s (`No reply to standby request.  Standby
//     request cancelled.`); OTHER and DONE 1 h with the same line. The taking
//     side sends its stable `resource` before its `done`, which gives the log
//     order heartbeat users see on both nodes (`remote resource transition
//     completed.` before `Other node completed standby takeover ...`).
//   * Standby taking does not set the needs-failback flag; only mach_down
//     and shutdone takeovers do (an admin's standby is not undone by
//     auto_failback).
//   * A takeover claims the foreign class and arms auto_failback only if
//     the dead node has groups. heartbeat does both on every takeover, so a
//     home node that came up alone says rsc_hold=all and, when the peer
//     joins, runs a standby [foreign] exchange that moves nothing (seen with
//     two real heartbeat nodes); vigil says rsc_hold=local and the joining
//     peer, heartbeat or vigil, takes its own groups the ordinary way.
//   * A lone start walks our groups once: the takeover's req_our_resources
//     only queues what becoming STABLE has not queued already (heartbeat
//     logs one `Acquiring resource group` there too).
//   * Legacy ip-request: only a group's home node may pull it (heartbeat's
//     rc.d/ip-request hands any group to whoever asks).
//   * Audit lines (§6.3) are checked only in a quiet moment: both sides
//     stable, no standby, no walk — never during a legitimate transition.
//   * `stonith` messages (result=unneeded / n_stnth) are sent as heartbeat
//     does after each STONITH decision.
//   * A shutdown before comm up proceeds at once (nothing is held then);
//     during a walk it waits for the walks to finish (§6.7 step 1).
//   * More than two nodes (corosync): heartbeat's class words cannot say
//     whose groups a third node holds, so vigil's reports also name them
//     (`vigil_held`), and taking, keeping and giving back are decided per
//     group; auto_failback hands each group to its own home node, without
//     the two-party standby exchange (exact_holdings.cpp, lease.cpp).
//   * Maintenance (vigilctl maintenance, issue 16): frozen groups stay where
//     they run; vigil moves none of them on its own, not even for a dead
//     peer. The rule and its exceptions are in maintenance.cpp.
//   * `Initial resource acquisition complete (<reason>)` is logged once, when
//     both our groups and the peer's side are settled; reasons used:
//     T_RESOURCES(us) (RQSTDELAY / vigil fast path), T_RESOURCES(them)
//     (a stable peer's report), mach_down, auto_failback, req_our_resources.
//
// Restart continuity: OwnershipParams::held_at_start (per group, file order:
// running here or not, as ipd's ListVips and resourced's status report it at
// heartbeatd start) with `resumed` (heartbeatd continues its generation)
// makes the module start as a STABLE owner: no `starting` at comm up,
// nothing acquired or released, the peer assumed stable (it was, or it will
// say otherwise with `starting`/`resource`), and nothing is sent at all: a
// restart within the lease must be invisible to peers. A group counts as
// held if any of its resources runs, so that a later release stops whatever
// runs. Held foreign groups set the needs-failback flag under auto_failback
// on.
//
// Leftovers: groups found running in a new generation (every vigil process
// of the node was killed and came back after the peers declared it dead, so
// they may hold the groups now). heartbeat's init script refuses to start
// then (`verifyallidle`, §3.6, §7.1); vigil logs the same CRITICAL line per
// group and start() releases those groups right to left before anything is
// negotiated, so the node joins as holding nothing and the address is never
// kept by two nodes. The ordinary exchange (§6.3, §6.6) then decides who
// serves.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "conf/config.h"
#include "conf/fence_devices.h"
#include "heartbeatd/core/actions.h"
#include "heartbeatd/ownership/actions.h"
#include "heartbeatd/ownership/group_walker.h"
#include "heartbeatd/ownership/resource_class.h"
#include "heartbeatd/ownership/snapshot.h"

namespace vigil::ownership {

struct OwnershipParams {
  // Per group in file order: running on this node now. Set only when the
  // helpers report something running at heartbeatd start.
  std::optional<std::vector<bool>> held_at_start;
  // heartbeatd continues the previous process's generation (a restart the
  // peers did not see): only then is what runs kept; otherwise it is a
  // leftover, released by start().
  bool resumed = false;
  // Quorum at construction (quorum.cpp): true unless membership comes from
  // corosync and its quorum API has not said yes (vigil.cf `membership`).
  bool quorate = true;
  // corosync's agreed membership at construction (see set_members).
  std::vector<std::string> members;
  // The nodes in corosync's ring then, and the helpers' lease (lease.cpp).
  std::vector<std::string> in_ring;
  Duration leave_grace{};
};

class Ownership {
 public:
  static constexpr Duration kRequestDelay = std::chrono::seconds(10);         // RQSTDELAY, §6.3
  static constexpr Duration kStandbyReplyTimeout = std::chrono::seconds(10);  // ME, §6.6
  static constexpr Duration kStandbyOtherTimeout = std::chrono::hours(1);     // OTHER/DONE
  static constexpr Duration kFailbackRetry = std::chrono::seconds(1);         // §6.3
  static constexpr Duration kStartFailureStandbyDelay = std::chrono::seconds(30);  // §3.4
  static constexpr Duration kStonithRetry = std::chrono::seconds(5);               // §6.4

  Ownership(const conf::Config& config, OwnershipParams params = {});

  // Call once, right after construction, before any other input: releases
  // the leftover groups (see the header comment). Empty otherwise.
  Actions start(MonoTime now);

  // A MembershipEvent or Deliver from the core; other actions are ignored.
  Actions on_action(const core::Action& action, MonoTime now);
  Actions on_event(const core::MembershipEvent& event, MonoTime now);
  Actions on_deliver(const core::Deliver& deliver, MonoTime now);
  Actions on_resource_result(std::uint32_t request_id, ResourceOutcome outcome, MonoTime now);
  Actions on_tick(MonoTime now);
  // The answer to a FenceRequest: `reset` true when the node was reset.
  Actions on_fence_result(std::uint32_t request_id, bool reset, MonoTime now);
  // Nodes whose groups wait for a reset (fencing.cpp).
  bool fencing(const std::string& node) const { return fences_.count(node) != 0; }

  // hb_standby [all|foreign|local|failback] (failback = foreign).
  Actions standby(ClassBits cls, MonoTime now);
  // hb_takeover [all|foreign|local|failback]; `failback` true sends
  // rsc_hold=local (see the header comment).
  Actions takeover(ClassBits cls, bool failback, MonoTime now);
  // Graceful shutdown (§6.7). `pid` goes into the log line.
  Actions shutdown(long pid, MonoTime now);
  // The isolated node (heartbeatd/engine/isolation.h, isolation.cpp):
  // release_isolated() stops every group here and holds nothing;
  // end_isolation() takes every group back when this node can reach a
  // ping node again while the peer is still dead.
  Actions release_isolated(MonoTime now);
  Actions end_isolation(MonoTime now);
  // Our `resource` report again (stable, no info), only when we are
  // stable: what a heartbeat peer's ipfail waits for after deferring its
  // give-up (heartbeatd/engine/ipfail.h). Empty otherwise.
  Actions report_stable();
  // The cluster's quorum changed (quorum.cpp). `members` names the nodes
  // of the current membership (ourselves included): a dead peer outside it
  // is gone for the quorate partition and its groups move on quorum gain.
  Actions on_quorum(bool quorate, const std::vector<std::string>& members, MonoTime now);
  // corosync's agreed membership, given before its deaths and quorum
  // (engine.cpp): a member is alive for the successor rule even before its
  // status arrives (successor.cpp). `in_ring`: the nodes whose corosync
  // runs; a dead peer back in the ring without its heartbeatd may still
  // serve through its helpers' lease (lease.cpp).
  void set_members(std::vector<std::string> members, const std::vector<std::string>& in_ring,
                   MonoTime now);
  bool quorate() const { return quorate_; }

  std::optional<MonoTime> next_deadline() const;
  Snapshot snapshot() const;
  RscStatus rscstatus() const;
  ResourceState state() const { return state_; }
  StandbyState standby_state() const { return standby_; }
  ClassBits i_hold() const { return i_hold_; }
  const GroupWalker& walker() const { return walker_; }

  // Resource health (heartbeatd/engine/health_monitor.h). The class of
  // group `group` from this node's point of view.
  ClassBits group_class(std::size_t group) const { return class_of(group); }
  // A peer is alive and stable: a standby request can be answered.
  bool peer_can_take() const { return peer_stable_alive(); }
  // Classes (our point of view) this node gave up for failing resources:
  // a peer's standby request that would give them back is not answered
  // (logged), so its request times out and it keeps them (§6.6). A peer's
  // death still hands them over (takeover.cpp): no group is lost.
  // With more than two nodes a class no longer declined (vigilctl cleanup)
  // is no longer declined to the peers either (standby_groups.cpp).
  Actions set_declined(ClassBits cls);
  // Maintenance (maintenance.cpp): per group in file order, whether it is
  // frozen. Unfreezing takes over what a dead peer left waiting.
  Actions set_frozen(const std::vector<bool>& frozen, MonoTime now);
  // A dead peer's groups not taken over because they were frozen, file
  // order, each with the node that held it.
  std::vector<std::pair<std::size_t, std::string>> held_back() const;
  // The classes that have a frozen group (ipfail gives none of them up).
  ClassBits frozen_classes() const;

 private:
  struct Peer {
    bool alive = false;
    bool heard = false;           // any status since we started
    bool vigil = false;           // sent `vigil` in starting/resource
    bool sent_resources = false;  // any `resource` since it (re)started
    ClassBits holds = kNone;      // its last report, its point of view
    bool shutdone = false;        // sent `shutdone` since it (re)started
    bool taken_over = false;      // we already ran the takeover for it
    // Its groups that already ran here when it died: not the death's to
    // give back when it returns from a partition (§6.8, takeover.cpp).
    std::vector<std::size_t> held_before_death;
    // A `resource` report arrived while we counted it dead: sent after it
    // came back from a partition, so still true when we notice the return.
    bool reported_while_dead = false;
    bool reported_stable = false;
    // Per group in file order, what its last report says it holds; empty:
    // nothing (exact_holdings.cpp).
    std::vector<bool> groups;
    std::vector<bool> away;  // groups it declines (standby_groups.cpp)
    bool stable = false;     // its last report that said so said stable
    bool held_mismatch_logged = false;
  };

  // Events.
  void comm_up(MonoTime now, Actions& out);
  void node_up(const std::string& node, Actions& out);
  void node_dead(const std::string& node, MonoTime now, Actions& out);
  void partition_healed(const std::string& node, Actions& out);

  // Messages (startup.cpp, standby.cpp, takeover.cpp).
  void on_starting(const std::string& from, const messages::Starting& m, Actions& out);
  void on_resource(const std::string& from, const messages::Resource& m, MonoTime now,
                   Actions& out);
  void on_own_resource(const messages::Resource& m, MonoTime now, Actions& out);
  void on_ask_resources(const std::string& from, const messages::AskResources& m, MonoTime now,
                        Actions& out);
  void on_hb_takeover(const std::string& from, const messages::HbTakeover& m, MonoTime now,
                      Actions& out);
  void on_ip_request(const std::string& from, const messages::IpRequest& m, Actions& out);
  void on_ip_request_resp(const messages::Header& h, const messages::IpRequestResp& m,
                          Actions& out);
  void on_shutdone(const std::string& from, MonoTime now, Actions& out);

  // Initial acquisition (startup.cpp).
  void send_starting(Actions& out);
  // `answer`: a reply to a peer's `vigil_ask`, which asks nothing back
  // (exact_holdings.cpp).
  void send_resources(bool stable, std::string_view info, Actions& out, bool answer = false);
  void rscrcvd(MonoTime now, Actions& out);
  void check_request_delay(MonoTime now, Actions& out);
  void become_stable(bool by_remote, MonoTime now, Actions& out);
  void acquire_local(Purpose purpose, MonoTime now, Actions& out);
  void initial_done(bool local, bool foreign, std::string_view reason, Actions& out);
  void legacy_comm_up(Actions& out);
  void audit(MonoTime now, Actions& out);
  void give_back_to_homes(Actions& out);

  // Maintenance (maintenance.cpp).
  bool frozen(std::size_t group) const;
  // Removes the frozen groups not running here from `groups` (a takeover
  // of dead `node`), remembers and logs them.
  void hold_back_frozen(std::vector<std::size_t>& groups, const std::string& node, Actions& out);

  // Standby (standby.cpp).
  const char* standby_refusal() const;
  void start_standby(ClassBits cls, MonoTime now, Actions& out);
  void send_ask(ClassBits cls, std::string_view info, Actions& out);
  void handle_standby_msg(const std::string& from, bool own, ClassBits cls, std::string_view info,
                          MonoTime now, Actions& out);
  void cancel_standby(Actions& out);
  void check_auto_failback(MonoTime now, Actions& out);

  // Takeover, shutdown (takeover.cpp); fencing (fencing.cpp).
  // false: the takeover waits for a fence (on_fence_result takes over).
  bool stonith_decision(const std::string& node, Actions& out);
  void request_fence(const std::string& node, Actions& out);
  void cancel_fence(const std::string& node, Actions& out);
  void retry_fences(MonoTime now, Actions& out);
  void takeover_from(const std::string& node, bool after_shutdone, MonoTime now, Actions& out);
  void begin_shutdown(Actions& out);
  void job_done(const JobDone& done, MonoTime now, Actions& out);
  void isolation_done(const Job& job, Actions& out);
  // A peer back from the dead, reset to `p`: what it reported while we
  // counted it dead came from its new life and stays (takeover.cpp).
  void keep_report_while_dead(const Peer& before, Peer& p);
  // After a release of foreign groups: i_hold_ keeps `foreign` only while
  // one still runs here.
  void forget_foreign_if_none_runs();
  void run(Job job, MonoTime now, Actions& out);

  // Quorum (quorum.cpp), the successor rule (successor.cpp).
  void lose_quorum(Actions& out);
  // Group g runs, is starting or failed to stop here: a quorum loss stops it.
  bool held_here(std::size_t g) const;
  bool holds_anything() const;  // held_here() for some group
  void gain_quorum(const std::vector<std::string>& members, MonoTime now, Actions& out);
  // Dead peers whose helpers may still hold groups (lease.cpp).
  bool in_lease(const std::string& node) const { return lease_until_.count(node) != 0; }
  void end_leases(MonoTime now, Actions& out);
  bool alive(const std::string& node) const;
  std::string successor_of(const std::string& home) const;
  std::vector<std::size_t> groups_to_take_from(const std::string& dead) const;

  // Exact holdings with more than two nodes (exact_holdings.cpp).
  std::string held_bitmap() const;  // `vigil_held` of our reports
  ClassBits class_of_bitmap(const std::string& held) const;
  void note_held(const std::string& from, const messages::Resource& m, ClassBits holds,
                 Actions& out);
  std::vector<std::string> peers_holding(std::size_t g) const;  // live peers
  bool peer_holds(std::size_t g) const;
  // Of `holders` of group g, the one that keeps it.
  std::string keeper_of(std::size_t g, const std::vector<std::string>& holders) const;
  // Every live peer reported, and its last report was stable.
  bool peers_settled() const;
  void audit_groups(MonoTime now, Actions& out);
  void fail_back_groups(MonoTime now, Actions& out);
  // Our report again if what we hold changed since the last one.
  void announce_held(Actions& out);
  // Our report to a peer that came up, back or restarted.
  void tell_returned_peer(Actions& out);
  // Our report, asking for theirs, when live peers' reports are missing
  // (once per set of them).
  void ask_missing_reports(Actions& out);
  std::vector<std::string> missing_reports() const;  // peers not every_peer_reported()
  // A report older than one already applied from the same run of `from`
  // (a retransmission of a lost packet arrives late); remembers the newest.
  bool stale_report(const std::string& from, const messages::Header& h);

  // hb_standby / hb_takeover with more than two nodes (standby_groups.cpp).
  bool declines(const std::string& node, std::size_t g) const;
  // Who serves group g when nobody holds it: its home node, then the node
  // order after it, the first alive that does not decline it.
  std::string target_of(std::size_t g) const;
  std::string away_bitmap() const;  // `vigil_away` of our reports
  void standby_groups(ClassBits cls, MonoTime now, Actions& out);
  void take_home_groups_back(MonoTime now, Actions& out);
  void give_back_on_request(const std::string& from, MonoTime now, Actions& out);

  // Helpers.
  std::vector<std::size_t> groups_of(ClassBits cls) const;  // file order
  std::vector<std::size_t> groups_of_node(const std::string& node) const;
  bool has_groups(ClassBits cls) const { return !groups_of(cls).empty(); }
  ClassBits class_of(std::size_t group) const;
  Peer* peer(const std::string& name);
  bool any_peer_alive() const;
  // Every live peer said what it holds since it (re)started: only then does
  // peers_hold_ours() answer for the whole cluster (startup.cpp). With more
  // than two nodes, also every awaited one.
  bool every_peer_reported() const;
  // Not alive here, but its report is waited for (ownership.cpp).
  bool awaited(const std::string& node) const;
  bool peer_stable_alive() const;
  ClassBits peers_hold_ours() const;  // our point of view: classes the live peers hold
  void log(Actions& out, log::Priority p, std::string text, const char* event,
           const std::string& node = {}) const;
  // A SendMessage to `dest` (empty: every node).
  static void send(Actions& out, messages::Body body, std::string dest = {});

  const conf::Config& config_;
  conf::AutoFailback policy_;
  std::string local_node_;
  GroupWalker walker_;
  std::map<std::string, Peer, std::less<>> peers_;

  ResourceState state_ = ResourceState::kInit;
  bool comm_up_ = false;
  bool restarted_ = false;              // held_at_start given and resumed
  std::vector<std::size_t> leftovers_;  // held_at_start in a new generation
  ClassBits i_hold_ = kNone;
  bool other_is_stable_ = false;
  // What we and the live peers held when the audit last re-reported
  // (startup.cpp): the same picture is not re-reported again.
  std::vector<std::pair<std::string, ClassBits>> rereported_for_;
  std::optional<MonoTime> rscrcvd_at_;
  bool initial_local_ = false;
  bool initial_foreign_ = false;
  bool initial_logged_ = false;
  bool needs_failback_ = false;
  std::optional<MonoTime> next_failback_try_;
  std::vector<std::string> deaths_before_comm_up_;

  StandbyState standby_ = StandbyState::kNot;
  bool standby_taker_ = false;  // we take (OTHER side), not give (ME side)
  ClassBits standby_class_ = kNone;
  std::string standby_peer_;  // the other party of the running standby
  MonoTime standby_deadline_{};
  std::optional<std::pair<MonoTime, ClassBits>> failure_standby_;  // §3.4 fallback

  ClassBits declined_ = kNone;
  std::vector<bool> frozen_;                      // per group; empty: none
  std::map<std::size_t, std::string> held_back_;  // group -> its dead holder

  bool shutdown_requested_ = false;
  long shutdown_pid_ = 0;
  // A dead node waiting for its reset: the pending request (0 while
  // waiting to retry) and when to ask again after a failure.
  struct Fence {
    std::uint32_t request_id = 0;
    std::optional<MonoTime> retry_at;
  };
  // Peer -> what fences it first (ha.cf's device or vigil.cf's
  // fence_agent, conf/fence_devices.h); a peer missing here is not fenced.
  std::map<std::string, std::string, std::less<>> fence_method_;
  std::map<std::string, Fence, std::less<>> fences_;
  std::uint32_t next_fence_id_ = 1;
  bool quorate_ = true;
  std::vector<std::string> members_;  // set_members (empty: heartbeat's membership)
  std::vector<std::string> ring_;     // set_members: corosync's ring
  Duration leave_grace_{};
  std::map<std::string, MonoTime, std::less<>> lease_until_;
  // More than two nodes: reports carry exact holdings (exact_holdings.cpp).
  bool per_group_ = false;
  std::string last_held_sent_;          // the `vigil_held` of our last report
  std::vector<bool> away_;              // groups we decline after hb_standby (empty: none)
  std::vector<std::string> asked_for_;  // the missing reports we last asked for
  // Per peer: generation and seq of the newest report applied.
  std::map<std::string, std::pair<std::optional<std::uint64_t>, std::uint64_t>, std::less<>>
      newest_report_;
};

}  // namespace vigil::ownership
