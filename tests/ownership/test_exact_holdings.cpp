// With more than two nodes, reports say exactly which groups their sender
// holds (`vigil_held`), and who takes, keeps and gives back a group is
// decided per group (heartbeatd/ownership/exact_holdings.cpp).
#include <catch2/catch.hpp>

#include "tests/ownership/harness.h"

using namespace vigil;
using namespace vigil::ownership;
using namespace vigil::ownership::test;
using K = core::EventKind;
using P = conf::AutoFailback;

namespace {

// node1..node3; node1's seed group is group 0, node3 has `node3 10.0.0.3`.
conf::Config three_nodes(const std::string& local, P policy = P::kOn) {
  conf::Config c = seed_config(local, policy, {"node3 10.0.0.3"});
  c.ha_cf.nodes.push_back("node3");
  return c;
}

wire::Message report(const std::string& held, const std::string& isstable = "1") {
  return msg({{"t", "resource"},
              {"rsc_hold", "foreign"},
              {"rtype", "full"},
              {"isstable", isstable},
              {"vigil", "1"},
              {"vigil_held", held}});
}

bool runs(const Rig& r, int group) {
  for (const auto& [g, p] : r.helpers.running)
    if (g == group) return true;
  return false;
}

// node2 up with node1 and node3, both heard and reported stable.
void settle_node2(Rig& r, const std::string& node1_holds, const std::string& node3_holds) {
  r.comm_up_with_peer("node1");
  r.event(K::kNodeUp, "node3");
  r.deliver("node1", report(node1_holds));
  r.deliver("node3", report(node3_holds));
}

}  // namespace

TEST_CASE("three nodes: our reports say which groups we hold; two nodes keep heartbeat's wire") {
  Rig r(three_nodes("node1"));
  settle_node2(r, "00", "01");  // (as node1: node1's own report is not read back)
  r.deliver("node2", report("00"));
  REQUIRE(runs(r, 0));
  const auto sent = r.sent_of("resource");
  REQUIRE_FALSE(sent.empty());
  CHECK(*sent.back().get("vigil_held") == "10");
  CHECK(*sent.back().get("rsc_hold") == "local");

  Rig two(seed_config("node1", P::kOn));
  two.comm_up_with_peer();
  two.deliver("node2",
              msg({{"t", "resource"}, {"rsc_hold", "none"}, {"rtype", "full"}, {"isstable", "1"}}));
  REQUIRE_FALSE(two.sent_of("resource").empty());
  for (const auto& m : two.sent_of("resource")) CHECK(m.get("vigil_held") == nullptr);
}

// node1 died while node3 held its group (node1 had been away, and came
// back with auto_failback off): `foreign` from node3 says nothing of
// whose group; its `vigil_held` says it is node1's, which stays there.
TEST_CASE("three nodes: a dead node's group a live peer holds stays with that peer") {
  Rig r(three_nodes("node2", P::kOff));
  settle_node2(r, "00", "11");
  r.event(K::kNodeDead, "node1");
  CHECK_FALSE(runs(r, 0));
  CHECK(r.logged("Resources being acquired from node1."));
}

// node2 comes up while node1 is dead and node3, not heard yet, may hold
// node1's group: nothing is taken on the death; node3's report decides.
TEST_CASE("three nodes: a death before every live peer reported waits for their reports") {
  Rig r(three_nodes("node2"));
  r.event(K::kNodeUp, "node3");
  r.event(K::kNodeDead, "node1");
  r.event(K::kCommUp);
  CHECK(r.helpers.running.empty());

  SECTION("the peer holds it: it stays there") {
    r.deliver("node3", report("11"));
    CHECK_FALSE(runs(r, 0));
  }
  SECTION("nobody holds it: the successor takes it once the report is in") {
    r.deliver("node3", report("01"));
    CHECK(runs(r, 0));
    CHECK(r.logged("No one owns foreign resources!"));
  }
}

TEST_CASE("three nodes: a group held twice stays with the holder nearer its home") {
  // node1's group: node2 follows node1 in ha.cf order, so node2 keeps it
  // and node3 gives it up; each decides alone with the same rule.
  Rig node2(three_nodes("node2"));
  Rig node3(three_nodes("node3"));
  node2.event(K::kNodeUp, "node3");
  node2.event(K::kNodeDead, "node1");
  node2.event(K::kCommUp);
  node2.deliver("node3", report("01"));
  REQUIRE(runs(node2, 0));
  node3.event(K::kNodeDead, "node1");  // node3 saw node2 die too: alone, it took both
  node3.event(K::kNodeDead, "node2");
  node3.event(K::kCommUp);
  REQUIRE(runs(node3, 0));
  node3.event(K::kNodeUp, "node2");

  node2.deliver("node3", report("11"));
  node3.deliver("node2", report("10"));
  CHECK(runs(node2, 0));
  CHECK_FALSE(runs(node3, 0));
  CHECK(node3.logged("Both machines own foreign resources!"));
}

TEST_CASE("three nodes: auto_failback gives a group back to its own home node only") {
  // node2 holds node1's and node3's groups; node1 comes back, node3 stays
  // dead: only group 0 is released, and node1's audit takes it.
  Rig r(three_nodes("node2"));
  r.event(K::kNodeDead, "node1");
  r.event(K::kNodeDead, "node3");
  r.event(K::kCommUp);
  REQUIRE(runs(r, 0));
  REQUIRE(runs(r, 1));
  r.event(K::kNodeUp, "node1");
  r.deliver("node1", report("00", "0"));  // starting: not yet
  CHECK(runs(r, 0));
  r.deliver("node1", report("00"));
  CHECK_FALSE(runs(r, 0));
  CHECK(runs(r, 1));
  CHECK(r.logged("auto_failback: giving resource group 192.168.1.5 back to its home node node1."));
  CHECK(*r.sent_of("resource").back().get("vigil_held") == "01");

  Rig home(three_nodes("node1"));
  home.comm_up_with_peer("node2");
  home.event(K::kNodeDead, "node3");
  home.deliver("node2", report("11"));
  CHECK_FALSE(runs(home, 0));
  home.deliver("node2", report("01"));
  CHECK(runs(home, 0));
}

TEST_CASE("three nodes: a report that misses a live peer's asks for it, answers ask nothing") {
  Rig r(three_nodes("node2"));
  settle_node2(r, "10", "01");
  r.event(K::kNodeDead, "node3");
  r.event(K::kNodeUp, "node3");  // back: its report is missing now
  const auto asked = r.sent_of("resource");
  REQUIRE_FALSE(asked.empty());
  CHECK(*asked.back().get("vigil_ask") == "1");
  r.clear();
  auto ask = report("10");
  ask.set("vigil_ask", "1");
  r.deliver("node1", ask);
  const auto answers = r.sent_of("resource");
  REQUIRE_FALSE(answers.empty());
  CHECK(answers.front().get("vigil_ask") == nullptr);  // the answer asks nothing back
}

TEST_CASE("three nodes: a report of another haresources is read by its class word, loudly") {
  Rig r(three_nodes("node2", P::kOff));
  settle_node2(r, "00", "111");
  CHECK(
      r.logged("node3 reports 3 resource groups held or not, haresources here has 2: "
               "haresources must be the same on every node; reading its class word instead."));
  r.event(K::kNodeDead, "node1");
  CHECK_FALSE(runs(r, 0));  // `foreign` from node3 may be node1's group: kept there
}

TEST_CASE("three nodes: hb_standby gives each group where a death would, and says so") {
  // node2 holds its own group 1; its standby sends it to node3 (node2's
  // successor), and node2's reports say it declines group 1.
  Rig r(three_nodes("node2"));
  settle_node2(r, "10", "01");
  REQUIRE_FALSE(runs(r, 1));  // node3 reported holding group 1: node2 took nothing
  Rig node2(three_nodes("node2"));
  node2.comm_up_with_peer("node1");
  node2.event(K::kNodeUp, "node3");
  node2.deliver("node1", report("10"));
  node2.deliver("node3", report("00"));
  REQUIRE(runs(node2, 1) == false);  // group 1 is node3's (file order: node1's, node3's)
  node2.apply(node2.own.standby(kAll, node2.now));
  CHECK(node2.logged("Going standby [all]."));
  const auto sent = node2.sent_of("resource");
  REQUIRE_FALSE(sent.empty());
  CHECK(*sent.back().get("vigil_away") == "11");

  // node3's view: node1 declines its group 0 and holds nothing: node3 is
  // not its target (node2 is, after node1), node2 declining too: node3.
  Rig node3(three_nodes("node3", P::kOff));  // off: only hb_takeover moves it back
  node3.comm_up_with_peer("node1");
  node3.event(K::kNodeUp, "node2");
  auto away = [](const std::string& held, const std::string& declined) {
    auto m = report(held);
    m.set("vigil_away", declined);
    return m;
  };
  node3.deliver("node2", away("00", "11"));
  node3.deliver("node1", away("00", "10"));
  CHECK(runs(node3, 0));
  CHECK(runs(node3, 1));

  SECTION("node1 takes its home group back: node3 releases it") {
    node3.clear();
    node3.deliver("node1", report("00"));  // its report comes first, declining nothing
    node3.deliver("node1", msg({{"t", "hb_takeover"}, {"rsc_hold", "local"}}));
    CHECK_FALSE(runs(node3, 0));
    CHECK(runs(node3, 1));
    CHECK(node3.logged("node1 takes its resource groups back (hb_takeover): releasing them."));
  }
}

TEST_CASE("three nodes: hb_takeover all is refused, failback sends takeover local") {
  Rig r(three_nodes("node1"));
  settle_node2(r, "00", "01");
  r.apply(r.own.takeover(kAll, false, r.now));
  CHECK(
      r.logged("hb_takeover with more than two nodes takes only this node's home groups back "
               "(local or failback); the others' groups move by the successor rule (node order "
               "of ha.cf)."));
  CHECK(r.sent_of("hb_takeover").empty());
  r.apply(r.own.takeover(kLocal, true, r.now));
  REQUIRE(r.sent_of("hb_takeover").size() == 1);
  CHECK(*r.sent_of("hb_takeover").front().get("rsc_hold") == "local");
}

// A health give-up is a standby of the group's class; vigilctl cleanup
// ends the decline, and the peers hear it at once.
TEST_CASE("three nodes: cleanup ends a health give-up's decline for the peers too") {
  Rig r(three_nodes("node1"));
  settle_node2(r, "00", "01");
  REQUIRE(runs(r, 0));
  r.apply(r.own.set_declined(kLocal));
  r.apply(r.own.standby(kLocal, r.now));
  CHECK_FALSE(runs(r, 0));
  REQUIRE(*r.sent_of("resource").back().get("vigil_away") == "10");
  r.clear();
  r.apply(r.own.set_declined(kNone));
  const auto sent = r.sent_of("resource");
  REQUIRE(sent.size() == 1);
  CHECK(sent.front().get("vigil_away") == nullptr);
}
