// DRBD's fence-peer exchange end to end on two real ClusterNodes (codec,
// signatures, membership cores, engines) with fake helpers: node1's handler
// asks, node2's resourced "runs" drbdadm outdate, node1's handler gets
// DRBD's exit code (issue 14, heartbeatd/engine/peer_outdate.h).
#include <catch2/catch.hpp>

#include "harness.h"

using namespace vigil;
using namespace vigil::ownership::test;
using P = conf::AutoFailback;

namespace {

// The seed group is resources #0 and #1; drbddisk::r0 is #2.
const std::vector<std::string> kDrbdGroup = {"node1 drbddisk::r0 192.168.1.6"};
constexpr std::uint16_t kR0Index = 2;

void settle(Cluster& c) {
  c.start(0);
  c.start(1);
  c.run_for(6s);  // past the 5 s a starting node advertises a longer deadtime
}

}  // namespace

TEST_CASE("drbd outdate: node1 asks, node2 outdates r0, node1's handler gets 4") {
  Cluster c(P::kOn, kDrbdGroup);
  settle(c);
  c.command(0, engine::OutdatePeer{9, "r0", "", 5s});
  c.run_for(500ms);
  CHECK(c.helpers(1).outdated == std::vector<std::uint16_t>{kR0Index});
  CHECK(c.helpers(0).outdated.empty());
  REQUIRE(c.outdate_answers(0).size() == 1);
  CHECK(c.outdate_answers(0)[0] ==
        engine::OutdateAnswer{9, engine::OutdateResult::kOutdated, "node2 answered outdated"});
}

TEST_CASE("drbd outdate: a peer whose drbdadm says primary (17) gives 6") {
  Cluster c(P::kOn, kDrbdGroup);
  settle(c);
  c.helpers(1).outdate_exit = 17;
  c.command(0, engine::OutdatePeer{4, "r0", "node2", 5s});
  c.run_for(500ms);
  REQUIRE(c.outdate_answers(0).size() == 1);
  CHECK(c.outdate_answers(0)[0].result == engine::OutdateResult::kPrimary);
}

TEST_CASE("drbd outdate: a peer cut off answers 5 once it is declared dead, not before") {
  Cluster c(P::kOn, kDrbdGroup);
  settle(c);
  c.partition(true);
  c.command(0, engine::OutdatePeer{5, "r0", "", 20s});
  c.run_for(200ms);
  CHECK(c.outdate_answers(0).empty());  // still up: the message may get through
  c.run_for(2s);                        // past the deadtime
  REQUIRE(c.outdate_answers(0).size() == 1);
  CHECK(c.outdate_answers(0)[0].result == engine::OutdateResult::kUnreachable);
  CHECK(c.helpers(1).outdated.empty());
}
