// The replay filter (heartbeat-compat.md §5.8).
#include <catch2/catch.hpp>

#include "tests/core/core_fixture.h"

using namespace vigil;
using namespace vigil::core;
using namespace vigil::core::testing;

TEST_CASE("replay: an older generation is dropped, counted, and logged once a minute",
          "[core][replay]") {
  TwoNodes t;
  Actions all;
  for (int i = 0; i < 10; ++i) {
    t.now += 3s;
    append(all, t.core.on_message(messages::decode(status_msg(PeerMsg{"node2", 0xff, 50})), "eth0",
                                  t.now));
  }
  const std::string text =
      "should_drop_message: attempted replay attack [node2]? [gen = 255, curgen = 256]";
  const auto texts = log_texts(all);
  CHECK(std::count(texts.begin(), texts.end(), text) == 1);
  const Log* l = find_log(all, text);
  REQUIRE(l != nullptr);
  CHECK(l->priority == log::Priority::kError);
  CHECK(t.core.snapshot().node("node2")->replay_drops == 10);
  CHECK(t.core.snapshot().counters.replay_drops == 10);
  // A minute after the first line, the next replay is logged again.
  t.now += 40s;
  auto b =
      t.core.on_message(messages::decode(status_msg(PeerMsg{"node2", 0xff, 51})), "eth0", t.now);
  CHECK(has_log(b, text));
}

TEST_CASE("replay: an older-generation status keeps neither node nor link alive",
          "[core][replay]") {
  TwoNodes t;
  Actions all;
  for (int i = 0; i < 12; ++i) {
    t.now += 1s;
    append(all, run_until(t.core, t.now));
    const PeerMsg old{"node2", 0xff, static_cast<std::uint64_t>(100 + i)};
    append(all, t.core.on_message(messages::decode(status_msg(old)), "eth0", t.now));
  }
  CHECK(has_log(all, "node node2: is dead"));
  CHECK(has_log(all, "Link node2:eth0 dead."));
}

TEST_CASE("replay: an old seq of the current generation that is not missing is dropped",
          "[core][replay]") {
  TwoNodes t;
  t.peer_status(1s);
  t.peer_status(1s);
  const auto before = t.core.snapshot();
  auto a = t.core.on_message(messages::decode(status_msg(PeerMsg{"node2", 0x100, 1})), "eth1",
                             t.now + 1ms);
  CHECK(log_texts(a).empty());
  CHECK(t.core.snapshot().same_state(before));
}

TEST_CASE("restart: a status with a newer generation logs Heartbeat restart on node",
          "[core][replay]") {
  TwoNodes t;
  t.peer.hg = 0x101;
  t.peer.seq = 0;
  auto a = t.peer_status(1s, "eth0", "init");
  CHECK(log_texts(a) == std::vector<std::string>{"Heartbeat restart on node node2",
                                                 "Status update for node node2: status init"});
  CHECK(events(a, EventKind::kPeerRestarted).size() == 1);
  CHECK(*t.core.snapshot().node("node2")->generation == 0x101);
  CHECK(t.core.snapshot().node("node2")->last_seq == 1);
}

TEST_CASE("restart: a non-status message with a newer generation is dropped", "[core][replay]") {
  TwoNodes t;
  const auto before = t.core.snapshot();
  auto a = t.core.on_message(messages::decode(typed_msg(PeerMsg{"node2", 0x101, 1}, "resource")),
                             "eth0", t.now);
  CHECK(sends(a).empty());
  CHECK(log_texts(a).empty());
  CHECK(t.core.snapshot().same_state(before));
}

TEST_CASE("sequence: a gap is logged as lost packets with [last:seq]", "[core][seq]") {
  TwoNodes t;
  t.peer.seq = 2;  // the next status is seq 3: seq 2 lost
  auto a = t.peer_status(1s);
  const Log* l = find_log(a, "1 lost packet(s) for [node2] [1:3]");
  REQUIRE(l != nullptr);
  CHECK(l->priority == log::Priority::kWarn);
  CHECK(t.core.snapshot().node("node2")->missing == 1);
  CHECK(t.core.snapshot().node("node2")->lost_packets == 1);
}

TEST_CASE("sequence: filling the last gap logs No pkts missing", "[core][seq]") {
  TwoNodes t;
  t.peer.seq = 3;
  t.peer_status(1s);  // seq 4: 2 and 3 missing
  auto a = t.core.on_message(messages::decode(typed_msg(PeerMsg{"node2", 0x100, 2}, "resource")),
                             "eth0", t.now);
  CHECK_FALSE(has_log(a, "No pkts missing from node2!"));
  CHECK(events(a, EventKind::kNodeUp).empty());
  auto b = t.core.on_message(messages::decode(typed_msg(PeerMsg{"node2", 0x100, 3}, "resource")),
                             "eth0", t.now);
  CHECK(has_log(b, "No pkts missing from node2!"));
  CHECK(t.core.snapshot().node("node2")->missing == 0);
}

TEST_CASE("sequence: a gap over 250 packets resets tracking with lost a lot of packets!",
          "[core][seq]") {
  TwoNodes t;
  t.peer.seq = 1 + 251;  // next status is seq 253: 251 missing
  auto a = t.peer_status(1s);
  const Log* l = find_log(a, "lost a lot of packets!");
  REQUIRE(l != nullptr);
  CHECK(l->priority == log::Priority::kError);
  CHECK(t.core.snapshot().node("node2")->missing == 0);
  CHECK(t.core.snapshot().node("node2")->last_seq == 253);
}

TEST_CASE("sequence: a gap-filling status refreshes neither liveness nor status", "[core][seq]") {
  TwoNodes t;
  t.peer.seq = 2;
  t.peer_status(1s, "eth0", "up");  // seq 3, seq 2 missing
  const MonoTime last = t.core.snapshot().node("node2")->last_status;
  auto a = t.core.on_message(messages::decode(status_msg(PeerMsg{"node2", 0x100, 2}, "init")),
                             "eth0", t.now + 500ms);
  CHECK(has_log(a, "No pkts missing from node2!"));
  CHECK(t.core.snapshot().node("node2")->last_status == last);
  CHECK(t.core.snapshot().node("node2")->status == "up");
}
