// Maintenance freezes placement (heartbeatd/ownership/maintenance.cpp): two
// engines back to back with resource health on, one behaviour per case.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "heartbeatd/engine/engine.h"
#include "tests/engine/engine_fixture.h"
#include "tests/engine/two_engines.h"

namespace vigil::engine {
namespace {

using namespace std::chrono_literals;
using test::Node;
using Held = std::set<std::pair<int, int>>;

// The seed's group [192.0.2.5 httpsvc] and a second one [192.0.2.6
// mailsvc], both at home on node1, with resource health on.
conf::Config health_config(const std::string& local) {
  conf::Config c = test::seed_config(local);
  test::add_group(c, "node1", 2, {"192.0.2.6", "mailsvc"});
  c.vigil_cf.health_check = true;
  c.vigil_cf.health_interval = 1s;
  c.vigil_cf.health_start_grace = 1s;
  return c;
}

const Held kBoth{{0, 0}, {0, 1}, {1, 0}, {1, 1}};

bool logged(const Node& n, const std::string& part) {
  return std::any_of(n.logs.begin(), n.logs.end(),
                     [&](const std::string& l) { return l.find(part) != std::string::npos; });
}

// Runs `input` on `n` and answers its helper calls; what it sends is lost
// (the only peer is dead or cut off).
void handle_alone(Node& n, const Input& input, MonoTime now) {
  n.run(n.engine.handle(input, now));
  n.answer_all(now);
}

// node1 dead: node2 ticks alone for `seconds`.
void alone(Node& n2, MonoTime& now, int seconds) {
  for (int step = 0; step < seconds * 20; ++step) {
    now += 50ms;
    handle_alone(n2, Tick{}, now);
  }
}

struct Pair {
  Pair() : n1(health_config("node1"), 10), n2(health_config("node2"), 20) {
    now = test::settle(n1, n2, 400);
    REQUIRE(n1.held == kBoth);
    REQUIRE(n2.held.empty());
  }
  void ticks(int count) {
    for (int step = 0; step < count; ++step) test::tick_both(n1, n2, out1, out2, now);
  }
  void to(Node& n, const Input& input) {
    auto sent = n.run(n.engine.handle(input, now));
    (&n == &n1 ? out1 : out2).insert((&n == &n1 ? out1 : out2).end(), sent.begin(), sent.end());
  }

  Node n1, n2;
  MonoTime now;
  std::vector<Received> out1, out2;
};

std::vector<std::pair<std::size_t, std::string>> held_back(const Node& n) {
  return n.engine.ownership()->held_back();
}

}  // namespace

TEST_CASE("maintenance of every group: a dead peer's groups wait for maintenance off") {
  Pair p;
  handle_alone(p.n2, Maintenance{true, {}}, p.now);
  alone(p.n2, p.now, 3);  // past deadtime: node1 is dead
  CHECK(p.n2.held.empty());
  CHECK(held_back(p.n2) ==
        std::vector<std::pair<std::size_t, std::string>>{{0, "node1"}, {1, "node1"}});
  CHECK(logged(p.n2, "Resource group 192.0.2.5 of dead node node1 NOT taken over"));
  alone(p.n2, p.now, 5);  // nothing moves by itself while it lasts
  CHECK(p.n2.held.empty());

  handle_alone(p.n2, Maintenance{false, {}}, p.now);
  CHECK(p.n2.held == kBoth);
  CHECK(held_back(p.n2).empty());
  CHECK(logged(p.n2, "Maintenance off: taking over what node1 held when it died."));
}

TEST_CASE("maintenance of one group: a dead peer's other groups are taken over at once") {
  Pair p;
  handle_alone(p.n2, Maintenance{true, std::size_t{1}}, p.now);
  alone(p.n2, p.now, 3);
  CHECK(p.n2.held == Held{{0, 0}, {0, 1}});
  CHECK(held_back(p.n2) == std::vector<std::pair<std::size_t, std::string>>{{1, "node1"}});

  handle_alone(p.n2, Maintenance{false, std::size_t{1}}, p.now);
  CHECK(p.n2.held == kBoth);
}

TEST_CASE("maintenance: a peer's standby request for a frozen group is not answered") {
  // A give-up for failures, an auto_failback and hb_standby look the same
  // on the wire: the peer's request times out and it keeps its groups.
  Pair p;
  p.to(p.n2, Maintenance{true, {}});
  p.to(p.n1, Standby{ownership::kAll});
  p.ticks(20 * 12);  // past the 10 s reply timeout
  CHECK(logged(p.n2, "standby message [me] from node1 not answered"));
  CHECK(logged(p.n1, "No reply to standby request.  Standby request cancelled."));
  CHECK(p.n1.held == kBoth);
  CHECK(p.n2.held.empty());
}

TEST_CASE("maintenance: an operator's standby on the frozen node still moves its groups") {
  Pair p;
  p.to(p.n1, Maintenance{true, {}});
  p.to(p.n1, Standby{ownership::kAll});
  p.ticks(20 * 5);
  CHECK(p.n2.held == kBoth);
  CHECK(p.n1.held.empty());
}

TEST_CASE("maintenance: a peer's graceful shutdown still hands its groups over") {
  // `service heartbeat stop` stopped them: maintenance keeps nothing on a
  // node that is going away.
  Pair p;
  p.to(p.n2, Maintenance{true, {}});
  p.to(p.n1, Shutdown{42});
  p.ticks(20 * 5);
  CHECK(p.n1.held.empty());
  CHECK(p.n2.held == kBoth);
  CHECK(held_back(p.n2).empty());
}

TEST_CASE("maintenance: a peer that returns before maintenance off settles its groups itself") {
  Pair p;
  handle_alone(p.n2, Maintenance{true, {}}, p.now);
  alone(p.n2, p.now, 3);
  REQUIRE(held_back(p.n2).size() == 2);
  p.ticks(20 * 15);  // node1 (it kept running: a cut link) is heard again
  handle_alone(p.n2, Maintenance{false, {}}, p.now);
  p.ticks(20 * 2);
  CHECK(p.n1.held == kBoth);
  CHECK(p.n2.held.empty());
  CHECK(held_back(p.n2).empty());
}

TEST_CASE("maintenance: auto_failback gives nothing back until it is off, and never spins") {
  Pair p;
  alone(p.n2, p.now, 3);  // node1 dies; node2 (not in maintenance) takes over
  REQUIRE(p.n2.held == kBoth);
  handle_alone(p.n2, Maintenance{true, {}}, p.now);
  Node back(health_config("node1"), 30);  // node1 restarts, a new generation
  std::vector<Received> out1 = back.run(back.engine.handle(Start{}, p.now)), out2;
  for (int step = 0; step < 20 * 20; ++step) {
    test::tick_both(back, p.n2, out1, out2, p.now);
    // The retry each second while frozen is a deadline ahead, not one
    // already past (which would wake heartbeatd's loop at once, forever).
    const auto next = p.n2.engine.next_deadline();
    REQUIRE(next);
    CHECK(*next > p.now);
  }
  CHECK(p.n2.held == kBoth);
  CHECK(back.held.empty());
  handle_alone(p.n2, Maintenance{false, {}}, p.now);
  for (int step = 0; step < 20 * 20; ++step) test::tick_both(back, p.n2, out1, out2, p.now);
  CHECK(back.held == kBoth);
  CHECK(p.n2.held.empty());
}

}  // namespace vigil::engine
