// ipfail end to end through two real engines back to back (two_engines.h):
// the core, the ownership module and ipfail (ipfail.h, §8.2) of each node,
// a ping node that answers each node's probes until it is "cut" from one.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "heartbeatd/engine/engine.h"
#include "tests/engine/engine_fixture.h"
#include "tests/engine/two_engines.h"

namespace vigil::engine {
namespace {

using namespace std::chrono_literals;
using test::Node;

conf::Config ipfail_config(const std::string& local) {
  conf::Config c = test::seed_config(local);
  c.vigil_cf.ipfail = true;
  c.vigil_cf.health_check = true;  // maintenance needs it
  conf::Medium ping;
  ping.kind = conf::MediumKind::kPing;
  ping.address = "10.0.0.254";
  c.ha_cf.media.push_back(ping);
  c.ha_cf.deadping = c.ha_cf.deadtime;
  return c;
}

// Our own probe coming back from the router (io::IcmpProber's hand-in).
Received echo() {
  Received r;
  r.link = "10.0.0.254";
  r.message.header.type = std::string(messages::kPingStatusType);
  r.message.header.src = "10.0.0.254";
  r.message.body = messages::PingStatus{"ping", "ping"};
  return r;
}

bool logged(const Node& n, const std::string& part) {
  return std::any_of(n.logs.begin(), n.logs.end(),
                     [&](const std::string& l) { return l.find(part) != std::string::npos; });
}

struct Pair {
  Pair() : n1(ipfail_config("node1"), 10), n2(ipfail_config("node2"), 20) {
    now = MonoTime(1000s);
    out1 = n1.run(n1.engine.handle(Start{}, now));
    out2 = n2.run(n2.engine.handle(Start{}, now));
    ticks(400);
    REQUIRE(n1.held.size() == 2);  // the seed group, home on node1
    REQUIRE(n2.held.empty());
  }
  // 50 ms ticks; the router answers each node it is not cut from.
  void ticks(int count) {
    for (int step = 0; step < count; ++step) {
      if (router1) n1.run(n1.engine.handle(echo(), now));
      if (router2) n2.run(n2.engine.handle(echo(), now));
      test::tick_both(n1, n2, out1, out2, now);
    }
  }
  Node n1, n2;
  MonoTime now;
  std::vector<Received> out1, out2;
  bool router1 = true, router2 = true;
};

}  // namespace

TEST_CASE("ipfail engines: node1 loses the router, its group moves to node2 by standby") {
  Pair p;
  p.router1 = false;
  p.ticks(60);  // deadping 500 ms, 2 x keepalive, the standby walks
  CHECK(logged(p.n1, "Giving up because we were told that we have less ping nodes."));
  CHECK(logged(p.n2, "Telling other node that we have more visible ping nodes."));
  CHECK(p.n1.held.empty());
  CHECK(p.n2.held.size() == 2);

  // Back: equal counts, auto_failback on: node2 gives it home.
  p.router1 = true;
  p.ticks(60);
  CHECK(logged(p.n2, "Giving up foreign resources (auto_failback)."));
  CHECK(p.n1.held.size() == 2);
  CHECK(p.n2.held.empty());
}

TEST_CASE("ipfail engines: both lose the router: nothing moves") {
  Pair p;
  p.router1 = p.router2 = false;
  p.ticks(60);
  CHECK(p.n1.held.size() == 2);
  CHECK(p.n2.held.empty());
  CHECK_FALSE(logged(p.n1, "giveup() called"));
}

TEST_CASE("ipfail engines: a group in maintenance is not given up") {
  Pair p;
  p.n1.run(p.n1.engine.handle(Maintenance{true, {}}, p.now));
  const auto stable_reads = [&] {
    return std::count_if(p.n1.logs.begin(), p.n1.logs.end(), [](const std::string& l) {
      return l.find("remote resource transition completed.") != std::string::npos;
    });
  };
  const auto before = stable_reads();
  p.router1 = false;
  p.ticks(100);  // deadping, 2 x keepalive, Ipfail::kPeerGiveupGrace
  CHECK(logged(p.n1, "ipfail: not giving up [all]: a group of it is in maintenance"));
  CHECK(p.n1.held.size() == 2);
  CHECK(p.n2.held.empty());
  // No standby request came after node2's you_are_dead: node2 sends its
  // stable report once (what a heartbeat peer's deferred give-up waits for,
  // ipfail.h); node1 reads it as one more stable report, nothing moves.
  CHECK(logged(p.n2, "ipfail: node1 did not ask to go standby after you_are_dead"));
  CHECK(stable_reads() == before + 1);
}

}  // namespace vigil::engine
