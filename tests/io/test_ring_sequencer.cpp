// RingSequencer (heartbeatd/io/ring_sequencer.h): no CPG membership reaches
// the engine before the quorum of its ring.
#include <catch2/catch.hpp>

#include "heartbeatd/io/ring_sequencer.h"

using vigil::io::RingSequencer;

namespace {

const RingSequencer::Membership* membership(const RingSequencer::Event& e) {
  return std::get_if<RingSequencer::Membership>(&e);
}

}  // namespace

TEST_CASE("ring sequencer: nodes down wait for the next ring's quorum, then go with it") {
  RingSequencer s;
  s.on_ring(4);
  s.on_quorum(true, 4);
  s.on_members({1, 2, 3}, false);
  auto first = s.take();
  REQUIRE(first.size() == 2);  // the quorum, then the membership
  REQUIRE(membership(first[1]));
  CHECK(membership(first[1])->quorate);

  // A split: the leaves come while corosync syncs ring 8, before its
  // totem confchg and before the quorum service's notification.
  s.on_members({1}, /*nodes_down=*/true);
  s.on_delivery(1, {std::byte{'x'}});
  CHECK(s.take().empty());
  CHECK(s.waiting());
  s.on_ring(8);
  CHECK(s.take().empty());
  s.on_quorum(false, 8);
  auto after = s.take();
  // membership (with the ring's quorum), delivery; the quorum event that
  // follows is no news then
  REQUIRE(after.size() == 2);
  REQUIRE(membership(after[0]));
  CHECK_FALSE(membership(after[0])->quorate);
  CHECK(std::holds_alternative<RingSequencer::Delivery>(after[1]));
  CHECK_FALSE(s.waiting());
}

TEST_CASE("ring sequencer: a process leaving a ring that stays is not held") {
  RingSequencer s;
  s.on_ring(4);
  s.on_quorum(true, 4);
  (void)s.take();
  s.on_members({1, 2}, /*nodes_down=*/false);
  auto out = s.take();
  REQUIRE(out.size() == 1);
  CHECK(membership(out[0])->quorate);
}

TEST_CASE("ring sequencer: no notification comes: the edge asks and releases") {
  RingSequencer s;
  s.on_ring(4);
  s.on_quorum(true, 4);
  (void)s.take();
  s.on_members({1}, true);
  CHECK(s.waiting());
  s.give_up_waiting(false);
  auto out = s.take();
  REQUIRE(!out.empty());
  CHECK_FALSE(membership(out[0])->quorate);
}

TEST_CASE("ring sequencer: a membership carries the nodes of the newest ring") {
  RingSequencer s;
  s.on_ring(4, {1, 2, 3});
  s.on_quorum(true, 4);
  s.on_members({1, 2}, false);  // node 3's heartbeatd left, its corosync stays
  auto out = s.take();
  REQUIRE(out.size() == 2);
  REQUIRE(membership(out[1]));
  CHECK(membership(out[1])->ring == std::vector<std::uint32_t>{1, 2, 3});
}
