// Test rigs for the ownership module: a seed-tutorial configuration,
// instant fake helpers (ipd/resourced), a single-module rig driven by plain
// calls, and a two-node cluster of real node::ClusterNodes wired back to
// back in memory, each with its own Ownership module.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/log.h"
#include "heartbeatd/engine/vocabulary.h"
#include "heartbeatd/node/cluster_node.h"
#include "heartbeatd/ownership/ownership.h"

namespace vigil::ownership::test {

using namespace std::chrono_literals;

// The seed tutorial: nodes node1/node2, `node1 192.168.1.5 httpd`, plus
// optional extra haresources lines "node res res ...".
conf::Config seed_config(const std::string& local, conf::AutoFailback policy,
                         const std::vector<std::string>& extra_lines = {},
                         bool with_seed_group = true);

// Answers every request at once and remembers what runs.
struct FakeHelpers {
  std::set<std::pair<int, int>> running;
  std::set<std::pair<int, int>> fail_start;
  std::vector<ResourceRequest> seen;
  std::vector<std::pair<int, int>> announced;  // ipd AnnounceVip, in order
  std::vector<std::uint16_t> fenced;           // node indices asked to be reset
  bool fence_fails = false;
  std::vector<std::uint16_t> outdated;  // resource indices drbdadm outdate ran for
  int outdate_exit = 0;                 // what that drbdadm exits with
  ResourceOutcome answer(const ResourceRequest& r);
};

// One module, its actions recorded; resource requests answered instantly
// unless `hold_results` is set.
struct Rig {
  explicit Rig(conf::Config c, OwnershipParams params = {});
  // On the heap: the module keeps a reference to it, and a Rig may move.
  std::unique_ptr<conf::Config> config;
  Ownership own;
  FakeHelpers helpers;
  MonoTime now{1000s};
  bool hold_results = false;
  std::vector<ResourceRequest> held;  // unanswered (hold_results)
  std::vector<FenceRequest> fences;   // never answered by the rig: the test does
  std::vector<log::CapturedEvent> logs;
  std::vector<wire::Message> sent;
  bool shutdown_complete = false;

  void apply(Actions actions);
  void event(core::EventKind kind, const std::string& node = {});
  void deliver(const std::string& from, wire::Message m);
  void answer_held();  // answers every held request
  void tick(Duration d);
  // Brings the module to comm up with node2 alive and heard.
  void comm_up_with_peer(const std::string& peer = "node2");

  std::vector<std::string> texts() const;
  bool logged(std::string_view text) const;
  std::vector<wire::Message> sent_of(std::string_view type) const;
  void clear() {
    logs.clear();
    sent.clear();
    helpers.seen.clear();
  }
};

wire::Message msg(std::initializer_list<std::pair<std::string, std::string>> fields);

// True if `wanted` appear in `texts` in this order (others may interleave).
bool in_order(const std::vector<std::string>& texts, const std::vector<std::string>& wanted);

// Two vigil nodes on real ClusterNodes (codec, signatures, cores).
class Cluster {
 public:
  explicit Cluster(conf::AutoFailback policy, const std::vector<std::string>& extra_lines = {});
  // Cuts (true) or restores (false) every medium between the two nodes;
  // each still hears its own broadcasts.
  void partition(bool cut) { partitioned_ = cut; }
  ~Cluster();

  void start(int i);
  void kill(int i);      // kill -9 / reboot: stops at once, resources lost
  void shutdown(int i);  // graceful: runs until ShutdownComplete, then stops
  // A vigilctl command on node i, e.g. engine::Standby{kAll}.
  void command(int i, const engine::Input& input);
  void run_for(Duration d, Duration step = 50ms);
  bool up(int i) const { return sides_[i].node != nullptr; }
  const Ownership& own(int i) const;
  FakeHelpers& helpers(int i) { return sides_[i].helpers; }
  const std::vector<std::string>& log(int i) const { return sides_[i].log; }
  // What node i's engine answered DRBD's fence-peer handler (OutdatePeer).
  const std::vector<engine::OutdateAnswer>& outdate_answers(int i) const {
    return sides_[i].outdate_answers;
  }
  void clear_logs() {
    sides_[0].log.clear();
    sides_[1].log.clear();
  }
  MonoTime now() const { return now_; }

 private:
  struct Wire;
  struct Port;
  struct Side {
    conf::Config config;
    std::unique_ptr<Wire> wire;
    std::unique_ptr<node::ClusterNode> node;
    std::unique_ptr<Port> port;
    FakeHelpers helpers;
    std::vector<std::string> log;
    std::vector<engine::OutdateAnswer> outdate_answers;
    std::uint64_t generation = 0;
    bool exiting = false;
  };

  template <class F>
  void as(int i, F&& f);
  void drain(int i);
  void pump();

  Side sides_[2];
  MonoTime now_{1000s};
  bool partitioned_ = false;
  log::ScopedCapture capture_;
};

}  // namespace vigil::ownership::test
