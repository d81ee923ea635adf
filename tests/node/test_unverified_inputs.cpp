// Property (issue 15): a datagram that fails framing or authentication —
// forged (any bit flipped), truncated, extended, random — leaves the core's
// state and everything the node sends identical to not receiving it. Two
// twin nodes get the same genuine traffic from a peer; one also gets, before
// every genuine datagram, mutated copies of it and of earlier ones. The seed
// is printed; VIGIL_TEST_SEED replays a run.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <deque>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "common/log.h"
#include "heartbeatd/node/cluster_node.h"
#include "heartbeatd/wire/codec.h"
#include "heartbeatd/wire/verify.h"
#include "node_fixture.h"

using namespace vigil;
using namespace vigil::testing;
using namespace std::chrono_literals;

namespace {

using Bytes = std::vector<std::byte>;

bool verifies(const Bytes& d, const conf::AuthKeys& keys) {
  auto decoded = wire::decode({reinterpret_cast<const char*>(d.data()), d.size()});
  return decoded && wire::verify(*decoded, keys);
}

// One mutation of a genuine datagram, or random bytes.
Bytes mutate(const Bytes& genuine, std::mt19937_64& rng) {
  Bytes d = genuine;
  auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  switch (pick(5)) {
    case 0:  // forged: one bit flipped anywhere
      d[pick(d.size())] ^= std::byte{static_cast<unsigned char>(1u << pick(8))};
      break;
    case 1:  // forged: a run of bytes overwritten
      for (std::size_t i = pick(d.size()), n = 1 + pick(16); i < d.size() && n > 0; ++i, --n)
        d[i] = std::byte{static_cast<unsigned char>(pick(256))};
      break;
    case 2:  // truncated
      d.resize(pick(d.size()));
      break;
    case 3:  // extended
      for (std::size_t n = 1 + pick(32); n > 0; --n)
        d.push_back(std::byte{static_cast<unsigned char>(pick(256))});
      break;
    default:  // random bytes
      d.assign(pick(512), std::byte{0});
      for (auto& b : d) b = std::byte{static_cast<unsigned char>(pick(256))};
      break;
  }
  return d;
}

std::uint64_t seed_of_run() {
  if (const char* s = std::getenv("VIGIL_TEST_SEED")) return std::strtoull(s, nullptr, 10);
  return std::random_device{}();
}

}  // namespace

TEST_CASE(
    "property: a datagram that fails verification changes nothing the node decides or sends") {
  const std::uint64_t seed = seed_of_run();
  std::cout << "unverified inputs: seed " << seed << " (VIGIL_TEST_SEED=" << seed
            << " replays it)\n";
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  log::ScopedCapture quiet;  // the twins' log lines differ by design (bad packets)

  const auto c1 = two_node_config("node1");
  const auto c2 = two_node_config("node2");
  const core::CoreParams p1{.generation = 10, .first_seq = 1, .rng_seed = 1};
  Wire wa, wb, w2;
  node::ClusterNode twin_a(c1, uuid_of(1), p1, wa);  // gets the junk too
  node::ClusterNode twin_b(c1, uuid_of(1), p1, wb);  // genuine traffic only
  node::ClusterNode peer(c2, uuid_of(2), {.generation = 20, .first_seq = 1, .rng_seed = 2}, w2);

  MonoTime now(1000s);
  twin_a.start(now);
  twin_b.start(now);
  peer.start(now);
  std::vector<Bytes> seen;  // genuine datagrams so far, to mutate later ones from
  std::size_t junk = 0;
  for (int step = 0; step < 80; ++step, now += 50ms) {
    twin_a.on_tick(now);
    twin_b.on_tick(now);
    peer.on_tick(now);
    // node1's own datagrams: identical from both twins, or the property broke.
    while (!wa.sent.empty() || !wb.sent.empty()) {
      REQUIRE(wa.sent.size() == wb.sent.size());
      REQUIRE(wa.sent.front() == wb.sent.front());
      Bytes d = std::move(wa.sent.front());
      wa.sent.pop_front();
      wb.sent.pop_front();
      peer.on_datagram("eth1", d, now);
      twin_a.on_datagram("eth1", d, now);  // broadcast loopback
      twin_b.on_datagram("eth1", d, now);
      seen.push_back(std::move(d));
    }
    while (!w2.sent.empty()) {
      Bytes d = std::move(w2.sent.front());
      w2.sent.pop_front();
      seen.push_back(d);
      for (int k = 0; k < 8; ++k) {
        Bytes bad =
            mutate(seen[std::uniform_int_distribution<std::size_t>(0, seen.size() - 1)(rng)], rng);
        if (verifies(bad, c1.authkeys)) continue;  // not a failing input (a no-op mutation)
        twin_a.on_datagram("eth1", bad, now, "192.0.2.66");
        ++junk;
      }
      twin_a.on_datagram("eth1", d, now);
      twin_b.on_datagram("eth1", d, now);
      peer.on_datagram("eth1", d, now);
    }
    const auto a = twin_a.core().snapshot();
    const auto b = twin_b.core().snapshot();
    REQUIRE(a.same_state(b));
    REQUIRE(a.last_seq_sent == b.last_seq_sent);
    REQUIRE(a.counters.replay_drops == b.counters.replay_drops);
    REQUIRE(a.counters.lost_packets == b.counters.lost_packets);
    REQUIRE(a.counters.rexmit_requests_sent == b.counters.rexmit_requests_sent);
    REQUIRE(twin_a.next_deadline().has_value());
  }
  CHECK(junk > 100);
  CHECK(twin_a.core().snapshot().local_status == core::LocalStatus::kActive);
  CHECK(twin_a.receive_counters().accepted == twin_b.receive_counters().accepted);
  CHECK(twin_a.receive_counters().malformed + twin_a.receive_counters().unauthenticated == junk);
}
