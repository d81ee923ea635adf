// Node liveness: dead intervals, warntime, what refreshes a node
// (heartbeat-compat.md §5.7, §6.1).
#include <catch2/catch.hpp>

#include "tests/core/core_fixture.h"

using namespace vigil;
using namespace vigil::core;
using namespace vigil::core::testing;

TEST_CASE("deadtime: a peer silent for its own dt is declared dead", "[core][liveness]") {
  TwoNodes t;
  t.peer_status(1s, "eth0", "up", 3000);  // node2 advertises dt=3000 ms, ours is 10000
  auto a = run_until(t.core, t.now + 3s);
  CHECK_FALSE(has_log(a, "node node2: is dead"));
  auto b = run_until(t.core, t.now + 3s + 1ms);
  const Log* l = find_log(b, "node node2: is dead");
  REQUIRE(l != nullptr);
  CHECK(l->priority == log::Priority::kWarn);
  CHECK(events(b, EventKind::kNodeDead).size() == 1);
  CHECK(t.core.snapshot().node("node2")->status == "dead");
}

TEST_CASE("deadtime: a peer advertising a longer dt outlives our deadtime", "[core][liveness]") {
  TwoNodes t;
  t.peer_status(1s, "eth0", "up", 15000);
  auto a = run_until(t.core, t.now + 12s);
  CHECK_FALSE(has_log(a, "node node2: is dead"));
  auto b = run_until(t.core, t.now + 15s + 1ms);
  CHECK(has_log(b, "node node2: is dead"));
}

TEST_CASE("initdead: before comm up a heard peer is timed out with initdead, not its dt",
          "[core][liveness]") {
  auto config = make_config({"node1", "node2", "node3"});
  Core core(config, CoreParams{1, 1, 1});
  core.start(t0());
  core.on_message(messages::decode(status_msg(PeerMsg{"node2", 5, 1}, "up", 3000)), "eth0", t0());
  auto a = run_until(core, t0() + 10s);
  CHECK_FALSE(has_log(a, "node node2: is dead"));
  CHECK_FALSE(core.comm_up());
  auto b = run_until(core, t0() + 20s + 1ms);
  CHECK(has_log(b, "node node2: is dead"));
  CHECK(has_log(b, "node node3: is dead"));
  CHECK(core.comm_up());
}

TEST_CASE("warntime: a status later than warntime logs Late heartbeat", "[core][liveness]") {
  TwoNodes t;
  auto a = t.peer_status(6s);
  const Log* l = find_log(a, "Late heartbeat: Node node2: interval 6000 ms");
  REQUIRE(l != nullptr);
  CHECK(l->priority == log::Priority::kWarn);
}

TEST_CASE("warntime: a status within warntime logs nothing late", "[core][liveness]") {
  TwoNodes t;
  auto a = t.peer_status(5s);
  for (const auto& text : log_texts(a)) CHECK(text.find("Late heartbeat") == std::string::npos);
}

TEST_CASE("liveness: only status messages keep a node alive", "[core][liveness]") {
  TwoNodes t;
  // node2 keeps sending sequenced non-status messages, no status.
  Actions all;
  for (int i = 1; i <= 12; ++i) {
    t.now += 1s;
    append(all, run_until(t.core, t.now));
    ++t.peer.seq;
    append(all, t.core.on_message(messages::decode(typed_msg(t.peer, "resource")), "eth0", t.now));
  }
  CHECK(has_log(all, "node node2: is dead"));
  // ... while its link, refreshed by every valid packet, stays up.
  CHECK_FALSE(has_log(all, "Link node2:eth0 dead."));
}

TEST_CASE("liveness: a dead node comes back with NodeUp and a status update", "[core][liveness]") {
  TwoNodes t;
  run_until(t.core, t.now + 11s);
  REQUIRE(t.core.snapshot().node("node2")->dead);
  t.peer.hg += 1;  // it restarted
  auto a = t.peer_status(1s, "eth0", "init");
  CHECK(events(a, EventKind::kNodeUp).size() == 1);
  CHECK(has_log(a, "Status update for node node2: status init"));
  CHECK_FALSE(t.core.snapshot().node("node2")->dead);
}
