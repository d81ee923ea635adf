// Resource health decisions (heartbeatd/engine/health_monitor.h): plain
// calls with virtual time; helpers' answers are built by hand.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "conf/haresources.h"
#include "heartbeatd/engine/health_monitor.h"
#include "tests/engine/engine_fixture.h"

namespace vigil::engine {

namespace {

using namespace std::chrono_literals;
namespace pr = proto::resourced;

// One group [httpsvc, 192.0.2.5, mailsvc] at home on node1, checks every
// 1 s after a 3 s grace, fall 2, 3 failures in 60 s give up.
conf::Config health_config() {
  conf::Config c = test::seed_config();
  c.groups.clear();
  conf::ResourceGroup g;
  g.node = "node1";
  g.line = 1;
  for (const char* token : {"httpsvc", "192.0.2.5", "mailsvc"})
    g.resources.push_back(*conf::parse_resource(token));
  c.groups.push_back(std::move(g));
  c.vigil_cf.health_check = true;
  c.vigil_cf.health_interval = 1s;
  c.vigil_cf.health_start_grace = 3s;
  c.vigil_cf.health_fall = 2;
  c.vigil_cf.health_max_failures = 3;
  c.vigil_cf.health_failure_window = 60s;
  return c;
}

pr::Reply running(bool yes) {
  pr::Reply r;
  r.outcome = pr::Outcome::kOk;
  r.state = yes ? pr::RunState::kRunning : pr::RunState::kStopped;
  return r;
}

// A check program killed at health_timeout (resourced says so).
pr::Reply timed_out() {
  pr::Reply r;
  r.outcome = pr::Outcome::kTimeout;
  r.state = pr::RunState::kRunning;
  r.exit_status = -9;
  r.duration_ms = 2000;
  r.check = pr::CheckRun::kProgramTimedOut;
  return r;
}

// A check of a systemd unit: systemd answered over D-Bus, or did not.
pr::Reply unit_state(const std::string& state) {
  pr::Reply r = running(false);
  r.check = pr::CheckRun::kUnitState;
  r.unit_state = state;
  return r;
}
pr::Reply systemd_silent() {
  pr::Reply r = timed_out();
  r.exit_status = 0;
  r.check = pr::CheckRun::kSystemdNoAnswer;
  return r;
}

struct Rig {
  explicit Rig(conf::Config c = health_config()) : config(std::move(c)), monitor(config) {}

  conf::Config config;
  HealthMonitor monitor;
  HealthMonitor::View view{{true}, true};
  MonoTime now{};
  std::vector<HealthCall> calls;
  std::vector<Log> logs;
  int give_ups = 0;

  void take(HealthActions actions) {
    for (auto& a : actions) {
      if (auto* c = std::get_if<HealthCall>(&a)) calls.push_back(*c);
      if (auto* l = std::get_if<Log>(&a)) logs.push_back(*l);
      if (std::holds_alternative<HealthGiveUp>(a)) ++give_ups;
    }
  }
  void tick() { take(monitor.on_tick(view, now)); }
  void answer(const HealthCall& c, const HelperReply& r) {
    take(monitor.on_answer(c.token, r, view, now));
  }
  // Runs the restart walk's steps, each answered ok; returns them as text.
  std::vector<std::string> walk() {
    std::vector<std::string> steps;
    while (!calls.empty() && calls.front().kind != CallKind::kResourcedMonitor) {
      const HealthCall c = calls.front();
      calls.erase(calls.begin());
      const char* what = c.kind == CallKind::kIpdAdd      ? "add"
                         : c.kind == CallKind::kIpdRemove ? "remove"
                         : c.op == pr::Op::kStart         ? "start"
                                                          : "stop";
      steps.push_back(std::string(what) + " " + std::to_string(c.place.position));
      if (c.kind == CallKind::kResourced)
        answer(c, running(c.op == pr::Op::kStart));
      else
        answer(c, proto::ipd::Result{0, proto::ipd::Outcome::kOk, {}});
    }
    return steps;
  }
  // The checks due now, answered with `ok` for position `position` and
  // "running" for the others.
  void check_round(std::uint16_t position, const HelperReply& reply) {
    tick();
    std::vector<HealthCall> due;
    std::swap(due, calls);
    for (const auto& c : due) {
      REQUIRE(c.kind == CallKind::kResourcedMonitor);
      answer(c, c.place.position == position ? reply : HelperReply{running(true)});
    }
  }
  // `n` confirmed failures of httpsvc (two failed checks each), each
  // restart walk answered ok and its start grace waited out.
  void confirmed_failures(int n) {
    for (int failure = 0; failure < n; ++failure) {
      check_round(0, running(false));
      now += 1s;
      check_round(0, running(false));
      walk();
      now += 3s;
    }
  }
  bool logged(const std::string& event) const {
    for (const auto& l : logs)
      for (const auto& [k, v] : l.fields)
        if (k == "VIGIL_EVENT" && v == event) return true;
    return false;
  }
  int count(const std::string& event) const {
    int n = 0;
    for (const auto& l : logs)
      for (const auto& [k, v] : l.fields)
        if (k == "VIGIL_EVENT" && v == event) ++n;
    return n;
  }
};

}  // namespace

TEST_CASE("health monitor: nothing is checked before the start grace, then each non-IP resource") {
  Rig rig;
  rig.tick();
  CHECK(rig.calls.empty());
  rig.now += 2s;
  rig.tick();
  CHECK(rig.calls.empty());
  REQUIRE(rig.monitor.next_deadline() == MonoTime{} + 3s);
  rig.now += 1s;
  rig.tick();
  REQUIRE(rig.calls.size() == 2);
  CHECK(rig.calls[0].place.position == 0);
  CHECK(rig.calls[1].place.position == 2);
  CHECK(rig.calls[0].kind == CallKind::kResourcedMonitor);
  CHECK(rig.calls[0].op == pr::Op::kStatus);
}

TEST_CASE("health monitor: a group not held here is not checked") {
  Rig rig;
  rig.view.held = {false};
  rig.now += 10s;
  rig.tick();
  CHECK(rig.calls.empty());
  CHECK_FALSE(rig.monitor.next_deadline());
}

TEST_CASE("health monitor: a resource excluded in vigil.cf is never checked") {
  conf::Config config = health_config();
  config.vigil_cf.health_exclude = {"mailsvc"};
  Rig rig(config);
  rig.tick();
  rig.now += 3s;
  rig.tick();
  REQUIRE(rig.calls.size() == 1);
  CHECK(rig.calls[0].place.position == 0);
}

TEST_CASE(
    "health monitor: a confirmed failure restarts the resource and what follows it, in "
    "heartbeat's order") {
  Rig rig;
  rig.tick();
  rig.now += 3s;
  rig.check_round(0, running(false));
  CHECK(rig.logged("health-check-failed"));
  CHECK(rig.calls.empty());
  rig.now += 1s;
  rig.check_round(0, running(false));
  CHECK(rig.logged("health-restart"));
  CHECK(rig.walk() ==
        std::vector<std::string>{"stop 2", "remove 1", "stop 0", "start 0", "add 1", "start 2"});
  CHECK(rig.logged("health-restarted"));
  // Checked again after the start grace, not before.
  rig.now += 1s;
  rig.tick();
  CHECK(rig.calls.empty());
  rig.now += 2s;
  rig.tick();
  CHECK(rig.calls.size() == 2);
}

TEST_CASE("health monitor: no check runs while a restart walks the group") {
  Rig rig;
  rig.tick();
  rig.now += 3s;
  rig.check_round(2, running(false));
  rig.now += 1s;
  rig.check_round(2, running(false));
  REQUIRE(rig.calls.size() == 1);  // the stop of mailsvc, unanswered
  rig.now += 30s;
  rig.tick();
  CHECK(rig.calls.size() == 1);
}

TEST_CASE("health monitor: a check that times out counts as a failure and says it was killed") {
  Rig rig;
  rig.tick();
  rig.now += 3s;
  rig.check_round(0, timed_out());
  rig.now += 1s;
  rig.check_round(0, timed_out());
  CHECK(rig.logged("health-restart"));
  const auto v = rig.monitor.view();
  REQUIRE(v.size() == 2);
  CHECK(v[0].last == ResourceHealthView::Result::kTimedOut);
  CHECK(v[0].detail.find("killed") != std::string::npos);
  CHECK(v[0].failures == 1);
}

TEST_CASE("health monitor: a systemd unit's failed check logs systemd's answer, not a program's") {
  Rig rig;
  rig.tick();
  rig.now += 3s;
  rig.check_round(0, unit_state("failed/failed"));
  rig.now += 1s;
  rig.check_round(0, systemd_silent());
  std::vector<std::string> texts;
  for (const auto& l : rig.logs) texts.push_back(l.text);
  REQUIRE(texts.size() >= 2);
  CHECK(texts[0] ==
        "Resource httpsvc failed its check (1 of 2 before acting): systemd says the unit is "
        "failed/failed");
  CHECK(texts[1] ==
        "Resource httpsvc of group httpsvc failed (systemd did not answer over D-Bus within "
        "2000 ms; failure 1 of 3 within 60 s): restarting it in place");
  for (const auto& t : texts) {
    CHECK(t.find("process group") == std::string::npos);
    CHECK(t.find("exit") == std::string::npos);
  }
  const auto v = rig.monitor.view();
  CHECK(v[0].last == ResourceHealthView::Result::kTimedOut);
  CHECK(v[0].detail == "systemd did not answer over D-Bus within 2000 ms");
}

TEST_CASE("health monitor: the max_failures-th failure gives the group up once and declines it") {
  Rig rig;
  rig.tick();
  rig.now += 3s;
  rig.confirmed_failures(3);
  CHECK(rig.count("health-restart") == 2);
  CHECK(rig.give_ups == 1);
  CHECK(rig.logged("health-give-up"));
  CHECK(rig.monitor.declined() == std::vector<std::size_t>{0});
}

TEST_CASE("health monitor: failing where the peer cannot take it stays put with one loud line") {
  Rig rig;
  rig.view.peer_can_take = false;
  rig.tick();
  rig.now += 3s;
  rig.confirmed_failures(5);
  CHECK(rig.give_ups == 0);
  CHECK(rig.count("health-stay-put") == 1);
  CHECK(rig.count("health-restarted") == 5);
  CHECK(rig.monitor.declined().empty());
}

TEST_CASE("health monitor: after one give-up that did not move the group it stays put") {
  Rig rig;
  rig.tick();
  rig.now += 3s;
  rig.confirmed_failures(4);
  CHECK(rig.give_ups == 1);
  CHECK(rig.count("health-stay-put") == 1);
}

TEST_CASE("health monitor: cleanup forgets counts and declines") {
  Rig rig;
  rig.tick();
  rig.now += 3s;
  rig.confirmed_failures(3);
  REQUIRE(rig.monitor.declined().size() == 1);
  rig.take(rig.monitor.cleanup(rig.now));
  CHECK(rig.monitor.declined().empty());
  CHECK(rig.monitor.view()[0].failures == 0);
  CHECK(rig.logged("health-cleanup"));
}

TEST_CASE("health monitor: health_hold ends the decline by itself") {
  conf::Config config = health_config();
  config.vigil_cf.health_hold = 100s;
  Rig rig(config);
  rig.tick();
  rig.now += 3s;
  rig.confirmed_failures(3);
  REQUIRE(rig.monitor.declined().size() == 1);
  rig.view.held = {false};  // the peer took it
  rig.now += 95s;
  rig.tick();
  CHECK(rig.monitor.declined().size() == 1);
  rig.now += 5s;
  rig.tick();
  CHECK(rig.monitor.declined().empty());
  CHECK(rig.logged("health-cleanup"));
}

TEST_CASE("health monitor: maintenance suspends checks until it is turned off") {
  Rig rig;
  rig.tick();
  rig.take(rig.monitor.maintenance(true, std::nullopt, rig.now));
  CHECK(rig.logged("health-maintenance"));
  CHECK(rig.monitor.in_maintenance(0));
  rig.now += 10s;
  rig.tick();
  CHECK(rig.calls.empty());
  rig.take(rig.monitor.maintenance(false, std::nullopt, rig.now));
  rig.tick();
  CHECK(rig.calls.empty());  // a fresh grace first
  rig.now += 3s;
  rig.tick();
  CHECK(rig.calls.size() == 2);
}

TEST_CASE("health monitor: maintenance of one group leaves the others checked") {
  Rig rig;
  rig.take(rig.monitor.maintenance(true, std::size_t{0}, rig.now));
  CHECK(rig.monitor.in_maintenance(0));
  CHECK_FALSE(rig.monitor.maintenance_all());
}

}  // namespace vigil::engine
