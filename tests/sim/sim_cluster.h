// A cluster of real vigil::core::Core instances over the simulated
// network, on one virtual clock, all driven by one seed. Every datagram is
// encoded, signed, decoded and verified by the real wire codec
// (heartbeatd/wire). After every step the invariants below are checked;
// a violation is recorded with the virtual time and the recent log lines.
//
// Invariants:
//  1. No early death: a node is declared dead only when the last fresh
//     status it got from the peer (newer than every earlier one, §5.8) is
//     older than the interval the core must use — the peer's advertised
//     `dt` after comm up, initdead before (§6.1).
//  2. No late death: a node that no fresh status reached for that interval
//     is declared dead by then. The core arms exact deadlines, and the
//     simulator steps to each one, so the bound has no tick slack: at most
//     dt (≤ deadtime + 2000 ms during a peer's first 5 s, §5.10) after the
//     last status delivered, i.e. within dt + the network delay of a crash.
//  3. A replayed packet (a genuine one the receiver already accounted for)
//     or a forged one (bit flips, wrong key) changes no membership state:
//     snapshots before and after compare equal (counters excepted); a forged
//     packet never passes verification unless it decodes to the very same
//     fields.
//  4. (checked by scenarios) after a partition heals, every pair of running
//     nodes sees each other alive, on every link, within deadtime.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "conf/config.h"
#include "heartbeatd/core/core.h"
#include "heartbeatd/core/rng.h"
#include "tests/sim/sim_network.h"

namespace vigil::sim {

struct SimParams {
  int nodes = 3;
  int links = 2;
  Duration keepalive = std::chrono::milliseconds(100);
  Duration deadtime = std::chrono::milliseconds(1000);
  Duration warntime = std::chrono::milliseconds(500);
  Duration initdead = std::chrono::milliseconds(2000);
  FaultModel faults;
  double classic_share = 0.2;  // nodes sending the classic encoding
  int status_copies = 0;       // vigil.cf status_copies (0 = auto)
};

enum class RestartMode {
  kContinueGeneration,  // heartbeatd/state continued: same hg, next seq
  kNewGeneration,       // generation file bumped: hg + 1, seq 1
  kStateLost,           // no state: a fresh, larger, clock-like generation
};

class Cluster {
 public:
  Cluster(const SimParams& params, std::uint64_t seed);
  ~Cluster();

  MonoTime now() const { return now_; }
  int size() const { return static_cast<int>(nodes_.size()); }
  int links() const { return params_.links; }
  core::Rng& rng() { return rng_; }
  Network& network() { return network_; }

  // Starts node i now (it must be down).
  void start(int i);
  // Starts every node with a random stagger in [0, spread].
  void start_all(Duration spread);
  void crash(int i);
  void restart(int i, RestartMode mode);
  bool running(int i) const;

  // Runs the cluster up to `until`, checking invariants 1–2 at each step.
  void run_until(MonoTime until);
  void run_for(Duration d) { run_until(now_ + d); }

  // The adversary (invariant 3). Each returns false if it had nothing to use.
  bool inject_replay(int to);
  bool inject_forgery(int to);

  // Invariant 4: every running pair alive and all links up, now.
  void check_converged(const std::string& what);
  // Every running node has `node` dead (or the node is down).
  bool all_see_dead(int node) const;

  core::Snapshot snapshot(int i) const;
  const std::vector<std::string>& violations() const { return violations_; }
  std::string report() const;  // violations + recent log lines

  std::uint64_t datagrams() const { return network_.sent(); }
  // Peers declared dead (kNodeDead), by every node, since construction.
  std::uint64_t deaths() const { return deaths_; }
  std::uint64_t replays_injected() const { return replays_; }
  std::uint64_t forgeries_injected() const { return forgeries_; }

 private:
  struct Mirror;  // what the receiver must believe about one peer
  struct Node;
  struct Capture {
    int link = 0;
    std::string bytes;
    int incarnation = 0;
  };

  void execute(int i, core::Actions actions, bool comm_before);
  void transmit(int i, const core::Send& send);
  void deliver(const Datagram& d);
  void tick_due();
  void check_late_deaths();
  void check_early_death(int a, const std::string& peer, bool comm_before);
  void violation(const std::string& text);
  void trace(int i, const std::string& text);
  int index_of(const std::string& name) const;

  SimParams params_;
  std::uint64_t seed_;
  core::Rng rng_;
  Network network_;
  conf::AuthKeys keys_;
  conf::AuthKey wrong_key_;
  std::vector<std::unique_ptr<Node>> nodes_;
  MonoTime now_;
  std::vector<std::string> violations_;
  std::deque<std::string> trace_;
  std::uint64_t replays_ = 0;
  std::uint64_t forgeries_ = 0;
  std::uint64_t deaths_ = 0;
};

}  // namespace vigil::sim
