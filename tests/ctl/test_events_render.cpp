#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "vigilctl/events_render.h"

using namespace vigil;
namespace c = vigil::proto::control;

namespace {

c::TimelineEvent event(std::uint64_t seq, std::int64_t ms, std::string id, std::string text) {
  c::TimelineEvent e;
  e.seq = seq;
  e.mono_us = ms * 1000;
  e.wall_us = 1'765'000'000'000'000 + ms * 1000;
  e.event = std::move(id);
  e.text = std::move(text);
  return e;
}

std::tm utc(std::int64_t wall_us) {
  const std::time_t s = static_cast<std::time_t>(wall_us / 1000000);
  std::tm tm{};
  gmtime_r(&s, &tm);
  return tm;
}

}  // namespace

TEST_CASE("events render: one line with the wall clock to the millisecond, id and text") {
  const auto e = event(1, 118, "link-dead", "Link node1:eth1 dead.");
  CHECK(ctl::render_event_line(e, utc(e.wall_us)) ==
        "2025-12-06 05:46:40.118  link-dead              Link node1:eth1 dead.\n");
}

TEST_CASE("events render: a finished step says its outcome and how long it took") {
  auto e = event(2, 0, "step-finished", "start httpsvc");
  e.outcome = "ok";
  e.step_us = 189000;
  CHECK(ctl::render_event_line(e, utc(e.wall_us)).ends_with("start httpsvc: ok in 189 ms\n"));
}

TEST_CASE("events render: JSON lines carry every field under its documented name") {
  auto e = event(3, 5, "step-finished", "start httpsvc");
  e.node = "node1";
  e.group = "192.0.2.5";
  e.step_id = 9;
  e.outcome = "failed";
  e.step_us = 12;
  const std::string line = ctl::render_event_json(e);
  REQUIRE(line.ends_with("}\n"));
  auto j = nlohmann::json::parse(line);
  CHECK(j["seq"] == 3);
  CHECK(j["event"] == "step-finished");
  CHECK(j["node"] == "node1");
  CHECK(j["group"] == "192.0.2.5");
  CHECK(j["step_id"] == 9);
  CHECK(j["outcome"] == "failed");
  CHECK(j["step_us"] == 12);
  CHECK(j["wall_us"] == e.wall_us);
  CHECK(j["mono_us"] == e.mono_us);
}

TEST_CASE("events render: the last failover names the node, cause, total and each entry") {
  observe::Failover f;
  f.from_node = "node1";
  f.cause = "dead";
  f.complete = true;
  f.total_us = 800000;
  f.entries = {
      {event(1, 1000, "heartbeat-last-heard", "last heartbeat heard from node1"), 0, 0},
      {event(2, 1500, "node-dead", "node node1: is dead"), 500000, 500000},
      {event(3, 1800, "mach-down", "mach_down takeover complete for node node1."), 800000, 300000}};
  f.steps = {{"192.0.2.5", "start httpsvc", "ok", 189000}};
  const std::string text = ctl::render_failover(f);
  CHECK(
      text.starts_with("Last failover: resources taken over from node1 (declared dead), 800 ms "
                       "from the last heartbeat heard to done\n"));
  CHECK(text.find("    0.500     +0.500  node-dead") != std::string::npos);
  CHECK(text.find("    0.800     +0.300  mach-down") != std::string::npos);
  CHECK(text.find("189 ms  ok       start httpsvc (group 192.0.2.5)") != std::string::npos);
  auto j = nlohmann::json::parse(ctl::render_failover_json(f));
  CHECK(j["from_node"] == "node1");
  CHECK(j["total_us"] == 800000);
  CHECK(j["entries"].size() == 3);
  CHECK(j["entries"][1]["since_previous_us"] == 500000);
  CHECK(j["steps"][0]["duration_us"] == 189000);
}

TEST_CASE("events render: durations read in the unit that suits them") {
  CHECK(ctl::human_duration(850) == "850 us");
  CHECK(ctl::human_duration(12'400) == "12 ms");
  CHECK(ctl::human_duration(1'234'000) == "1.234 s");
}
