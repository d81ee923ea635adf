// Randomized fault schedules over the cluster simulator, one TEST_CASE per
// family. Every run is reproducible from its seed:
//
//   VIGIL_SIM_SEED=1234 ./test_sim "sim: crash*"      one seed
//   VIGIL_SIM_SEEDS=20000 ./test_sim                  more seeds per family
//
// A failure prints the family, the seed, the invariant that broke and the
// last log lines of the cluster.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <functional>

#include "tests/sim/seeds.h"
#include "tests/sim/sim_cluster.h"

using namespace vigil;
using namespace vigil::sim;
using namespace std::chrono_literals;

namespace {

constexpr std::uint64_t kDefaultSeeds = 400;

Duration ms(std::uint64_t n) { return std::chrono::milliseconds(n); }

Duration random_ms(core::Rng& rng, std::uint64_t lo, std::uint64_t hi) {
  return ms(rng.uniform(lo, hi));
}

// A fault model drawn from the seed: up to 30 % loss, 20 % duplicates,
// jitter to 30 ms and occasional 150 ms spikes that reorder statuses.
FaultModel random_faults(core::Rng& rng) {
  FaultModel f;
  f.loss = static_cast<double>(rng.uniform(0, 30)) / 100.0;
  f.duplicate = static_cast<double>(rng.uniform(0, 20)) / 100.0;
  f.delay_min = Duration(static_cast<Duration::rep>(rng.uniform(100, 1000)));
  f.delay_max = f.delay_min + random_ms(rng, 0, 30);
  f.spike = static_cast<double>(rng.uniform(0, 5)) / 100.0;
  f.spike_max = 150ms;
  return f;
}

// Timers: deadtime 1 s, initdead 2 s, keepalive 100–250 ms (4–10
// heartbeats per deadtime, the range ha.cf users run).
SimParams random_params(core::Rng& rng) {
  SimParams p;
  p.keepalive = random_ms(rng, 100, 250);
  p.nodes = static_cast<int>(rng.uniform(2, 4));
  p.links = static_cast<int>(rng.uniform(1, 2));
  p.faults = random_faults(rng);
  return p;
}

using Scenario = std::function<void(Cluster&, core::Rng&)>;

struct FamilyStats {
  std::uint64_t runs = 0;
  std::uint64_t datagrams = 0;
  double seconds = 0;
};

// Runs `scenario` for every seed of the family; stops at the first failure
// and reports it with its seed.
void run_family(const std::string& family, std::uint64_t family_id,
                const std::function<SimParams(core::Rng&)>& make_params, const Scenario& scenario) {
  const std::uint64_t only = env_number("VIGIL_SIM_SEED", 0);
  const std::uint64_t count = only != 0 ? 1 : env_number("VIGIL_SIM_SEEDS", kDefaultSeeds);
  FamilyStats stats;
  const auto t0 = std::chrono::steady_clock::now();
  for (std::uint64_t k = 0; k < count; ++k) {
    const std::uint64_t seed = only != 0 ? only : family_id * 1'000'000 + k + 1;
    core::Rng setup(seed ^ 0x5eed5eed5eed5eedULL);
    Cluster cluster(make_params(setup), seed);
    scenario(cluster, setup);
    ++stats.runs;
    stats.datagrams += cluster.datagrams();
    if (!cluster.violations().empty()) {
      FAIL(
          fmt::format("family '{}' failed with seed {} (reproduce: VIGIL_SIM_SEED={} "
                      "test_sim \"{}\")\n{}",
                      family, seed, seed, family, cluster.report()));
    }
  }
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  WARN(fmt::format("{}: {} seeds, {} datagrams, {:.2f} s, {:.0f} seeds/s", family, stats.runs,
                   stats.datagrams, stats.seconds,
                   static_cast<double>(stats.runs) / std::max(stats.seconds, 1e-9)));
}

}  // namespace

TEST_CASE("sim: membership holds under loss, delay, jitter, reordering and duplication", "[sim]") {
  run_family("lossy network", 1, random_params, [](Cluster& c, core::Rng&) {
    c.start_all(500ms);
    c.run_for(8s);
  });
}

TEST_CASE(
    "sim: crashed nodes are declared dead in time and restarts rejoin, with or without "
    "persisted state",
    "[sim]") {
  run_family("crash and restart", 2, random_params, [](Cluster& c, core::Rng& rng) {
    c.start_all(500ms);
    c.run_for(3s);
    for (int round = 0; round < 3; ++round) {
      const int victim = static_cast<int>(rng.uniform(0, static_cast<std::uint64_t>(c.size() - 1)));
      c.crash(victim);
      const Duration down = random_ms(rng, 50, 4000);
      c.run_for(down);
      // A silent node is dead everywhere within its advertised dt (at most
      // deadtime + 2000 ms in its first 5 s; initdead before comm up) plus
      // the delay of its last datagram.
      const auto& f = c.network().faults();
      const Duration bound =
          std::max<Duration>(1000ms + 2000ms, 2000ms) + f.delay_max + f.spike_max;
      if (down > bound && !c.all_see_dead(victim))
        FAIL(fmt::format("node{} silent for {} ms is not dead everywhere (seed in report)\n{}",
                         victim + 1, down.count() / 1000, c.report()));
      RestartMode mode = static_cast<RestartMode>(rng.uniform(0, 2));
      // heartbeatd/state continues a generation only within a window below
      // deadtime; beyond it, a new generation.
      if (mode == RestartMode::kContinueGeneration && down >= 1s)
        mode = RestartMode::kNewGeneration;
      c.restart(victim, mode);
      c.run_for(random_ms(rng, 500, 3000));
    }
  });
}

TEST_CASE("sim: partitions, one-way and two-way, heal and membership converges within deadtime",
          "[sim]") {
  run_family("partition and heal", 3, random_params, [](Cluster& c, core::Rng& rng) {
    c.start_all(500ms);
    c.run_for(3s);
    for (int round = 0; round < 2; ++round) {
      // Split the nodes into two sides; cut one or both directions on
      // every link (or on one link only: the nodes must stay alive).
      std::vector<bool> side(static_cast<std::size_t>(c.size()));
      for (auto&& s : side) s = rng.chance(0.5);
      const bool both_ways = rng.chance(0.5);
      for (int a = 0; a < c.size(); ++a)
        for (int b = 0; b < c.size(); ++b)
          if (side[static_cast<std::size_t>(a)] && !side[static_cast<std::size_t>(b)])
            for (int l = 0; l < c.links(); ++l) {
              c.network().set_cut(a, b, l, true);
              if (both_ways) c.network().set_cut(b, a, l, true);
            }
      c.run_for(random_ms(rng, 200, 3000));
      c.network().heal_all();
      // Convergence is checked on a clean network.
      FaultModel clean;
      clean.delay_max = 5ms;
      c.network().set_faults(clean);
      c.run_for(1000ms);  // deadtime
      c.check_converged(fmt::format("after heal {}", round + 1));
      c.network().set_faults(random_faults(rng));
      c.run_for(random_ms(rng, 0, 1000));
    }
  });
}

TEST_CASE("sim: replayed and forged packets change no state", "[sim]") {
  run_family("adversary", 4, random_params, [](Cluster& c, core::Rng& rng) {
    c.start_all(500ms);
    const MonoTime end = c.now() + 8s;
    bool restarted = false;
    while (c.now() < end) {
      c.run_for(random_ms(rng, 10, 150));
      const int to = static_cast<int>(rng.uniform(0, static_cast<std::uint64_t>(c.size() - 1)));
      if (rng.chance(0.6))
        c.inject_replay(to);
      else
        c.inject_forgery(to);
      if (!restarted && c.now() > end - 4s) {
        restarted = true;
        c.restart(to, static_cast<RestartMode>(rng.uniform(0, 2)));
      }
    }
  });
}

TEST_CASE("sim: losing one medium kills its links but no node", "[sim]") {
  run_family(
      "one medium down", 5,
      [](core::Rng& rng) {
        SimParams p = random_params(rng);
        p.links = 2;
        p.faults.loss = std::min(p.faults.loss, 0.1);
        p.faults.spike = 0;
        return p;
      },
      [](Cluster& c, core::Rng& rng) {
        c.start_all(500ms);
        // Past every node's first 5 s, when dt is deadtime + 2000 ms.
        c.run_for(6s);
        for (int a = 0; a < c.size(); ++a)
          for (int b = 0; b < c.size(); ++b)
            if (a != b) c.network().set_cut(a, b, 0, true);
        c.run_for(random_ms(rng, 1100, 3000));
        for (int a = 0; a < c.size(); ++a) {
          const auto snap = c.snapshot(a);
          for (const auto& n : snap.nodes) {
            if (n.local) continue;
            CHECK_FALSE(n.dead);
            for (const auto& l : n.links) CHECK(l.up == (l.name == "eth1"));
          }
        }
      });
}
