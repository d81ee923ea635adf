// The membership core of heartbeatd: node and link liveness, our own status
// messages, the sequence/generation replay filter and retransmission — sans
// IO (architecture.md "How data flows through heartbeatd"). Time, packets,
// commands and randomness come in as arguments; decisions go out as Actions.
// No clock, socket, file, process, global RNG or log call happens in here.
//
// Behaviour reproduced (heartbeat-compat.md):
//   §5.7  receive pipeline: unknown node → `bad node` and drop; seq filter;
//         link refresh; `dest` ≠ us dropped after sequence accounting;
//         dispatch by type. Only `status` refreshes node liveness.
//   §5.8  replay filter, gap tracking, NS_rexmit requests and answers,
//         500-message send history, restart and healed-partition detection.
//   §6.1  node/link states, timers (exact deadlines, no 250 ms polling: the
//         I/O layer arms one timer at next_deadline()), the exact log lines.
//   §6.2  comm up: every configured peer heard from or declared dead.
//   §8.1  ping nodes: probed with every status (Probe), up on our own
//         NS_st coming back on the ping node's link, dead after deadping
//         (initdead before comm up); they count for comm up.
//
// Decisions where heartbeat leaves room (each also commented in the .cpp):
//   * `protocol` (§5.8/§5.9): our status carries NO `protocol` field. Real
//     peers then switch flow control off for the whole cluster ("flow control
//     disabled due to different version heartbeat"), expect no NS_ackmsg from
//     us, and skip their reqnodes/repnodes step — verified interoperable
//     [LAB]. A peer that started before hearing us may still send
//     `reqnodes`; we answer it with a full `repnodes` so it never waits.
//     Incoming NS_ackmsg are ignored (we never free history on acks; it is a
//     fixed 500-message ring).
//   * `dt` (§5.10): like heartbeat, we advertise deadtime + 2000 ms for the
//     first 5 s after start, then deadtime, so peers give a starting node the
//     same slack heartbeat nodes get.
//   * Statuses: the first one says `st=init`, later ones our local status;
//     local status is `up` from start() and `active` at comm up, each change
//     sent at once. A status goes out every keepalive.
//   * Liveness: a peer is dead when no status newer than every earlier one
//     arrived for its interval: initdead before comm up, afterwards the `dt`
//     it advertised (our deadtime until it advertised one). A retransmitted
//     (gap-filling) status is old news and refreshes neither liveness nor
//     the advertised status.
//   * Links: any sequenced message kept by the filter refreshes its link; a
//     duplicate refreshes it only if that link had not carried that seq yet.
//     Unsequenced NS_ messages never refresh anything (they carry no seq, so
//     a captured one could be replayed at will).
//   * NS_rexmit with an `hg` older than the requester's known generation, and
//     NS_nak_rexmit whose `hg` is not the current one, are ignored (replays).
//   * `attempted replay attack` is logged at most once a minute per peer;
//     every such drop is counted.
//   * Healed partition: the five CRIT/WARN/info lines, `Link up`, `Late
//     heartbeat ... (> deadtime)`, `node <n>: is dead` as heartbeat prints
//     them, then the status update; the event kPeerReturnedAfterPartition
//     tells the resource module to give up resources and restart (§6.8).
//   * Our own packets coming back (broadcast loopback) refresh only our own
//     links, and only for our current generation.
//   * Known limit, as in heartbeat: a node that has not heard a peer since
//     it started adopts the first generation it sees from that peer, so a
//     replay of an old-generation packet reaching a freshly started node
//     first is believed until the peer's next genuine status, which then
//     reads as a restart (`Heartbeat restart on node`). Persisting peers'
//     generations would close this; heartbeat does not.
//
// Seams for the resource module (v1 starting/resource/standby/mach_down):
// it consumes MembershipEvents and Deliver actions, and sends its own
// sequenced messages through send(), which numbers them and keeps them for
// retransmission.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "conf/config.h"
#include "conf/ping_nodes.h"
#include "heartbeatd/core/actions.h"
#include "heartbeatd/core/node_table.h"
#include "heartbeatd/core/rng.h"
#include "heartbeatd/core/send_history.h"
#include "heartbeatd/core/snapshot.h"
#include "heartbeatd/messages/cluster_messages.h"

namespace vigil::core {

struct CoreParams {
  std::uint64_t generation = 0;  // our `hg` for this run (heartbeatd/state)
  std::uint64_t first_seq = 1;   // seq of our first sequenced message (>= 1)
  std::uint64_t rng_seed = 0;    // seeds the retransmission-delay PRNG
  // The generation continued after a short restart of heartbeatd alone
  // (state/sequence_store.h): peers still count us active, so the first
  // status says `active` and local status starts there, rather than an
  // `init`/`up` detour that heartbeat peers would log and run rc.d/status
  // for. Comm up is still found as usual.
  bool resumed = false;
  // Membership comes from outside (vigil.cf `membership corosync`): a peer
  // dies when on_membership() says it left, never by a timeout, and its
  // links with it. Statuses still go out every keepalive (they carry `st`
  // for the resource negotiation), and a peer still comes up by its first
  // status (external_membership.cpp).
  bool external_membership = false;
  // External membership: a peer whose heartbeatd left the group while its
  // node stays in the ring (heartbeatd crashed or restarts; corosync runs)
  // is declared dead only this long after, and not at all if it is back
  // by then. Its helpers keep its groups for their lease; taking them over
  // sooner would give two holders. heartbeatd sets the lease here.
  Duration leave_grace{};
};

class Core {
 public:
  // How long heartbeat advertises the bumped `dt` after start (§5.10).
  static constexpr Duration kStartupDeadtimeBumpFor = std::chrono::seconds(5);
  static constexpr Duration kStartupDeadtimeBump = std::chrono::milliseconds(2000);
  // §5.8: NS_rexmit repeats while the packet is missing.
  static constexpr Duration kRexmitRepeat = std::chrono::milliseconds(250);
  static constexpr Duration kRexmitMinDelay = std::chrono::milliseconds(50);
  static constexpr std::uint64_t kMaxRexmitPerRequest = 50;
  static constexpr Duration kReplayLogInterval = std::chrono::seconds(60);

  // Copies what it needs from `config` (nodes, local node, timers).
  Core(const conf::Config& config, CoreParams params);

  // Call once, first: sends the first status (`st=init`), logs the local
  // status `up`, and comes up at once when no peer is configured.
  Actions start(MonoTime now);

  // One authenticated message, read by messages::decode, received on
  // medium `link` (the Medium interface name, e.g. "eth1"). Runs due timers first, so the
  // result never depends on whether the I/O layer ran on_tick before it.
  Actions on_message(const messages::ClusterMessage& message, std::string_view link, MonoTime now);

  // Runs everything due at `now`: status sends, node and link timeouts,
  // NS_rexmit requests. Call at next_deadline() (calling early is harmless).
  Actions on_tick(MonoTime now);

  // Sends a sequenced message for another module, to `dest` (empty: every
  // node). It gets the next seq and enters the history.
  Actions send(const messages::Body& body, std::string_view dest, MonoTime now);

  // The agreed membership of the external membership service (corosync's
  // CPG group: the configured names of the nodes whose heartbeatd is in
  // it, ourselves included). Only with CoreParams::external_membership;
  // ignored otherwise (external_membership.cpp).
  // `in_ring`: the nodes in corosync's ring (their corosync runs), whose
  // heartbeatd may be gone; empty: everyone outside `members` is gone.
  Actions on_membership(const std::vector<std::string>& members,
                        const std::vector<std::string>& in_ring, MonoTime now);

  // When on_tick must run next; nullopt before start().
  std::optional<MonoTime> next_deadline() const;

  Snapshot snapshot() const;
  // Cheap single-node queries (the simulator asks them at every step).
  // False for a name that is not configured.
  bool is_dead(std::string_view node) const;
  LocalStatus local_status() const { return local_status_; }
  bool comm_up() const { return comm_up_; }
  bool external_membership() const { return external_membership_; }
  std::uint64_t generation() const { return generation_; }

 private:
  // Receive pipeline stages (§5.7).
  void receive_sequenced(NodeState& node, const messages::ClusterMessage& m, std::string_view link,
                         MonoTime now, Actions& out);
  void receive_own(NodeState& self, const messages::Header& m, std::string_view link, MonoTime now,
                   Actions& out);
  void receive_unsequenced(NodeState& node, const messages::ClusterMessage& m, MonoTime now,
                           Actions& out);
  void handle_status(NodeState& node, const messages::Status& m, const SeqResult& r, bool returning,
                     MonoTime now, Actions& out);
  void handle_rexmit_request(NodeState& node, const messages::Header& h,
                             const messages::RexmitRequest& m, MonoTime now, Actions& out);
  void handle_nak(NodeState& node, const messages::Header& h, const messages::NakRexmit& m,
                  Actions& out);
  void receive_ping(NodeState& node, const messages::ClusterMessage& m, std::string_view link,
                    MonoTime now, Actions& out);
  bool is_ping_link(std::string_view link) const;
  void answer_reqnodes(NodeState& node, Actions& out);
  bool addressed_to_us(const messages::Header& m) const;

  // Link and node state changes, with their log lines and events.
  void refresh_link(NodeState& node, std::string_view link, std::uint64_t generation,
                    std::uint64_t seq, bool duplicate, MonoTime now, Actions& out);
  void mark_dead(NodeState& node, Actions& out);

  // Timers.
  void run_timers(MonoTime now, Actions& out);
  void check_node_timeouts(MonoTime now, Actions& out);
  void check_initdead_outside_group(MonoTime now, Actions& out);
  void check_leaving(MonoTime now, Actions& out);
  void check_link_timeouts(MonoTime now, Actions& out);
  void send_due_rexmit_requests(MonoTime now, Actions& out);
  void check_comm_up(MonoTime now, Actions& out);
  Duration dead_interval(const NodeState& node) const;

  // Sending.
  void send_status(MonoTime now, Actions& out);
  void send_probes(Actions& out);
  void send_sequenced(const messages::Body& body, std::string_view dest, Actions& out);
  void send_unsequenced(const messages::Body& body, const std::string& dest, Actions& out);
  void set_local_status(LocalStatus status, MonoTime now, Actions& out);
  Duration advertised_deadtime(MonoTime now) const;

  // Configuration.
  std::string local_node_;
  Duration keepalive_;
  Duration deadtime_;
  Duration warntime_;
  Duration initdead_;
  Duration deadping_;
  std::vector<conf::PingNode> ping_nodes_;
  Duration max_rexmit_delay_;
  int status_copies_ = 1;  // status_copies.h

  std::uint64_t generation_;
  std::uint64_t next_seq_;
  bool resumed_;
  bool external_membership_;
  Rng rng_;
  std::vector<std::string> members_;  // the last on_membership()
  Duration leave_grace_;
  std::map<std::string, MonoTime, std::less<>> leaving_;  // dead at this time unless back

  NodeTable nodes_;
  SendHistory history_;
  CoreCounters counters_;

  bool started_ = false;
  MonoTime start_time_{};
  LocalStatus local_status_ = LocalStatus::kInit;
  bool first_status_sent_ = false;
  bool comm_up_ = false;
  MonoTime next_status_at_{};
};

}  // namespace vigil::core
