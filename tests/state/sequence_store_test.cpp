// Generation and sequence continuity across restarts, crashes and reboots
// (heartbeatd/state/sequence_store.h, heartbeat-compat.md §5.8).
#include <catch2/catch.hpp>

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

SequenceStore open_store(FaultInjectionEnv& env) {
  auto store = SequenceStore::open(env, kWindow);
  if (!store) FAIL(store.error().message);
  return std::move(*store);
}

void send(SequenceStore& store, std::uint64_t first, std::uint64_t count) {
  for (std::uint64_t seq = first; seq < first + count; ++seq) REQUIRE(store.record_sent(seq).ok());
}

}  // namespace

TEST_CASE("sequence store: a first start seeds the generation from the clock, like heartbeat",
          "[state]") {
  FaultInjectionEnv env;
  SequenceStore store = open_store(env);
  CHECK(store.start().generation == 1700000001u);
  CHECK(store.start().first_seq == 1u);
  CHECK_FALSE(store.start().continued);
  CHECK(store.start().generation_seeded);
  CHECK(env.disk.at("generation") == "1700000001\n");
}

TEST_CASE("sequence store: a start after the window increments the durable generation",
          "[state]") {
  FaultInjectionEnv env;
  std::uint64_t previous = 0;
  for (int i = 0; i < 3; ++i) {
    {
      SequenceStore store = open_store(env);
      if (i > 0) {
        CHECK(store.start().generation == previous + 1);
        CHECK_FALSE(store.start().generation_seeded);
      }
      CHECK(store.start().first_seq == 1u);
      previous = store.start().generation;
      send(store, 1, 10);
    }
    env.advance(kWindow);
  }
  CHECK(env.disk.at("generation") == std::to_string(previous) + "\n");
}

TEST_CASE("sequence store: a restart within the window keeps the generation and goes on with "
          "the next seq", "[state]") {
  FaultInjectionEnv env;
  std::uint64_t generation = 0;
  {
    SequenceStore store = open_store(env);
    generation = store.start().generation;
    send(store, 1, 42);
  }  // kill -9: the page cache keeps the record
  env.advance(kWindow - 1ms);
  SequenceStore store = open_store(env);
  CHECK(store.start().continued);
  CHECK(store.start().generation == generation);
  CHECK(store.start().first_seq == 43u);
}

TEST_CASE("sequence store: a restart after a graceful shutdown is a new generation, even "
          "within the window", "[state]") {
  FaultInjectionEnv env;
  std::uint64_t generation = 0;
  {
    SequenceStore store = open_store(env);
    generation = store.start().generation;
    send(store, 1, 42);
    REQUIRE(store.end_generation().ok());
    CHECK_FALSE(store.record_sent(43).ok());  // nothing more in this generation
  }
  env.advance(1ms);
  SequenceStore store = open_store(env);
  CHECK_FALSE(store.start().continued);
  CHECK(store.start().generation == generation + 1);
  CHECK(store.start().first_seq == 1u);
}

TEST_CASE("sequence store: the window counts from the last send, not from the last start",
          "[state]") {
  FaultInjectionEnv env;
  std::uint64_t generation = 0;
  {
    SequenceStore store = open_store(env);
    generation = store.start().generation;
    send(store, 1, 5);
  }
  for (int i = 0; i < 2; ++i) {  // restarts that send nothing
    env.advance(kWindow * 6 / 10);
    if (i == 0) {
      SequenceStore store = open_store(env);
      CHECK(store.start().continued);
    }
  }
  SequenceStore store = open_store(env);
  CHECK_FALSE(store.start().continued);
  CHECK(store.start().generation == generation + 1);
}

TEST_CASE("sequence store: a reboot starts a new generation even within the window", "[state]") {
  FaultInjectionEnv env;
  std::uint64_t generation = 0;
  {
    SequenceStore store = open_store(env);
    generation = store.start().generation;
    send(store, 1, 3);
  }
  std::mt19937 rng(1);
  env.power_loss(rng);
  SequenceStore store = open_store(env);
  CHECK_FALSE(store.start().continued);
  CHECK(store.start().generation == generation + 1);
  CHECK(store.start().first_seq == 1u);
}

TEST_CASE("sequence store: a restart before the first send may continue at seq 1", "[state]") {
  FaultInjectionEnv env;
  std::uint64_t generation = 0;
  {
    SequenceStore store = open_store(env);
    generation = store.start().generation;
  }
  SequenceStore store = open_store(env);
  CHECK(store.start().continued);
  CHECK(store.start().generation == generation);
  CHECK(store.start().first_seq == 1u);
}

TEST_CASE("sequence store: a second heartbeatd on the same directory is refused", "[state]") {
  FaultInjectionEnv env;
  SequenceStore first = open_store(env);
  CHECK_FALSE(SequenceStore::open(env, kWindow).ok());
}

TEST_CASE("sequence store: a seq at or below the last recorded one is refused", "[state]") {
  FaultInjectionEnv env;
  SequenceStore store = open_store(env);
  CHECK_FALSE(store.record_sent(0).ok());
  CHECK(store.record_sent(1).ok());
  CHECK_FALSE(store.record_sent(1).ok());
  CHECK(store.record_sent(5).ok());
  CHECK_FALSE(store.record_sent(4).ok());
}

TEST_CASE("sequence store: a failed record is reported", "[state]") {
  FaultInjectionEnv env;
  SequenceStore store = open_store(env);
  env.fail_writes = true;
  CHECK_FALSE(store.record_sent(1).ok());
}

TEST_CASE("sequence store: a start that cannot write the generation fails", "[state]") {
  FaultInjectionEnv env;
  env.fail_writes = true;
  CHECK_FALSE(SequenceStore::open(env, kWindow).ok());
}

TEST_CASE("sequence store: a torn record starts a new generation", "[state]") {
  FaultInjectionEnv env;
  std::uint64_t generation = 0;
  {
    SequenceStore store = open_store(env);
    generation = store.start().generation;
    send(store, 1, 3);
  }
  env.cache.at("seq")[20] ^= 1;
  SequenceStore store = open_store(env);
  CHECK_FALSE(store.start().continued);
  CHECK(store.start().generation == generation + 1);
}

TEST_CASE("sequence store: a generation file behind the record still moves forward", "[state]") {
  FaultInjectionEnv env;
  std::uint64_t generation = 0;
  {
    SequenceStore store = open_store(env);
    generation = store.start().generation;
    send(store, 1, 3);
  }
  env.write_durable("generation", "17\n").ok();  // an old backup restored
  SequenceStore store = open_store(env);
  CHECK_FALSE(store.start().continued);
  CHECK(store.start().generation == generation + 1);
}

TEST_CASE("sequence store: an unreadable generation file is reseeded from the clock", "[state]") {
  FaultInjectionEnv env;
  env.write_durable("generation", "garbage").ok();
  SequenceStore store = open_store(env);
  CHECK(store.start().generation_seeded);
  CHECK(store.start().generation == static_cast<std::uint64_t>(env.wall) + 1);
}

TEST_CASE("sequence store: random kills, power losses and pauses never reuse a (generation, "
          "seq) pair", "[state][property]") {
  const auto seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  for (int run = 0; run < 50; ++run) {
    FaultInjectionEnv env;
    std::set<std::pair<std::uint64_t, std::uint64_t>> sent;
    std::uint64_t highest_generation = 0;
    int continued = 0;
    int fresh = 0;
    for (int life = 0; life < 60; ++life) {
      auto opened = SequenceStore::open(env, kWindow);
      REQUIRE(opened.ok());
      SequenceStore store = std::move(*opened);
      const SequenceStart start = store.start();
      if (start.continued) {
        ++continued;
        CHECK(start.generation == highest_generation);
      } else {
        ++fresh;
        CHECK(start.generation > highest_generation);
      }
      highest_generation = std::max(highest_generation, start.generation);
      std::uint64_t seq = start.first_seq;
      const int sends = static_cast<int>(rng() % 20);
      for (int i = 0; i < sends; ++i) {
        env.advance(std::chrono::milliseconds(rng() % 1500));
        REQUIRE(store.record_sent(seq).ok());
        // The datagram leaves only after the record; a kill may fall in
        // between, so the pair counts as used either way.
        const bool inserted = sent.insert({start.generation, seq}).second;
        INFO("run " << run << " life " << life << " gen " << start.generation << " seq " << seq);
        CHECK(inserted);
        ++seq;
      }
      switch (rng() % 4) {
        case 0: {  // power loss: the store dies with the machine
          SequenceStore dying = std::move(store);
          (void)dying;
        }
          env.power_loss(rng);
          break;
        case 1:  // kill -9 and a long pause
          env.advance(std::chrono::milliseconds(rng() % 20000));
          break;
        default:  // kill -9 and a quick restart
          env.advance(std::chrono::milliseconds(rng() % 3000));
          break;
      }
    }
    CHECK(continued > 0);
    CHECK(fresh > 0);
  }
}
