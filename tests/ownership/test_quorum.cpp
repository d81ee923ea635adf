// Quorum guards resources (ownership/quorum.cpp) and the successor rule
// for more than two nodes (ownership/successor.cpp), driven by plain calls.
#include <catch2/catch.hpp>

#include "harness.h"

using namespace vigil;
using namespace vigil::ownership;
using namespace vigil::ownership::test;
using K = core::EventKind;
using P = conf::AutoFailback;

namespace {

wire::Message stable_report(const std::string& hold) {
  return msg({{"t", "resource"}, {"rsc_hold", hold}, {"rtype", "full"}, {"isstable", "1"}});
}

conf::Config three_nodes(const std::string& local) {
  conf::Config c = seed_config(local, P::kOn);
  c.ha_cf.nodes.push_back("node3");
  return c;
}

}  // namespace

TEST_CASE("quorum lost: the holder releases every group at once and holds nothing") {
  Rig r(seed_config("node1", P::kOn));
  r.comm_up_with_peer();
  r.deliver("node2", stable_report("local"));
  REQUIRE(r.helpers.running.size() == 2);
  r.apply(r.own.on_quorum(false, {"node1"}, r.now));
  CHECK(r.helpers.running.empty());
  CHECK(r.own.i_hold() == kNone);
  CHECK(r.logged("No quorum: releasing every resource group held here."));
  CHECK(r.logged("Resource groups released for lack of quorum."));
}

// heartbeatd restarted (its helpers kept the group) while this node lost
// quorum: the module is built "not quorate" before corosync's first word,
// and that word, "no quorum", still releases what the restart resumed.
TEST_CASE("quorum never had since a restart: what the restart resumed is released") {
  OwnershipParams p;
  p.held_at_start = std::vector<bool>{true};
  p.resumed = true;
  p.quorate = false;
  Rig r(seed_config("node1", P::kOn), p);
  r.comm_up_with_peer();
  REQUIRE(r.own.i_hold() == kLocal);
  r.apply(r.own.on_quorum(false, {"node1"}, r.now));
  CHECK(r.own.i_hold() == kNone);
  CHECK(r.logged("No quorum: releasing every resource group held here."));
  REQUIRE(r.helpers.seen.size() == 2);
  CHECK(r.helpers.seen[0].op == ResourceOp::kStop);

  SECTION("told again, with nothing held, it does nothing more") {
    const auto seen = r.helpers.seen.size();
    r.apply(r.own.on_quorum(false, {"node1"}, r.now));
    CHECK(r.helpers.seen.size() == seen);
  }
}

// Two nodes of a minority: each stable report would run the other's audit,
// whose take-back report (refused without quorum) ran this one's again.
TEST_CASE("without quorum: a peer's stable report runs no audit and sends nothing") {
  Rig r(seed_config("node1", P::kOn));
  r.comm_up_with_peer();
  r.deliver("node2", stable_report("none"));
  r.apply(r.own.on_quorum(false, {"node1", "node2"}, r.now));
  r.clear();
  r.deliver("node2", stable_report("none"));
  CHECK(r.sent_of("resource").empty());
  CHECK_FALSE(r.logged("Taking our resource groups back: no node holds them."));
  CHECK(r.helpers.running.empty());
}

TEST_CASE("without quorum: a dead peer's groups are not taken, commands are refused") {
  Rig r(seed_config("node2", P::kOn));
  r.comm_up_with_peer("node1");
  r.deliver("node1", stable_report("local"));
  r.apply(r.own.on_quorum(false, {"node2"}, r.now));
  r.event(K::kNodeDead, "node1");
  CHECK(r.helpers.running.empty());
  CHECK(r.logged("No quorum: not taking over the resource groups of node1."));
  r.apply(r.own.takeover(kAll, false, r.now));
  CHECK(r.helpers.running.empty());
  CHECK(r.logged("No quorum: resource groups cannot move now."));

  SECTION("quorum gained without the dead peer: its groups are taken over") {
    r.apply(r.own.on_quorum(true, {"node2"}, r.now));
    CHECK(r.helpers.running.size() == 2);
  }
  SECTION("quorum gained with the peer a member again: nothing is taken blindly") {
    r.apply(r.own.on_quorum(true, {"node1", "node2"}, r.now));
    CHECK(r.helpers.running.empty());
  }
}

TEST_CASE("three nodes: only the home node's first surviving successor takes its group") {
  Rig node2(three_nodes("node2"));
  Rig node3(three_nodes("node3"));
  for (Rig* r : {&node2, &node3}) {
    r->comm_up_with_peer("node1");
    const std::string other = r == &node2 ? "node3" : "node2";
    r->event(K::kNodeUp, other);
    r->deliver("node1", stable_report("local"));
    r->deliver(other, stable_report("none"));
    r->event(K::kNodeDead, "node1");
  }
  CHECK(node2.helpers.running.size() == 2);  // node2 follows node1 in ha.cf order
  CHECK(node3.helpers.running.empty());

  SECTION("the successor dies too: the next survivor takes the group") {
    node3.event(K::kNodeDead, "node2");
    CHECK(node3.helpers.running.size() == 2);
  }
}
