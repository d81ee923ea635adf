// Issue 14, "heavy loss is not death": two nodes at keepalive 100 ms /
// deadtime 500 ms on one medium with random loss each way, a million
// keepalives (both nodes together), every datagram through the real codec.
// With status_copies auto (3 copies at these timers,
// heartbeatd/core/status_copies.h) 20 % loss gives no false death; 30 % is
// printed; one copy (heartbeat's behaviour) at 20 % is the control that
// shows what the copies buy. Every death here is false: no node ever
// stops. Seeds are fixed and printed; VIGIL_SIM_SEED reruns another.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <chrono>

#include "tests/sim/seeds.h"
#include "tests/sim/sim_cluster.h"

using namespace vigil;
using namespace vigil::sim;
using namespace std::chrono_literals;

namespace {

struct LossRun {
  std::uint64_t deaths = 0;
  std::uint64_t keepalives = 0;
  std::uint64_t datagrams = 0;
};

LossRun run_lossy(double loss, int copies, std::uint64_t keepalives, std::uint64_t seed) {
  SimParams p;
  p.nodes = 2;
  p.links = 1;
  p.keepalive = 100ms;
  p.deadtime = 500ms;
  p.warntime = 300ms;
  p.initdead = 2s;
  p.faults.loss = loss;
  p.status_copies = copies;
  Cluster c(p, seed);
  c.start_all(0ms);
  // Two nodes, ten statuses a second each.
  const auto span = std::chrono::milliseconds(keepalives * 100 / 2);
  c.run_for(span);
  INFO(c.report());
  CHECK(c.violations().empty());
  return LossRun{c.deaths(), keepalives, c.datagrams()};
}

std::uint64_t seed_or(std::uint64_t fixed) { return sim::env_number("VIGIL_SIM_SEED", fixed); }

}  // namespace

TEST_CASE("heavy loss: a million keepalives at 20 % loss each way, no false death", "[loss]") {
  const std::uint64_t seed = seed_or(14020);
  const LossRun r = run_lossy(0.20, 0, 1'000'000, seed);
  fmt::print("heavy loss 20 %: {} false deaths in {} keepalives ({} datagrams, seed {})\n",
             r.deaths, r.keepalives, r.datagrams, seed);
  CHECK(r.deaths == 0);
}

TEST_CASE("heavy loss: a million keepalives at 30 % loss each way, the rate", "[loss]") {
  const std::uint64_t seed = seed_or(14030);
  const LossRun r = run_lossy(0.30, 0, 1'000'000, seed);
  fmt::print("heavy loss 30 %: {} false deaths in {} keepalives ({} datagrams, seed {})\n",
             r.deaths, r.keepalives, r.datagrams, seed);
  // The model (status_copies.h): a death needs 12-15 statuses' worth of
  // copies lost in a row, 0.3^12 ≈ 5e-7 per status: about one expected.
  CHECK(r.deaths <= 5);
}

TEST_CASE("heavy loss: one copy per status (heartbeat's way) at 20 % dies falsely", "[loss]") {
  const std::uint64_t seed = seed_or(14001);
  const LossRun r = run_lossy(0.20, 1, 100'000, seed);
  fmt::print("heavy loss 20 %, one copy: {} false deaths in {} keepalives\n", r.deaths,
             r.keepalives);
  // 0.2^4-0.2^5 per status: tens per hundred thousand.
  CHECK(r.deaths >= 10);
}
