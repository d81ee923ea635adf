// PeerSeqTracker on its own: the KEEP / DUPLICATE / DROP table of
// heartbeat-compat.md §5.8.
#include "heartbeatd/core/seq_tracker.h"

#include <catch2/catch.hpp>

using namespace vigil;
using namespace vigil::core;

namespace {
const MonoTime kAt{};
}

TEST_CASE("seq tracker: the first message adopts its generation and seq", "[core][seq]") {
  PeerSeqTracker t;
  auto r = t.accept(7, 40, false, kAt);
  CHECK(r.verdict == SeqVerdict::kKeep);
  CHECK(r.first_contact);
  CHECK(t.generation() == std::optional<std::uint64_t>(7));
  CHECK(t.last_seq() == 40);
}

TEST_CASE("seq tracker: the same seq again is a duplicate", "[core][seq]") {
  PeerSeqTracker t;
  (void)t.accept(7, 40, true, kAt);
  CHECK(t.accept(7, 40, true, kAt).verdict == SeqVerdict::kDuplicate);
}

TEST_CASE("seq tracker: an older seq that was never missing is dropped", "[core][seq]") {
  PeerSeqTracker t;
  (void)t.accept(7, 40, true, kAt);
  (void)t.accept(7, 41, true, kAt);
  CHECK(t.accept(7, 39, true, kAt).verdict == SeqVerdict::kDrop);
}

TEST_CASE("seq tracker: after resync the next seq is taken without a gap", "[core][seq]") {
  PeerSeqTracker t;
  (void)t.accept(7, 40, true, kAt);
  t.resync();
  auto r = t.accept(7, 90, true, kAt);
  CHECK(r.verdict == SeqVerdict::kKeep);
  CHECK(r.lost == 0);
  CHECK(t.missing_count() == 0);
}

TEST_CASE("seq tracker: the missing set never grows beyond 250 seqs", "[core][seq]") {
  PeerSeqTracker t;
  (void)t.accept(7, 1, true, kAt);
  (void)t.accept(7, 201, true, kAt);  // 199 missing
  REQUIRE(t.missing_count() == 199);
  auto r = t.accept(7, 301, true, kAt);  // 99 more would make 298
  CHECK(r.lost_a_lot);
  CHECK(t.missing_count() == 0);
}
