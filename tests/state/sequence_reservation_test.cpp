// The reserved high-water mark of STATE_DIR/seq: one write per block of
// sends, and a restart, even mid-block, never reuses a seq
// (heartbeatd/state/sequence_reservation.h, heartbeat-compat.md §5.8).
#include "heartbeatd/state/sequence_reservation.h"

#include <catch2/catch.hpp>
#include <limits>
#include <random>
#include <set>
#include <utility>

#include "fault_injection_env.h"
#include "heartbeatd/state/sequence_record.h"
#include "heartbeatd/state/sequence_store.h"

using namespace vigil;
using namespace vigil::state;
using namespace std::chrono_literals;
using vigil::test::FaultInjectionEnv;

namespace {

constexpr Duration kWindow = 5s;
constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

SequenceStore open_store(FaultInjectionEnv& env, std::uint64_t block) {
  auto store = SequenceStore::open(env, kWindow, ReservationPolicy{block});
  if (!store) FAIL(store.error().message);
  return std::move(*store);
}

SequenceRecord record_in(const FaultInjectionEnv& env) {
  auto record = parse_sequence_record(env.cache.at(std::string(kSequenceFile)));
  REQUIRE(record);
  return *record;
}

}  // namespace

TEST_CASE("seq reservation: a seq within the mark needs no write", "[state]") {
  const ReservationPolicy policy{10};
  CHECK_FALSE(mark_to_write(5, 10, policy));
  CHECK_FALSE(mark_to_write(10, 10, policy));
}

TEST_CASE("seq reservation: a seq beyond the mark reserves a block starting at it", "[state]") {
  CHECK(mark_to_write(11, 10, ReservationPolicy{10}) == 20u);
  CHECK(mark_to_write(1, 0, ReservationPolicy{10}) == 10u);
  // A jump (a seq never passed in between) still covers the seq itself.
  CHECK(mark_to_write(500, 10, ReservationPolicy{10}) == 509u);
}

TEST_CASE("seq reservation: a block of 1 writes every seq, as before", "[state]") {
  CHECK(mark_to_write(7, 6, ReservationPolicy{1}) == 7u);
  CHECK(mark_to_write(7, 6, ReservationPolicy{0}) == 7u);
}

TEST_CASE("seq reservation: the mark never reaches the ended-generation value", "[state]") {
  CHECK(mark_to_write(kMax - 5, 0, ReservationPolicy{100}) == kMax - 1);
  CHECK(mark_to_write(kMax - 1, 0, ReservationPolicy{100}) == kMax - 1);
}

TEST_CASE("seq reservation: the block covers max(window / 8, 100 ms) of keepalives", "[state]") {
  // heartbeat-like timers: a write per heartbeat, as before.
  CHECK(reservation_policy(15s, 2s).block == 1u);
  CHECK(reservation_policy(250ms, 100ms).block == 1u);
  CHECK(reservation_policy(1s, 200ms).block == 1u);
  // Short keepalives: the 100 ms floor, as no restart comes sooner.
  CHECK(reservation_policy(20ms, 10ms).block == 10u);
  CHECK(reservation_policy(5ms, 2ms).block == 50u);
  // A long window with a short keepalive: window / 8.
  CHECK(reservation_policy(8s, 10ms).block == 100u);
  CHECK(reservation_policy(1s, Duration::zero()).block == 1u);
}

TEST_CASE("sequence store: a block is written once, ahead of its sends", "[state]") {
  FaultInjectionEnv env;
  SequenceStore store = open_store(env, 10);
  REQUIRE(store.record_sent(1).ok());
  const SequenceRecord first = record_in(env);
  CHECK(first.last_seq == 10u);
  for (std::uint64_t seq = 2; seq <= 10; ++seq) {
    env.advance(10ms);
    REQUIRE(store.record_sent(seq).ok());
  }
  CHECK(record_in(env) == first);  // nine sends, no write
  env.advance(10ms);
  REQUIRE(store.record_sent(11).ok());
  CHECK(record_in(env).last_seq == 20u);
  CHECK(record_in(env).sent_at == env.clock);
}

TEST_CASE(
    "sequence store: a kill in the middle of a block resumes above the block, in the same "
    "generation",
    "[state]") {
  FaultInjectionEnv env;
  std::uint64_t generation = 0;
  {
    SequenceStore store = open_store(env, 10);
    generation = store.start().generation;
    for (std::uint64_t seq = 1; seq <= 14; ++seq) REQUIRE(store.record_sent(seq).ok());
  }  // kill -9 after seq 14 of the block 11..20
  env.advance(100ms);
  SequenceStore store = open_store(env, 10);
  CHECK(store.start().continued);
  CHECK(store.start().generation == generation);
  CHECK(store.start().first_seq == 21u);  // 15..20 were reserved: never sent, never reused
}

TEST_CASE(
    "sequence store: with a block the window counts from the block's write, which is "
    "before its sends",
    "[state]") {
  FaultInjectionEnv env;
  {
    SequenceStore store = open_store(env, 10);
    REQUIRE(store.record_sent(1).ok());  // writes the block 1..10
    env.advance(kWindow - 1s);
    REQUIRE(store.record_sent(2).ok());  // no write: the record keeps the older time
  }
  env.advance(2s);  // 2 s after the last send, but kWindow + 1 s after the write
  SequenceStore store = open_store(env, 10);
  CHECK_FALSE(store.start().continued);
  CHECK(store.start().first_seq == 1u);
}

TEST_CASE("sequence store: a failed block write refuses the seq and retries at the next",
          "[state]") {
  FaultInjectionEnv env;
  SequenceStore store = open_store(env, 10);
  env.fail_writes = true;
  CHECK_FALSE(store.record_sent(1).ok());
  env.fail_writes = false;
  REQUIRE(store.record_sent(1).ok());
  CHECK(record_in(env).last_seq == 10u);
}

TEST_CASE(
    "sequence store: with blocks, random kills, power losses and pauses never reuse a "
    "(generation, seq) pair",
    "[state][property]") {
  const std::uint64_t block = GENERATE(2u, 7u, 50u);
  const auto seed = std::random_device{}();
  INFO("seed " << seed << " block " << block);
  std::mt19937 rng(seed);
  for (int run = 0; run < 30; ++run) {
    FaultInjectionEnv env;
    std::set<std::pair<std::uint64_t, std::uint64_t>> sent;
    int continued = 0;
    for (int life = 0; life < 60; ++life) {
      SequenceStore store = open_store(env, block);
      const SequenceStart start = store.start();
      if (start.continued) ++continued;
      std::uint64_t seq = start.first_seq;
      const int sends = static_cast<int>(rng() % 120);
      for (int i = 0; i < sends; ++i) {
        env.advance(std::chrono::milliseconds(rng() % 100));
        REQUIRE(store.record_sent(seq).ok());
        INFO("run " << run << " life " << life << " gen " << start.generation << " seq " << seq);
        CHECK(sent.insert({start.generation, seq}).second);
        seq += 1 + rng() % 3;  // other sequenced messages may skip ahead in the core's count
      }
      switch (rng() % 4) {
        case 0: {
          SequenceStore dying = std::move(store);
          (void)dying;
        }
          env.power_loss(rng);
          break;
        case 1:
          env.advance(std::chrono::milliseconds(rng() % 20000));
          break;
        default:
          env.advance(std::chrono::milliseconds(rng() % 3000));
          break;
      }
    }
    CHECK(continued > 0);
  }
}
