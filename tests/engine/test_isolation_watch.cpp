// The isolated node and the two-holders warning (heartbeatd/engine/
// isolation.h): plain calls with membership events.
#include <catch2/catch.hpp>
#include <string>

#include "heartbeatd/engine/isolation.h"
#include "tests/engine/engine_fixture.h"

namespace vigil::engine {
namespace {

using core::EventKind;
using core::MembershipEvent;

conf::Config with_ping(const char* host = "10.0.0.254") {
  conf::Config c = test::seed_config();
  conf::Medium m;
  m.kind = conf::MediumKind::kPing;
  m.address = host;
  c.ha_cf.media.push_back(m);
  return c;
}

IsolationWatch::Verdict ev(IsolationWatch& w, EventKind kind, std::string node = {},
                           std::string detail = {}) {
  return w.on_membership(MembershipEvent{kind, std::move(node), {}, std::move(detail)}, MonoTime{});
}

bool has_event(const IsolationWatch::Verdict& v, const std::string& id) {
  for (const auto& l : v.logs)
    for (const auto& [k, value] : l.fields)
      if (k == "VIGIL_EVENT" && value == id) return true;
  return false;
}

// Comm up with node2 and the ping node alive.
IsolationWatch up(const conf::Config& c) {
  IsolationWatch w(c);
  ev(w, EventKind::kNodeUp, "node2");
  ev(w, EventKind::kNodeUp, "10.0.0.254");
  ev(w, EventKind::kStatusChanged, "10.0.0.254", "ping");
  ev(w, EventKind::kCommUp);
  return w;
}

}  // namespace

TEST_CASE("isolation: the peer and every ping node dead: release, once, with a loud line") {
  const conf::Config c = with_ping();
  IsolationWatch w = up(c);
  CHECK_FALSE(ev(w, EventKind::kNodeDead, "10.0.0.254").edge);  // the peer still answers
  auto v = ev(w, EventKind::kNodeDead, "node2");
  REQUIRE(v.edge == IsolationWatch::Edge::kIsolated);
  CHECK(has_event(v, "isolated-release"));
  CHECK(v.logs.back().priority == log::Priority::kCrit);
  CHECK(v.logs.back().text.find("Isolated: no link to node2 and no ping node answers") == 0);
  CHECK(w.isolated());
  CHECK_FALSE(ev(w, EventKind::kNodeDead, "node2").edge);

  // The ping node answers again: a deadtime for the peer to show up (a
  // cable back brings both), then everything is taken back, loudly.
  v = ev(w, EventKind::kStatusChanged, "10.0.0.254", "ping");
  CHECK_FALSE(v.edge);
  CHECK_FALSE(w.isolated());
  REQUIRE(w.next_deadline() == MonoTime{} + c.ha_cf.deadtime);
  CHECK_FALSE(w.on_tick(MonoTime{} + c.ha_cf.deadtime - std::chrono::milliseconds(1)).edge);
  v = w.on_tick(MonoTime{} + c.ha_cf.deadtime);
  CHECK(v.edge == IsolationWatch::Edge::kReachable);
  CHECK(has_event(v, "two-holders-possible"));
  CHECK_FALSE(w.next_deadline());
}

TEST_CASE("isolation: the peer heard within that deadtime: no take-back, §6.8 decides") {
  const conf::Config c = with_ping();
  IsolationWatch w = up(c);
  ev(w, EventKind::kNodeDead, "node2");
  ev(w, EventKind::kNodeDead, "10.0.0.254");
  ev(w, EventKind::kStatusChanged, "10.0.0.254", "ping");
  REQUIRE(w.next_deadline());
  CHECK_FALSE(ev(w, EventKind::kPeerReturnedAfterPartition, "node2").edge);
  CHECK_FALSE(w.next_deadline());
  CHECK_FALSE(w.on_tick(MonoTime{} + std::chrono::hours(1)).edge);
}

TEST_CASE("isolation: the other order (ping nodes last) releases too; the peer's return ends it") {
  const conf::Config c = with_ping();
  IsolationWatch w = up(c);
  ev(w, EventKind::kNodeDead, "node2");
  CHECK(ev(w, EventKind::kNodeDead, "10.0.0.254").edge == IsolationWatch::Edge::kIsolated);
  CHECK_FALSE(ev(w, EventKind::kPeerReturnedAfterPartition, "node2").edge);
  CHECK_FALSE(w.isolated());
}

TEST_CASE("isolation: never without ping nodes, and never before comm up") {
  IsolationWatch none(test::seed_config());
  CHECK_FALSE(none.applies());
  ev(none, EventKind::kCommUp);
  CHECK_FALSE(ev(none, EventKind::kNodeDead, "node2").edge);

  const conf::Config c = with_ping();
  IsolationWatch early(c);
  ev(early, EventKind::kNodeDead, "node2");
  ev(early, EventKind::kNodeDead, "10.0.0.254");
  CHECK_FALSE(early.isolated());  // a lone start is heartbeat's (isolation.h)
}

TEST_CASE("tie-break: the peer dead while a ping node answers, no fencing: two holders possible") {
  const conf::Config c = with_ping();
  IsolationWatch w = up(c);
  auto v = ev(w, EventKind::kNodeDead, "node2");
  CHECK_FALSE(v.edge);
  CHECK(has_event(v, "two-holders-possible"));

  conf::Config fenced = with_ping();
  fenced.ha_cf.stonith_host.push_back("* external/ipmi node2 10.0.0.9");
  IsolationWatch f = up(fenced);
  CHECK_FALSE(has_event(ev(f, EventKind::kNodeDead, "node2"), "two-holders-possible"));
}

}  // namespace vigil::engine
