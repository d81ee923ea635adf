#include <catch2/catch.hpp>

#include "heartbeatd/observe/event_timeline.h"

using namespace vigil;
using observe::EventTimeline;

namespace {

MonoTime at_ms(int ms) { return MonoTime(std::chrono::milliseconds(ms)); }

core::Log event_log(std::string id, std::string node = {}, std::string text = "line") {
  core::Log l{log::Priority::kInfo, std::move(text), {}};
  if (!node.empty()) l.fields.emplace_back("VIGIL_NODE", node);
  l.fields.emplace_back("VIGIL_EVENT", std::move(id));
  return l;
}

}  // namespace

TEST_CASE("timeline: a Log with a VIGIL_EVENT id is kept with both stamps and its fields") {
  EventTimeline t;
  core::Log l = event_log("link-dead", "node1", "Link node1:eth1 dead.");
  l.fields.emplace_back("VIGIL_LINK", "eth1");
  l.priority = log::Priority::kWarn;
  t.record_log(l, at_ms(1500), 1'700'000'000'000'000);
  REQUIRE(t.events().size() == 1);
  const auto& e = t.events().front();
  CHECK(e.seq == 1);
  CHECK(e.mono_us == 1'500'000);
  CHECK(e.wall_us == 1'700'000'000'000'000);
  CHECK(e.event == "link-dead");
  CHECK(e.node == "node1");
  CHECK(e.link == "eth1");
  CHECK(e.priority == 4);
  CHECK(e.text == "Link node1:eth1 dead.");
}

TEST_CASE("timeline: a Log without a VIGIL_EVENT id is not a cluster event and is not kept") {
  EventTimeline t;
  t.record_log(core::Log{log::Priority::kInfo, "debug chatter", {}}, at_ms(1), 1);
  CHECK(t.events().empty());
  CHECK(t.newest_seq() == 0);
}

TEST_CASE("timeline: at capacity the oldest event goes, seq keeps growing and counts never drop") {
  EventTimeline t(3);
  for (int i = 0; i < 5; ++i) t.record_log(event_log("late-heartbeat"), at_ms(i), i);
  REQUIRE(t.events().size() == 3);
  CHECK(t.events().front().seq == 3);
  CHECK(t.events().back().seq == 5);
  CHECK(t.newest_seq() == 5);
  CHECK(t.count("late-heartbeat") == 5);
  CHECK(t.count("node-dead") == 0);
}

TEST_CASE("timeline: after(seq) pages from the event after seq, also once older ones are gone") {
  EventTimeline t(4);
  for (int i = 0; i < 6; ++i) t.record_log(event_log("node-status"), at_ms(i), i);  // kept: 3..6
  auto all = t.after(0, 10);
  REQUIRE(all.size() == 4);
  CHECK(all.front().seq == 3);
  auto page = t.after(3, 2);
  REQUIRE(page.size() == 2);
  CHECK(page[0].seq == 4);
  CHECK(page[1].seq == 5);
  CHECK(t.after(6, 10).empty());
  CHECK(t.after(99, 10).empty());
}

TEST_CASE("timeline: a finished step carries the started step's text, group and duration") {
  EventTimeline t;
  t.step_started(7, "192.0.2.5", "start httpsvc", at_ms(100), 1'000'000);
  t.step_finished(7, "ok", at_ms(350), 1'250'000);
  REQUIRE(t.events().size() == 2);
  const auto& done = t.events().back();
  CHECK(done.event == "step-finished");
  CHECK(done.step_id == 7);
  CHECK(done.group == "192.0.2.5");
  CHECK(done.text == "start httpsvc");
  CHECK(done.outcome == "ok");
  CHECK(done.step_us == 250'000);
}

TEST_CASE("timeline: a failed step is recorded at warning priority") {
  EventTimeline t;
  t.step_started(1, "g", "start svc", at_ms(0), 0);
  t.step_finished(1, "failed", at_ms(5), 5000);
  CHECK(t.events().back().priority == 4);
}

TEST_CASE("timeline: a finish without a recorded start is kept without duration") {
  EventTimeline t;
  t.step_finished(9, "ok", at_ms(5), 5000);
  REQUIRE(t.events().size() == 1);
  CHECK(t.events().front().step_us == 0);
  CHECK(t.events().front().text.empty());
}

TEST_CASE("timeline: the last heartbeat heard is stamped when it was heard, in both clocks") {
  EventTimeline t;
  t.record_last_heard("node1", at_ms(1000), at_ms(1600), 50'000'000);
  const auto& e = t.events().front();
  CHECK(e.event == "heartbeat-last-heard");
  CHECK(e.node == "node1");
  CHECK(e.mono_us == 1'000'000);
  CHECK(e.wall_us == 49'400'000);
}

TEST_CASE("timeline: long texts are cut to what one event may carry") {
  EventTimeline t;
  t.record_log(event_log("node-status", "n", std::string(2000, 'x')), at_ms(0), 0);
  CHECK(t.events().front().text.size() == proto::control::kMaxEventText);
}
