// Whole nodes (heartbeatd's engine + fake helpers with the real lease and
// permit rules) through seed-drawn fault schedules; invariants A–D of
// node_sim.h checked at every step and after a final heal and quiet time.
//
//   VIGIL_SIM_SEED=1234 ./test_sim "whole*"       one seed, with its trace
//   VIGIL_WHOLE_SEEDS=20000 ./test_sim "whole*"   more seeds
//   VIGIL_SIM_TRACE=1 VIGIL_SIM_SEED=1234 ...     the last trace lines of a passing seed
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "tests/sim/node_sim.h"
#include "tests/sim/seeds.h"

using namespace vigil;
using namespace vigil::sim;
using namespace std::chrono_literals;

namespace {

constexpr std::uint64_t kDefaultSeeds = 300;
// The corosync family's seeds are longer (3–5 nodes, eight rounds).
constexpr std::uint64_t kCorosyncSeeds = 200;

Duration ms(std::uint64_t n) { return std::chrono::milliseconds(n); }

// Low loss only: the invariants assume a node is declared dead only when
// it is (partitions are the stated exception); the membership simulator
// covers heavy loss.
WholeParams params_for(std::uint64_t seed) {
  core::Rng rng(seed ^ 0x5eedULL);
  WholeParams p;
  p.policy = rng.chance(0.5) ? conf::AutoFailback::kOn : conf::AutoFailback::kOff;
  p.keepalive = ms(rng.uniform(100, 200));
  p.faults.loss = static_cast<double>(rng.uniform(0, 5)) / 100.0;
  p.faults.duplicate = static_cast<double>(rng.uniform(0, 10)) / 100.0;
  p.faults.delay_max = Duration(static_cast<Duration::rep>(rng.uniform(500, 20'000)));
  p.faults.spike = static_cast<double>(rng.uniform(0, 3)) / 100.0;
  p.faults.spike_max = 100ms;
  return p;
}

// A seed's end: settle() and D (unless an invariant broke already), the
// trace or step count when asked, and the failure with its rerun command.
void finish_seed(WholeCluster& c, std::uint64_t seed, const char* rerun_filter) {
  if (c.violations().empty()) c.settle("the schedule");
  if (env_number("VIGIL_SIM_TRACE", 0) != 0) std::fputs(c.report().c_str(), stdout);
  CHECK(c.steps() > 0);
  if (env_number("VIGIL_SIM_STEPS", 0) != 0)
    std::printf("seed %llu steps %llu\n", static_cast<unsigned long long>(seed),
                static_cast<unsigned long long>(c.steps()));
  if (!c.violations().empty()) {
    UNSCOPED_INFO(c.report());
    FAIL("seed " << seed << " broke an invariant; rerun: VIGIL_SIM_SEED=" << seed
                 << " build/tests/sim/test_sim \"" << rerun_filter << "\"");
  }
}

// One seed's schedule: start, six faults drawn from the seed with their
// repairs scheduled, then a heal and quiet time (settle).
// Returns the resets carried out (fencing only).
int run_seed(std::uint64_t seed, bool faults_only_crashes, bool fencing = false) {
  WholeParams params = params_for(seed);
  params.fencing = fencing;
  WholeCluster c(params, seed);
  core::Rng& rng = c.rng();
  c.start_all();
  c.run_for(ms(rng.uniform(0, 15'000)));  // within or after RQSTDELAY
  for (int round = 0; round < 6; ++round) {
    const int i = static_cast<int>(rng.uniform(0, static_cast<std::uint64_t>(c.size() - 1)));
    const auto kind = rng.uniform(0, faults_only_crashes ? 3 : 7);
    switch (kind) {
      case 0:
        c.crash_heartbeatd(i);
        c.run_for(ms(rng.uniform(50, 3000)));
        c.start_heartbeatd(i);
        break;
      case 1:
        // Only while heartbeatd runs: a helper restarted while heartbeatd is
        // gone grants a fresh lease (stated exception, README).
        if (c.heartbeatd_up(i)) {
          c.crash_helper(i);
          c.run_for(ms(rng.uniform(20, 300)));
          c.start_helper(i);
        }
        break;
      case 2:
        c.crash_node(i);
        c.run_for(ms(rng.uniform(500, 5000)));
        c.start_node(i);
        break;
      case 3:
        c.stop(i);
        c.run_for(ms(rng.uniform(500, 3000)));
        c.start_heartbeatd(i);
        break;
      case 4:
        c.command(i, engine::Standby{ownership::kAll});
        break;
      case 5:
        c.command(i, engine::Takeover{ownership::kAll, false});
        break;
      default:
        c.partition({i});
        c.run_for(ms(rng.uniform(300, 5000)));
        c.heal();
        break;
    }
    c.run_for(ms(rng.uniform(200, 12'000)));
    if (!c.violations().empty()) break;
  }
  finish_seed(c, seed, "whole*");
  return c.fences();
}

// Returns the resets carried out over the family (fencing only).
int run_family(std::uint64_t base, bool crashes_only, bool fencing = false) {
  if (const auto one = env_number("VIGIL_SIM_SEED", 0); one != 0)
    return run_seed(one, crashes_only, fencing);
  const auto seeds = env_number("VIGIL_WHOLE_SEEDS", kDefaultSeeds);
  int fences = 0;
  for (std::uint64_t s = 0; s < seeds; ++s) fences += run_seed(base + s, crashes_only, fencing);
  return fences;
}

// The defaults with one option on (none: the defaults alone).
WholeParams params_with(bool WholeParams::*option) {
  WholeParams p;
  if (option != nullptr) p.*option = true;
  return p;
}

// The cases below start from this: two nodes with `option` on (fencing,
// health for maintenance, the ping node), started and run past
// RQSTDELAY, each at home with its own group.
class StartedCluster : public WholeCluster {
 public:
  explicit StartedCluster(std::uint64_t seed, bool WholeParams::*option = nullptr)
      : WholeCluster(params_with(option), seed) {
    start_all();
    run_for(15s);
  }
  // Or any parameters (the corosync cases: three nodes).
  StartedCluster(const WholeParams& params, std::uint64_t seed) : WholeCluster(params, seed) {
    start_all();
    run_for(15s);
  }

  // No invariant broke so far (the trace if one did).
  void check_clean() {
    if (!violations().empty()) UNSCOPED_INFO(report());
    CHECK(violations().empty());
  }
  // settle (heal, everyone up, quiet), then check_clean.
  void settle_clean(const std::string& what) {
    settle(what);
    check_clean();
  }
};

}  // namespace

TEST_CASE("whole nodes: crashes and graceful stops") { run_family(7'000'000, true); }

TEST_CASE("whole nodes: crashes and commands and partitions") { run_family(8'000'000, false); }

// Each schedule that once broke an invariant, with the fix it led to.
// §6.4 with a STONITH device: no split exception to "one holder" at all
// (node_sim.h), partitions included; resets happen (checked, so the gate
// is exercised and not vacuous).
TEST_CASE("whole nodes: fencing before takeover, partitions included") {
  const int fences = run_family(9'000'000, false, /*fencing=*/true);
  INFO("resets over the family: " << fences);
  CHECK(fences > 0);
}

TEST_CASE("whole nodes: a partition with fencing resets one node and moves its group once") {
  StartedCluster c(9'100'000, &WholeParams::fencing);
  c.partition({0});
  c.run_for(8s);
  CHECK(c.fences() >= 1);
  c.heal();
  c.settle_clean("a fenced partition");
}

TEST_CASE("whole nodes: regression seeds") {
  // one-sided partition: both held the peer's home group (audit: home wins)
  run_seed(8'000'025, false);
  // peer restarted in a new generation after taking our group: nobody held it
  run_seed(7'000'061, true);
  // `resource info=shutdown` read as "holds nothing": VIP taken mid-release
  run_seed(7'000'125, true);
  // §6.8 gave back a group held before the death: nobody held it
  run_seed(8'000'965, false);
  // the home node re-reports when the peer holds its groups too
  run_seed(8'000'006, false);
  // a post-heal report forgotten: standby refused here, accepted there (1 h)
  run_seed(8'000'010, false);
  // OTHER waited 1 h for a giver that had dropped its request
  run_seed(8'000'013, false);
  // comm up left a peer's link overdue under the shorter interval: a
  // deadline still due after the tick (found with 2000 seeds per family)
  run_seed(9'000'391, false, /*fencing=*/true);
  // a stopping node answered a restarted peer's `starting` without
  // info=shutdown: read "holds none", its group started mid-release
  run_seed(9'001'017, false, /*fencing=*/true);
}

// Maintenance (heartbeatd/ownership/maintenance.cpp): node2 freezes every
// group and node1, holding both, loses power for good. node2 takes neither
// over (D's stated exception: held by nobody, never twice); node1 comes
// back and takes its own group; node2's group, which node1 held when it
// died, waits for maintenance off, and is then held once, by node2.
TEST_CASE("whole nodes: maintenance leaves a dead holder's groups unheld, never held twice") {
  StartedCluster c(9'200'000, &WholeParams::health);
  c.command(1, engine::Standby{ownership::kAll});  // node1 now holds both groups
  c.run_for(5s);
  REQUIRE(c.holders(0) == std::vector<int>{0});
  REQUIRE(c.holders(1) == std::vector<int>{0});
  c.maintenance(1, true);
  c.crash_node(0);
  c.run_for(5s);
  CHECK(c.holders(0).empty());
  CHECK(c.holders(1).empty());
  c.settle("a holder's death during maintenance");
  CHECK(c.holders(0) == std::vector<int>{0});
  CHECK(c.holders(1).empty());
  c.check_clean();

  c.maintenance(1, false);
  c.run_for(15s);
  CHECK(c.holders(0) == std::vector<int>{0});
  CHECK(c.holders(1) == std::vector<int>{1});
  c.check_clean();
}

// A partition during maintenance moves nothing, so unlike an ordinary
// split it never puts a group on both sides.
TEST_CASE("whole nodes: a partition during maintenance puts no group on both sides") {
  StartedCluster c(9'300'000, &WholeParams::health);
  c.maintenance(0, true);
  c.maintenance(1, true);
  c.partition({0});
  for (int step = 0; step < 16; ++step) {
    c.run_for(500ms);
    CHECK(c.holders(0) == std::vector<int>{0});
    CHECK(c.holders(1) == std::vector<int>{1});
  }
  c.heal();
  c.run_for(5s);
  CHECK(c.holders(0) == std::vector<int>{0});
  CHECK(c.holders(1) == std::vector<int>{1});
  c.check_clean();
}

namespace {

// Runs `steps` of 10 ms and returns for how long group `g` had two holders.
int two_holder_ms(WholeCluster& c, int g, int steps) {
  int ms = 0;
  for (int step = 0; step < steps; ++step) {
    c.run_for(std::chrono::milliseconds(10));
    if (c.holders(g).size() > 1) ms += 10;
  }
  return ms;
}

}  // namespace

// The isolated node (heartbeatd/engine/isolation.h, node_sim.h): node0's
// cable pulled (cut from node1 and from the router). Both decide at
// deadtime (deadping = deadtime): node1 takes group 0 over while node0
// releases it, so two nodes hold it only while the two walks overlap,
// never for the split (4 s here; without the release, all of it). Sampled
// every 10 ms; after the heal, one holder again (§6.8).
TEST_CASE("whole nodes: a node cut from its peer and the router releases at once") {
  StartedCluster c(9'400'000, &WholeParams::ping_node);
  REQUIRE(c.holders(0) == std::vector<int>{0});
  c.partition({0});
  c.cut_router(0, true);
  const int two_ms = two_holder_ms(c, 0, 400);
  INFO("two holders of group 0 during the split for " << two_ms << " ms");
  CHECK(two_ms <= 200);  // the walks' helper delays (<= 30 ms each), not 4 s
  CHECK(c.holders(0) == std::vector<int>{1});
  CHECK(c.holders(1) == std::vector<int>{1});
  c.heal();
  c.cut_router(0, false);
  const int after_ms = two_holder_ms(c, 0, 800);
  INFO("two holders of group 0 after the heal for " << after_ms << " ms");
  CHECK(after_ms == 0);  // node0 holds nothing when it comes back
  c.settle_clean("an isolated node back");
}

// The stated exception: both nodes isolated (partitioned, each cut from the
// router) release everything: no group is held until they can reach the
// router or each other again; then D holds.
TEST_CASE("whole nodes: every node isolated holds nothing; the router back, each takes all") {
  StartedCluster c(9'500'000, &WholeParams::ping_node);
  c.partition({0});
  c.cut_router(0, true);
  c.cut_router(1, true);
  c.run_for(4s);
  CHECK(c.holders(0).empty());
  CHECK(c.holders(1).empty());
  c.settle_clean("isolation over");
}

// ---- issue 18: corosync underneath (node_sim.h, ownership/quorum.cpp) ----

namespace {

WholeParams corosync_nodes(int n) {
  WholeParams p;
  p.nodes = n;
  p.corosync = true;
  return p;
}

// Runs `steps` of 10 ms; returns how long node `i` held anything while it
// was told it had no quorum (Q1, no start then, is the simulator's own
// check at every step).
int minority_holding_ms(WholeCluster& c, int i, int steps) {
  int ms = 0;
  for (int step = 0; step < steps; ++step) {
    c.run_for(std::chrono::milliseconds(10));
    bool holds = false;
    for (int g = 0; g < c.size(); ++g)
      for (int h : c.holders(g)) holds = holds || h == i;
    if (holds && !c.told_quorate(i)) ms += 10;
  }
  return ms;
}

// The seed-drawn family: 3 to 5 nodes, a corosync report after 200–800 ms
// (token + consensus: shorter and longer than the helpers' lease of 500 ms),
// jitter only (CPG loses nothing). Eight rounds, each one fault drawn from
// the seed: heartbeatd crashed and restarted, the helpers crashed (while
// heartbeatd runs, as the family above), a power loss, a graceful stop,
// hb_standby / hb_takeover, a partition into drawn sides (it stays until a
// later round heals it or splits again, so crashes and commands happen
// during it), a heal. Then settle() and every invariant, as the families
// above.
WholeParams corosync_params_for(std::uint64_t seed) {
  core::Rng rng(seed ^ 0xc0105ULL);
  WholeParams p;
  p.corosync = true;
  p.nodes = static_cast<int>(rng.uniform(3, 5));
  p.policy = rng.chance(0.5) ? conf::AutoFailback::kOn : conf::AutoFailback::kOff;
  p.keepalive = ms(rng.uniform(100, 200));
  p.corosync_delay = ms(rng.uniform(200, 800));
  p.faults.delay_max = Duration(static_cast<Duration::rep>(rng.uniform(500, 5'000)));
  return p;
}

// A partition's sides: one node alone (a minority, or at two nodes up a
// tie), or every node on a drawn side of 2 to 4 (2 | 3 at five nodes,
// splits with no majority anywhere, several sides).
std::vector<int> draw_sides(core::Rng& rng, int nodes) {
  std::vector<int> side_of(static_cast<std::size_t>(nodes), 0);
  const auto last = static_cast<std::uint64_t>(nodes - 1);
  if (rng.chance(0.3)) {
    side_of[rng.uniform(0, last)] = 1;
    return side_of;
  }
  const int sides = static_cast<int>(rng.uniform(2, std::min<std::uint64_t>(4, last + 1)));
  while (true) {
    std::set<int> used;
    for (auto& s : side_of) {
      s = static_cast<int>(rng.uniform(0, static_cast<std::uint64_t>(sides - 1)));
      used.insert(s);
    }
    if (used.size() > 1) return side_of;
  }
}

// The faults a seed draws from (a round draws one of `kinds`).
enum Fault : int {
  kCrashHeartbeatd,
  kCrashHelper,
  kPowerLoss,
  kGracefulStop,
  kStandby,
  kTakeover,
  kSplit,
  kSplitAgain,
  kHeal
};
const std::vector<int> kAllFaults = {kCrashHeartbeatd, kCrashHelper, kPowerLoss,
                                     kGracefulStop,    kStandby,     kTakeover,
                                     kSplit,           kSplitAgain,  kHeal};

WholeCluster::AwayStarts run_corosync_seed(std::uint64_t seed, const std::vector<int>& kinds) {
  WholeCluster c(corosync_params_for(seed), seed);
  core::Rng& rng = c.rng();
  c.start_all();
  c.run_for(ms(rng.uniform(0, 15'000)));
  for (int round = 0; round < 8 && c.violations().empty(); ++round) {
    const int i = static_cast<int>(rng.uniform(0, static_cast<std::uint64_t>(c.size() - 1)));
    switch (kinds[rng.uniform(0, kinds.size() - 1)]) {
      case kCrashHeartbeatd:
        c.crash_heartbeatd(i);
        c.run_for(ms(rng.uniform(5, 3000)));
        c.start_heartbeatd(i);
        break;
      case kCrashHelper:
        if (c.heartbeatd_up(i)) {  // as run_seed: the lease exception
          c.crash_helper(i);
          c.run_for(ms(rng.uniform(20, 300)));
          c.start_helper(i);
        }
        break;
      case kPowerLoss:
        c.crash_node(i);
        c.run_for(ms(rng.uniform(100, 5000)));
        c.start_node(i);
        break;
      case kGracefulStop:
        c.stop(i);
        c.run_for(ms(rng.uniform(500, 3000)));
        c.start_heartbeatd(i);
        break;
      case kStandby:
        c.command(i, engine::Standby{ownership::kAll});
        break;
      case kTakeover:
        c.command(i, engine::Takeover{ownership::kAll, false});
        break;
      case kSplit:
      case kSplitAgain:
        c.split(draw_sides(rng, c.size()));
        break;
      default:
        c.heal();
        break;
    }
    c.run_for(ms(rng.uniform(0, 8'000)));
  }
  finish_seed(c, seed, "[corosync-family]");
  return c.away_starts();
}

// Runs the family's seeds (VIGIL_SIM_SEED: one) with the faults `kinds`;
// returns the starts away from home over them.
WholeCluster::AwayStarts corosync_family(std::uint64_t base, const std::vector<int>& kinds) {
  if (const auto one = env_number("VIGIL_SIM_SEED", 0); one != 0)
    return run_corosync_seed(one, kinds);
  WholeCluster::AwayStarts away;
  const auto seeds = env_number("VIGIL_WHOLE_SEEDS", kCorosyncSeeds);
  for (std::uint64_t s = 0; s < seeds; ++s) {
    const auto one = run_corosync_seed(base + s, kinds);
    away.far_home += one.far_home;
    away.wrapped += one.wrapped;
  }
  return away;
}

std::vector<int> faults_from_env(const std::vector<int>& fallback) {
  const auto mask = env_number("VIGIL_COROSYNC_FAULTS", 0);
  if (mask == 0) return fallback;
  std::vector<int> kinds;
  for (int k : kAllFaults)
    if (mask & (1u << k)) kinds.push_back(k);
  return kinds;
}

}  // namespace

// Every seed passes, and the family does what it is for: groups of node3
// and later moved, and the successor rule wrapped past the last node
// (README.md, "corosync underneath").
TEST_CASE("whole nodes with corosync: crashes, commands and partitions", "[corosync-family]") {
  const auto away = corosync_family(9'800'000, faults_from_env(kAllFaults));
  INFO("starts away from home of node3+'s groups: " << away.far_home
                                                    << ", wrapped around: " << away.wrapped);
  if (env_number("VIGIL_SIM_SEED", 0) != 0) return;  // one seed need not do both
  CHECK(away.far_home > 0);
  CHECK(away.wrapped > 0);
}

// Seeds of the family beyond the default count that found bugs, each with
// its fix (heartbeatd comments name the seed).
TEST_CASE("whole nodes with corosync: regression seeds") {
  // a CPG member not heard yet before comm up kept an initdead deadline due
  run_corosync_seed(9'800'442, kAllFaults);
  // a lone minority node whose heartbeatd died just before the split: the
  // helpers' lease, not the release bound, ends its holding (checker)
  run_corosync_seed(9'800'508, kAllFaults);
  // a retransmitted old report, applied after newer ones: audit waited
  run_corosync_seed(9'800'510, kAllFaults);
  // a node that came up with members not heard yet decided alone
  run_corosync_seed(9'800'721, kAllFaults);
  // back in the ring without its heartbeatd: its groups taken at once,
  // while its helpers held them for their lease
  run_corosync_seed(9'800'914, kAllFaults);
  // helpers crashed during a quorum release: the bound runs from their start
  run_corosync_seed(9'801'692, kAllFaults);
  // with hb_standby per group: a restarted node took its group from a
  // report older than the holder's takeover
  run_corosync_seed(9'800'246, kAllFaults);
  // a gap in the reports opened while not stable was never asked about
  run_corosync_seed(9'800'256, kAllFaults);
  // a death before comm up replayed at comm up for a peer alive again
  run_corosync_seed(9'801'032, kAllFaults);
  // a peer in its lease counts as awaited: a home node waits for it
  run_corosync_seed(9'801'454, kAllFaults);
}

// Three nodes, partition node1 | node2 node3: node1 (the minority) releases
// its group when corosync reports the split, within the release bound,
// and starts nothing for the whole split; node2, node1's successor in the
// node order, serves group 0. Healed: one holder at every step, group 0
// home again (auto_failback on).
TEST_CASE("whole nodes with corosync: the minority of a partition releases and starts nothing") {
  StartedCluster c(corosync_nodes(3), 9'600'000);
  for (int g = 0; g < 3; ++g) REQUIRE(c.holders(g) == std::vector<int>{g});
  REQUIRE(c.told_quorate(0));
  c.partition({0});
  const int held_ms = minority_holding_ms(c, 0, 500);  // 5 s of split
  INFO("node1 held its group for " << held_ms << " ms after being told it has no quorum");
  CHECK(held_ms <= 300);  // the release bound: (2 x 3 + 2) x 30 ms helper delays
  CHECK_FALSE(c.told_quorate(0));
  CHECK(c.holders(0) == std::vector<int>{1});
  CHECK(c.holders(1) == std::vector<int>{1});
  CHECK(c.holders(2) == std::vector<int>{2});
  c.settle_clean("a minority partition healed");
}

// The stated exception to D: one node down and the other two split, no
// side has a majority, so nobody holds anything; node3 back: quorum again
// and every group held once.
TEST_CASE("whole nodes with corosync: without a majority anywhere nothing is held") {
  StartedCluster c(corosync_nodes(3), 9'700'000);
  c.crash_node(2);
  c.run_for(3s);  // node3's group goes to node1 (node3's successor wraps around)
  CHECK(c.holders(2) == std::vector<int>{0});
  c.partition({0});
  c.run_for(3s);
  for (int g = 0; g < 3; ++g) CHECK(c.holders(g).empty());
  c.settle_clean("no majority anywhere");
}

// hb_standby / hb_takeover with more than two nodes go group by group
// (ownership/standby_groups.cpp); heartbeat's exchange made every peer
// answer and take the giver's groups, so node1 and node3 both started
// node1's group (seed 9800000). node2's standby sends its group where its
// death would (node3), and auto_failback leaves it there; node3's
// `takeover all` is refused; node2's `takeover failback` brings it home.
TEST_CASE("whole nodes with corosync: hb_standby and hb_takeover at three nodes") {
  StartedCluster c(corosync_nodes(3), 9'900'000);
  c.command(1, engine::Standby{ownership::kAll});
  c.run_for(3s);
  CHECK(c.holders(0) == std::vector<int>{0});
  CHECK(c.holders(1) == std::vector<int>{2});
  CHECK(c.holders(2) == std::vector<int>{2});
  c.command(2, engine::Takeover{ownership::kAll, false});
  c.run_for(3s);
  CHECK(c.holders(0) == std::vector<int>{0});
  CHECK(c.holders(1) == std::vector<int>{2});
  c.command(1, engine::Takeover{ownership::kLocal, true});
  c.run_for(3s);
  for (int g = 0; g < 3; ++g) CHECK(c.holders(g) == std::vector<int>{g});
  c.check_clean();
}

// A re-split that puts two nodes back together while the third is cut off
// (node2 alone, then node1 node2 | node3): the rejoined pair learns node3's
// loss with corosync's report, before node2 has node1's status. node1 is
// node3's successor (wrapping) as a member of the agreed membership, so
// node2 takes neither node3's group nor node1's (seed 9800000: both took
// node3's group).
TEST_CASE("whole nodes with corosync: a re-split takes a lost node's group once") {
  StartedCluster c(corosync_nodes(3), 9'900'001);
  c.partition({1});
  c.run_for(3s);
  CHECK(c.holders(1) == std::vector<int>{2});  // node2's successor
  c.split({0, 0, 1});
  c.run_for(3s);
  CHECK(c.holders(0) == std::vector<int>{0});
  CHECK(c.holders(2) == std::vector<int>{0});  // node3's successor wraps to node1
  c.check_clean();
}
