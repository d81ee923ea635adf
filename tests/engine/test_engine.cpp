// engine::Engine: the one sans-IO call. Two engines back to back, their
// Transmits handed to each other (control fields added as the executor
// adds them, no codec), their HelperCalls answered by a tiny in-memory
// helper. And the one lease formula.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/proto/lease.h"
#include "conf/haresources.h"
#include "heartbeatd/engine/engine.h"
#include "tests/engine/engine_fixture.h"
#include "tests/engine/two_engines.h"

namespace vigil::engine {
namespace {

using namespace std::chrono_literals;
namespace pi = proto::ipd;
namespace pr = proto::resourced;

using test::Node;
using test::settle;
using test::tick_both;

conf::Config config_of(const std::string& local) { return test::seed_config(local); }

}  // namespace

std::string field(const ClusterEvent& e, const std::string& name) {
  for (const auto& f : e.fields)
    if (f.name == name) return f.value;
  return "";
}

TEST_CASE("engine: cluster events are actions only when forwarding is on, in membership order") {
  SECTION("forwarding on: the peer's status changes, in order, as rc.d's status events") {
    Node n1("node1", 10, /*forward_events=*/true), n2("node2", 20);
    settle(n1, n2, 100);
    std::vector<std::string> peer_states;
    for (const auto& e : n1.events)
      if (e.event == proto::ClusterEvent::kStatus && field(e, "src") == "node2")
        peer_states.push_back(field(e, "st"));
    // §6.9: the peer is reported once as it comes, with the status it
    // announced (both start together, so it is already active), and not
    // again while nothing changes.
    CHECK(peer_states == std::vector<std::string>{"active"});
    bool link_up = false;
    for (const auto& e : n1.events)
      if (e.event == proto::ClusterEvent::kIfstat && field(e, "node") == "node2")
        link_up = link_up || field(e, "st") == "up";
    CHECK(link_up);
  }
  SECTION("forwarding off: the same run has no cluster event at all") {
    Node n1("node1", 10), n2("node2", 20);
    settle(n1, n2, 100);
    CHECK(n1.events.empty());
    CHECK(n2.events.empty());
  }
}

TEST_CASE("engine: two nodes back to back settle with the group on its home, seqs in order") {
  Node n1("node1", 10), n2("node2", 20);
  settle(n1, n2, 400);
  REQUIRE(n1.engine.ownership() != nullptr);
  REQUIRE(n2.engine.ownership() != nullptr);
  CHECK(n1.held == std::set<std::pair<int, int>>{{0, 0}, {0, 1}});
  CHECK(n2.held.empty());
  CHECK(n1.engine.ownership()->state() == ownership::ResourceState::kStable);
  CHECK(n2.engine.ownership()->state() == ownership::ResourceState::kStable);
}

TEST_CASE("engine: the survey's questions come before the first status") {
  Node n1("node1", 10);
  const Actions a = n1.engine.handle(Start{}, MonoTime(1000s));
  REQUIRE(a.size() >= 3);
  CHECK(std::holds_alternative<HelperCall>(a[0]));
  CHECK(std::holds_alternative<HelperCall>(a[1]));
  CHECK_FALSE(n1.engine.ready());
}

TEST_CASE("engine: a shutdown before the survey ends completes at once") {
  Node n1("node1", 10);
  n1.run(n1.engine.handle(Start{}, MonoTime(1000s)));
  const Actions a = n1.engine.handle(Shutdown{42}, MonoTime(1000s));
  REQUIRE(a.size() == 1);
  CHECK(std::holds_alternative<ShutdownComplete>(a[0]));
}

TEST_CASE("engine: membership alone makes no helper call and needs no survey") {
  const conf::Config c = config_of("node1");
  Engine e(c, EngineParams{.core = {.generation = 1, .first_seq = 1, .rng_seed = 1},
                           .resources = false});
  for (const auto& a : e.handle(Start{}, MonoTime(1000s)))
    CHECK_FALSE(std::holds_alternative<HelperCall>(a));
  CHECK(e.ownership() == nullptr);
}

TEST_CASE("lease: half the deadtime, within what Hello may carry") {
  using std::chrono::milliseconds;
  CHECK(proto::default_lease(milliseconds(500)) == milliseconds(250));
  CHECK(proto::default_lease(milliseconds(30'000)) == milliseconds(15'000));
  // Below the wire's minimum: the minimum.
  CHECK(proto::default_lease(milliseconds(150)) == milliseconds(proto::kMinLeaseMs));
  // A deadtime of 30 min: 10 min, the most Hello carries (check_lease), not
  // 15 min a helper would grant and heartbeatd could never ask for.
  CHECK(proto::default_lease(milliseconds(30 * 60'000)) == milliseconds(proto::kMaxLeaseMs));
  CHECK(proto::check_lease(
            static_cast<std::uint32_t>(proto::default_lease(milliseconds(30 * 60'000)).count()))
            .ok());
}

TEST_CASE("engine: after a healed partition the home node keeps the group and announces it again") {
  Node n1("node1", 10), n2("node2", 20);
  MonoTime now(1000s);
  auto out1 = n1.run(n1.engine.handle(Start{}, now));
  auto out2 = n2.run(n2.engine.handle(Start{}, now));
  // `cut` steps drop everything between the two (both still hold what
  // they hold: the heartbeat path alone is cut, §6.8).
  auto steps = [&](int count, bool cut) {
    for (int step = 0; step < count; ++step) tick_both(n1, n2, out1, out2, now, !cut);
  };
  steps(400, false);
  REQUIRE(n1.held == std::set<std::pair<int, int>>{{0, 0}, {0, 1}});
  CHECK(n1.announced.empty());
  steps(40, true);  // 2 s: node2 declares node1 dead and takes the group
  REQUIRE(n2.held == std::set<std::pair<int, int>>{{0, 0}, {0, 1}});
  steps(40, false);  // healed
  CHECK(n1.held == std::set<std::pair<int, int>>{{0, 0}, {0, 1}});
  CHECK(n2.held.empty());
  // The holder that stays announces its VIP (and only the VIP) again; the
  // node that gave it back announces nothing.
  REQUIRE_FALSE(n1.announced.empty());
  for (const auto& place : n1.announced) CHECK(place == std::pair<int, int>{0, 0});
  CHECK(n2.announced.empty());
  CHECK(std::find(n1.logs.begin(), n1.logs.end(),
                  "Announcing the IP addresses held here again: partition with node2 healed") !=
        n1.logs.end());
}

// corosync's quorum words (engine.cpp): the first is passed on even when it
// says "no" (a restart may have resumed groups that must then go,
// tests/ownership/test_quorum.cpp); after that, only changes.
TEST_CASE("engine: corosync's first quorum word counts even when it is no, then only changes") {
  const conf::Config c = config_of("node1");
  Engine e(c, EngineParams{.core = {.generation = 1, .first_seq = 1, .rng_seed = 1},
                           .resources = false,
                           .quorum_required = true});
  e.handle(Start{}, MonoTime(1000s));
  auto logged = [&](bool quorate) {
    std::vector<std::string> lines;
    for (const auto& a : e.handle(QuorumChange{quorate}, MonoTime(1001s)))
      if (const auto* l = std::get_if<Log>(&a)) lines.push_back(l->text);
    return lines;
  };
  CHECK(logged(false) == std::vector<std::string>{"Cluster is not quorate."});
  CHECK(logged(false).empty());
  CHECK(logged(true) == std::vector<std::string>{"Cluster is quorate."});
  CHECK(logged(true).empty());
  CHECK(logged(false) == std::vector<std::string>{"Cluster lost quorum."});
  CHECK_FALSE(e.quorate());
}

}  // namespace vigil::engine
