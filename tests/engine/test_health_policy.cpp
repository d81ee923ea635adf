// Resource health counting (heartbeatd/engine/health_policy.h): plain calls
// with virtual time.
#include <catch2/catch.hpp>

#include "heartbeatd/engine/health_policy.h"

namespace vigil::engine {

namespace {

using namespace std::chrono_literals;

HealthSettings settings() {
  HealthSettings s;
  s.fall = 2;
  s.max_failures = 3;
  s.window = 60s;
  return s;
}

}  // namespace

TEST_CASE("health policy: one failed check is only suspect; `fall` in a row confirm it") {
  HealthCounts c;
  const MonoTime t0{};
  CHECK(c.record(false, t0, settings()) == HealthVerdict::kSuspect);
  CHECK(c.record(false, t0 + 1s, settings()) == HealthVerdict::kRestart);
  CHECK(c.failures() == 1);
  CHECK(c.in_a_row() == 0);
}

TEST_CASE("health policy: a passed check resets the failures in a row, not the confirmed ones") {
  HealthCounts c;
  const MonoTime t0{};
  c.record(false, t0, settings());
  c.record(false, t0 + 1s, settings());
  CHECK(c.record(false, t0 + 2s, settings()) == HealthVerdict::kSuspect);
  CHECK(c.record(true, t0 + 3s, settings()) == HealthVerdict::kHealthy);
  CHECK(c.in_a_row() == 0);
  CHECK(c.failures() == 1);
  CHECK(c.record(false, t0 + 4s, settings()) == HealthVerdict::kSuspect);
}

TEST_CASE("health policy: the max_failures-th confirmed failure within the window gives up") {
  HealthCounts c;
  MonoTime t{};
  std::vector<HealthVerdict> confirmed;
  for (int i = 0; i < 6; ++i) {
    const auto v = c.record(false, t += 1s, settings());
    if (v != HealthVerdict::kSuspect) confirmed.push_back(v);
  }
  CHECK(confirmed ==
        std::vector{HealthVerdict::kRestart, HealthVerdict::kRestart, HealthVerdict::kGiveUp});
}

TEST_CASE("health policy: failures older than the window decay, so a rare failure never moves") {
  HealthCounts c;
  MonoTime t{};
  for (int round = 0; round < 5; ++round) {
    c.record(false, t, settings());
    CHECK(c.record(false, t + 1s, settings()) == HealthVerdict::kRestart);
    t += 61s;
  }
  CHECK(c.failures() == 1);
  REQUIRE(c.decays_at(settings()));
  c.decay(*c.decays_at(settings()), settings());
  CHECK(c.failures() == 0);
  CHECK_FALSE(c.decays_at(settings()));
}

TEST_CASE("health policy: vigil.cf's settings are taken as written") {
  conf::VigilCf cf;
  cf.health_fall = 4;
  cf.health_max_failures = 7;
  cf.health_failure_window = 90s;
  cf.health_hold = 30s;
  cf.health_interval = 1s;
  const HealthSettings s = HealthSettings::from(cf);
  CHECK(s.fall == 4);
  CHECK(s.max_failures == 7);
  CHECK(s.window == 90s);
  CHECK(s.hold == 30s);
  CHECK(s.interval == 1s);
}

}  // namespace vigil::engine
