#include <catch2/catch.hpp>

#include "heartbeatd/observe/event_timeline.h"
#include "heartbeatd/observe/failover_timeline.h"

using namespace vigil;
using observe::EventTimeline;

namespace {

MonoTime at_ms(int ms) { return MonoTime(std::chrono::milliseconds(ms)); }

void log_at(EventTimeline& t, int ms, std::string id, std::string node = {}) {
  core::Log l{log::Priority::kInfo, id + " text", {}};
  if (!node.empty()) l.fields.emplace_back("VIGIL_NODE", node);
  l.fields.emplace_back("VIGIL_EVENT", std::move(id));
  t.record_log(l, at_ms(ms), ms * 1000);
}

std::vector<proto::control::TimelineEvent> events_of(const EventTimeline& t) {
  return {t.events().begin(), t.events().end()};
}

// node1 crashes: heard at 1000 ms, dead at 1500, group walked, done at 1800.
EventTimeline crash_failover() {
  EventTimeline t;
  log_at(t, 10, "node-status", "node1");  // before: not part of it
  t.record_last_heard("node1", at_ms(1000), at_ms(1500), 1'500'000);
  log_at(t, 1500, "node-dead", "node1");
  log_at(t, 1501, "takeover", "node1");
  log_at(t, 1502, "group-acquire");
  t.step_started(3, "192.0.2.5", "start 192.0.2.5", at_ms(1503), 1'503'000);
  t.step_finished(3, "ok", at_ms(1553), 1'553'000);
  t.step_started(4, "192.0.2.5", "status httpsvc", at_ms(1554), 1'554'000);
  t.step_finished(4, "stopped", at_ms(1600), 1'600'000);
  t.step_started(5, "192.0.2.5", "start httpsvc", at_ms(1601), 1'601'000);
  t.step_finished(5, "ok", at_ms(1790), 1'790'000);
  log_at(t, 1800, "mach-down", "node1");
  log_at(t, 1801, "mach-down");  // "mach_down takeover complete." (no node): after the end
  return t;
}

}  // namespace

TEST_CASE("last failover: none when no takeover was recorded") {
  EventTimeline t;
  log_at(t, 1, "node-dead", "node1");
  CHECK_FALSE(observe::last_failover(events_of(t)).has_value());
}

TEST_CASE(
    "last failover: from the last heartbeat heard to mach_down complete, every event in order") {
  const auto t = crash_failover();
  const auto events = events_of(t);
  auto f = observe::last_failover(events);
  REQUIRE(f);
  CHECK(f->from_node == "node1");
  CHECK(f->cause == "dead");
  CHECK(f->complete);
  REQUIRE(f->entries.size() == 11);
  CHECK(f->entries.front().event.event == "heartbeat-last-heard");
  CHECK(f->entries[1].event.event == "node-dead");
  CHECK(f->entries[1].since_previous_us == 500'000);
  CHECK(f->entries.back().event.event == "mach-down");
  CHECK(f->total_us == 800'000);
}

TEST_CASE("last failover: the entries' durations add up to the total") {
  const auto t = crash_failover();
  const auto events = events_of(t);
  auto f = observe::last_failover(events);
  REQUIRE(f);
  std::int64_t sum = 0;
  for (const auto& e : f->entries) sum += e.since_previous_us;
  CHECK(sum == f->total_us);
  CHECK(f->entries.back().since_start_us == f->total_us);
}

TEST_CASE("last failover: each finished step with its own duration and outcome") {
  const auto t = crash_failover();
  const auto events = events_of(t);
  auto f = observe::last_failover(events);
  REQUIRE(f);
  REQUIRE(f->steps.size() == 3);
  CHECK(f->steps[0].text == "start 192.0.2.5");
  CHECK(f->steps[0].duration_us == 50'000);
  CHECK(f->steps[1].outcome == "stopped");
  CHECK(f->steps[2].text == "start httpsvc");
  CHECK(f->steps[2].duration_us == 189'000);
}

TEST_CASE("last failover: one still running is reported as not complete") {
  EventTimeline t;
  log_at(t, 100, "node-dead", "node2");
  log_at(t, 101, "takeover", "node2");
  t.step_started(1, "g", "start svc", at_ms(102), 102'000);
  auto f = observe::last_failover(events_of(t));
  REQUIRE(f);
  CHECK_FALSE(f->complete);
  CHECK(f->cause == "dead");
  CHECK(f->entries.size() == 3);
  CHECK(f->total_us == 2000);
}

TEST_CASE("last failover: a peer's shutdown notice starts the takeover it caused") {
  EventTimeline t;
  log_at(t, 100, "peer-shutdown", "node1");
  log_at(t, 101, "takeover");  // "acquire local HA resources (standby)."
  log_at(t, 102, "takeover", "node1");
  log_at(t, 300, "mach-down", "node1");
  auto f = observe::last_failover(events_of(t));
  REQUIRE(f);
  CHECK(f->cause == "shutdown");
  CHECK(f->entries.front().event.event == "peer-shutdown");
  CHECK(f->total_us == 200'000);
}

TEST_CASE("last failover: of two takeovers, the later one") {
  EventTimeline t = crash_failover();
  log_at(t, 5000, "node-dead", "node3");
  log_at(t, 5001, "takeover", "node3");
  log_at(t, 5100, "mach-down", "node3");
  auto f = observe::last_failover(events_of(t));
  REQUIRE(f);
  CHECK(f->from_node == "node3");
  CHECK(f->entries.size() == 3);
}
