// Whole nodes on the simulated network: each node is heartbeatd's real
// engine (heartbeatd/engine) plus fake helpers that hold VIPs and
// resources. The helpers' I/O is simulated (answers after a seed-drawn
// delay, lost when a helper dies, re-sent when it comes back, as
// heartbeatd's clients re-send), their rules are the real ones: the lease
// is proto::LeaseClock with proto::default_lease, and a connection is
// accepted by proto::permit_hello (hash and lease bounds). Datagrams go
// through the real codec and signatures (wire::encode_netstring,
// wire::decode, wire::verify), as ClusterNode sends and receives them.
//
// Faults: heartbeatd alone crashes (and restarts, continuing its generation
// when back within the continuation window, as heartbeatd/state does), a
// helper crashes (its VIPs and processes stay, it releases when its lease
// runs out unheard), the whole node crashes (nothing survives), graceful
// stops, standby/takeover commands, partitions and heals, loss, delay,
// reordering.
//
// Invariants, checked after every step (violations() names time and seed):
//  A. Lease: a node whose heartbeatd has been gone longer than the lease
//     (plus the time its helper needs to run the release, zero here) holds
//     nothing.
//  B. One holder: at most one node holds each group's VIP, except while
//     the nodes cannot hear each other (a partition, or a heartbeatd that
//     cannot reach the peer because the peer's heartbeatd is down is NOT
//     an exception: its helpers release within the lease, before deadtime)
//     and for `heal_window()` after such a split ends: the healed-partition
//     exchange (§6.8) then hands back the groups, which takes a deadtime to
//     notice plus the walk.
//  C. Never start a group another node's helpers may still hold by lease:
//     a start (VIP add) on node i while node j holds that VIP is a
//     violation unless B's partition window is open.
//  D. After settle(): every node up, no partition, quiet for long enough,
//     each group held exactly once (VIP and resource on the same node); by
//     its home node when auto_failback is on and the home is up, unless an
//     operator's standby/takeover moved it (then: exactly once).
//     Maintenance (WholeParams::health, maintenance(); the rule is
//     heartbeatd/ownership/maintenance.cpp) is the stated exception: while
//     a node has it on, a group whose holder died is not taken over, so D
//     asks "at most once" then (still never twice).
//  E. After settle(): no node is still in a standby exchange.
//
// The isolated node (WholeParams::ping_node, heartbeatd/engine/isolation.h):
// a node cut from its peer AND the router releases every group at
// deadtime, as its peer takes them over: two holders only while the two
// walks overlap, not for the whole split, and none after the heal
// (tested, sampled: whole_nodes_test.cpp). Its stated exception, to "no group
// lost" (checked after settle() as D): while every node is isolated
// (partitioned and each cut from the router), the groups are held by
// nobody; D holds again once the router or the peer answers.
//
// corosync underneath (WholeParams::corosync, vigil.cf `membership
// corosync`, heartbeatd/ownership/quorum.cpp): membership is not the
// engines' own timeouts but what corosync reports. The simulated corosync
// runs on every powered node; after a change of its ring (a partition, a
// heal, a node's power) it reports to the heartbeatds of each side after
// `corosync_delay` (token + consensus), and after a heartbeatd joins or
// leaves the group at once (CPG, a few ms): a MembershipChange naming the
// heartbeatds of that side, the powered nodes of that side (the ring), and
// quorum = the ring holds a majority of all nodes (votequorum, one vote
// each). Its properties, checked at every step:
//  Q1. A node told it has no quorum starts no group (no VIP add, no
//      resource start goes to its helpers) until told it has it again.
//  Q2. A node told it has no quorum holds nothing `quorum_release_bound()`
//      after it was told (its helper runs the stops of every group one
//      after another, behind at most the starts already queued).
//  B/C are tightened: a partition puts a group on two nodes only from the
//  report until the minority's release bound, never for the whole split,
//  and never after the heal (the minority holds nothing when it rejoins).
// The stated exception to D, checked like D's: while no side has a
// majority (one node down and the other two split), nobody holds anything.
// A partition may have any number of sides (split()); a ring change is
// reported corosync_delay after it, and while one is pending CPG delivers
// nothing, so a heartbeatd's join or leave then is news only with the new
// ring (a power loss is a ring change, never a CPG leave). Links inside a
// side that an earlier split cut come back with the report.
//
// A storm: more than 20 000 tasks pending at once (helper calls, answers,
// reports) is a violation, so a message or call loop ends with its trace
// instead of running for hours (seed 9800002 before its fix).
//
// Fencing (WholeParams::fencing, §6.4): every node has a STONITH device
// that reaches every other node out of band (a partition does not stop
// it); a fence is the target's power loss (crash_node), then the answer.
// With fencing there is no split exception at all: B and C hold during a
// partition and after it, since no group may start while the dead node
// may still hold it ("never two holders" is what fencing buys).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <vector>

#include "common/proto/lease.h"
#include "conf/config.h"
#include "heartbeatd/core/rng.h"
#include "heartbeatd/engine/engine.h"
#include "tests/sim/sim_network.h"

namespace vigil::sim {

struct WholeParams {
  int nodes = 2;
  conf::AutoFailback policy = conf::AutoFailback::kOn;
  Duration keepalive = std::chrono::milliseconds(100);
  Duration deadtime = std::chrono::milliseconds(1000);
  Duration helper_delay_max = std::chrono::milliseconds(30);
  FaultModel faults;
  bool fencing = false;  // a stonith_host line on every node (see above)
  bool health = false;   // vigil.cf health_check on (maintenance needs it)
  // Every node pings one router (`ping 10.0.0.254`, deadping = deadtime),
  // which answers unless cut_router() cut that node from it (see above).
  bool ping_node = false;
  // Membership and quorum from a simulated corosync (see above).
  bool corosync = false;
  Duration corosync_delay = std::chrono::milliseconds(300);
};

class WholeCluster {
 public:
  WholeCluster(const WholeParams& params, std::uint64_t seed);
  ~WholeCluster();

  MonoTime now() const { return now_; }
  int size() const { return static_cast<int>(nodes_.size()); }
  core::Rng& rng() { return rng_; }
  Network& network() { return network_; }

  void start_all();
  void crash_heartbeatd(int i);  // kill -9 of heartbeatd alone
  void start_heartbeatd(int i);  // heartbeatd comes back (helpers as they are)
  void crash_helper(int i);      // kill -9 of ipd and resourced
  void start_helper(int i);
  void crash_node(int i);  // power loss: nothing survives
  void start_node(int i);
  void stop(int i);                                 // graceful (§6.7): runs until ShutdownComplete
  void command(int i, const engine::Input& input);  // Standby / Takeover
  void maintenance(int i, bool on);                 // vigilctl maintenance on|off (every group)
  void partition(const std::vector<int>& side);     // two-way, every link
  void split(const std::vector<int>& side_of);      // side_of[i]: node i's side (any number)
  void cut_router(int i, bool cut);                 // node i <-> the ping node
  void heal();

  bool heartbeatd_up(int i) const;
  bool helper_up(int i) const;
  bool ready(int i) const;
  // What corosync last told node i's heartbeatd (corosync mode).
  bool told_quorate(int i) const;
  // The nodes whose helpers hold group g's VIP now.
  std::vector<int> holders(int group) const;

  void run_for(Duration d);
  // Heals, brings every node up, and runs quiet; then checks D.
  void settle(const std::string& what);

  const std::vector<std::string>& violations() const { return violations_; }
  std::string report() const;
  std::uint64_t steps() const { return steps_; }

 private:
  struct Node;
  struct Task {
    MonoTime at;
    std::uint64_t order;
    std::function<void()> run;
    bool operator>(const Task& o) const { return at != o.at ? at > o.at : order > o.order; }
  };

  void schedule(Duration after, std::function<void()> run);
  void execute(int i, engine::Actions actions);
  void helper_call(int i, const engine::HelperCall& call);
  void serve(int i, const engine::HelperCall& call, std::uint64_t incarnation);
  void fence_call(int i, const engine::FenceCall& call);
  void serve_fence(int i, const engine::FenceCall& call, std::uint64_t incarnation);
  template <class Call>
  void answer_later(int i, std::uint64_t helper_run, const Call& call,
                    std::map<std::uint32_t, Call> Node::*waiting,
                    std::function<std::optional<engine::HelperReply>()> work);
  void connect(int i);
  void deliver(const Datagram& d);
  void check(const std::string& when);
  void violation(const std::string& text);
  void trace(int i, const std::string& text);
  Duration lease() const;
  Duration heal_window() const;
  Duration quorum_release_bound() const;
  void corosync_changed(Duration after, bool ring);
  void follow_sides();
  void corosync_report();
  bool same_side(int i, int j) const;
  Duration helper_delay();
  bool split_window_open() const;

  WholeParams params_;
  std::uint64_t seed_;
  core::Rng rng_;
  Network network_;
  conf::AuthKeys keys_;
  std::vector<std::unique_ptr<Node>> nodes_;
  MonoTime now_;
  std::priority_queue<Task, std::vector<Task>, std::greater<>> tasks_;
  std::uint64_t order_ = 0;
  bool partitioned_ = false;
  std::set<int> router_cut_;
  std::vector<int> side_of_;               // each node's side of the partition (0: healed)
  int ring_changes_pending_ = 0;           // corosync: reports of ring changes still to come
  std::optional<MonoTime> ring_reported_;  // the last report of a ring change
  std::optional<MonoTime> split_ended_;
  bool operator_moved_ = false;
  std::vector<std::string> violations_;
  std::deque<std::string> trace_;
  std::uint64_t steps_ = 0;

 public:
  int fences() const { return fences_; }  // resets carried out
  // Starts of a group away from its home node before any operator's
  // command (the successor rule's choices): of a group whose home is node3
  // or later, and on a node before the home in ha.cf's order (the rule
  // wrapped around the end of the list).
  struct AwayStarts {
    int far_home = 0;
    int wrapped = 0;
  };
  const AwayStarts& away_starts() const { return away_; }

 private:
  int fences_ = 0;
  AwayStarts away_;
};

}  // namespace vigil::sim
