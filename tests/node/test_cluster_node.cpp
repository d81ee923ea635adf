// heartbeatd's glue: two nodes wired back to back through in-memory
// outboxes reach each other through the real codec, signatures and cores.
#include <catch2/catch.hpp>
#include <deque>
#include <string>
#include <vector>

#include "common/log.h"
#include "heartbeatd/node/cluster_node.h"
#include "node_fixture.h"

using namespace vigil;
using namespace vigil::testing;
using namespace std::chrono_literals;

namespace {

// Delivers everything each side sent to the other (and to itself, as
// broadcast loopback does), then advances time.
void pump(node::ClusterNode& a, Wire& wa, node::ClusterNode& b, Wire& wb, MonoTime now) {
  while (!wa.sent.empty() || !wb.sent.empty()) {
    if (!wa.sent.empty()) {
      auto d = std::move(wa.sent.front());
      wa.sent.pop_front();
      b.on_datagram("eth1", d, now);
      a.on_datagram("eth1", d, now);
    }
    if (!wb.sent.empty()) {
      auto d = std::move(wb.sent.front());
      wb.sent.pop_front();
      a.on_datagram("eth1", d, now);
      b.on_datagram("eth1", d, now);
    }
  }
}

// Starts both at t=1000s, then `steps` rounds of delivery and 50 ms ticks.
void run_pair(node::ClusterNode& n1, Wire& w1, node::ClusterNode& n2, Wire& w2, int steps) {
  MonoTime now(1000s);
  n1.start(now);
  n2.start(now);
  for (int i = 0; i < steps; ++i) {
    pump(n1, w1, n2, w2, now);
    now += 50ms;
    n1.on_tick(now);
    n2.on_tick(now);
  }
}

}  // namespace

TEST_CASE("cluster node: two nodes back to back both go active through the real codec") {
  const auto c1 = two_node_config("node1");
  const auto c2 = two_node_config("node2");
  Wire w1, w2;
  node::ClusterNode n1(c1, uuid_of(1), {.generation = 10, .first_seq = 1, .rng_seed = 1}, w1);
  node::ClusterNode n2(c2, uuid_of(2), {.generation = 20, .first_seq = 1, .rng_seed = 2}, w2);
  run_pair(n1, w1, n2, w2, 30);
  CHECK(n1.core().comm_up());
  CHECK(n2.core().comm_up());
  CHECK(n1.core().local_status() == core::LocalStatus::kActive);
  CHECK_FALSE(n1.core().is_dead("node2"));
  CHECK_FALSE(n2.core().is_dead("node1"));
  CHECK(n1.receive_counters().unauthenticated == 0);
  CHECK(n1.receive_counters().accepted > 0);
}

TEST_CASE("cluster node: every sequenced message is recorded before it is sent") {
  const auto c1 = two_node_config("node1");
  Wire w1;
  node::ClusterNode n1(c1, uuid_of(1), {.generation = 10, .first_seq = 5, .rng_seed = 1}, w1);
  n1.start(MonoTime(1000s));
  REQUIRE_FALSE(w1.sent.empty());
  REQUIRE_FALSE(w1.recorded.empty());
  CHECK(w1.recorded.front() == 5);
}

TEST_CASE("cluster node: a seq the state store refuses is not sent") {
  const auto c1 = two_node_config("node1");
  Wire w1;
  w1.refuse_records = true;
  node::ClusterNode n1(c1, uuid_of(1), {.generation = 10, .first_seq = 1, .rng_seed = 1}, w1);
  n1.start(MonoTime(1000s));
  CHECK(w1.sent.empty());
}

TEST_CASE("cluster node: a datagram signed with a key we do not have is counted and ignored") {
  auto c1 = two_node_config("node1");
  auto c2 = two_node_config("node2");
  c2.authkeys.keys.front().key = SecretBytes("otherkey");
  Wire w1, w2;
  node::ClusterNode n1(c1, uuid_of(1), {.generation = 10, .first_seq = 1, .rng_seed = 1}, w1);
  node::ClusterNode n2(c2, uuid_of(2), {.generation = 20, .first_seq = 1, .rng_seed = 2}, w2);
  n2.start(MonoTime(1000s));
  REQUIRE_FALSE(w2.sent.empty());
  n1.on_datagram("eth1", w2.sent.front(), MonoTime(1000s));
  CHECK(n1.receive_counters().unauthenticated == 1);
  CHECK(n1.receive_counters().accepted == 0);
}

TEST_CASE("cluster node: garbage is counted as malformed and changes nothing") {
  const auto c1 = two_node_config("node1");
  Wire w1;
  node::ClusterNode n1(c1, uuid_of(1), {.generation = 10, .first_seq = 1, .rng_seed = 1}, w1);
  n1.start(MonoTime(1000s));
  const std::string junk = "###\n12:(0)t=status,";
  n1.on_datagram("eth1", std::as_bytes(std::span(junk.data(), junk.size())), MonoTime(1000s));
  CHECK(n1.receive_counters().malformed == 1);
}

TEST_CASE("cluster node: a flood of bad packets writes one line at once and one summary") {
  const auto c1 = two_node_config("node1");
  auto c2 = two_node_config("node2");
  c2.authkeys.keys.front().key = SecretBytes("otherkey");
  Wire w1, w2;
  node::ClusterNode n1(c1, uuid_of(1), {.generation = 10, .first_seq = 1, .rng_seed = 1}, w1);
  node::ClusterNode n2(c2, uuid_of(2), {.generation = 20, .first_seq = 1, .rng_seed = 2}, w2);
  n2.start(MonoTime(1000s));
  REQUIRE_FALSE(w2.sent.empty());
  log::ScopedCapture capture;
  const std::string junk = "###\n12:(0)t=status,";
  for (int i = 0; i < 500; ++i) {
    n1.on_datagram("eth1", w2.sent.front(), MonoTime(1000s), "192.0.2.9");
    n1.on_datagram("eth1", std::as_bytes(std::span(junk.data(), junk.size())), MonoTime(1000s),
                   "192.0.2.9");
  }
  CHECK(capture.events().size() == 1);
  CHECK(capture.contains("authtoken does not match, authtoken=1 "));
  REQUIRE(n1.next_deadline() == MonoTime(1060s));
  n1.on_tick(MonoTime(1060s));
  CHECK(capture.events().size() == 2);
  CHECK(capture.contains("999 more bad packets from 192.0.2.9 in the last 60 s"));
  const auto sources = n1.bad_packets().sources();
  REQUIRE(sources.size() == 1);
  CHECK(sources[0].counts == std::array<std::uint64_t, 3>{500, 500, 0});
}

TEST_CASE("cluster node: with log_badpack off bad packets are counted, not logged") {
  auto c1 = two_node_config("node1");
  c1.ha_cf.log_badpack = false;
  Wire w1;
  node::ClusterNode n1(c1, uuid_of(1), {.generation = 10, .first_seq = 1, .rng_seed = 1}, w1);
  log::ScopedCapture capture;
  const std::string junk = "not a heartbeat packet";
  n1.on_datagram("eth1", std::as_bytes(std::span(junk.data(), junk.size())), MonoTime(1000s));
  n1.on_unreadable("eth1", "eth1: dropped a datagram of 300000 bytes", MonoTime(1000s));
  n1.on_tick(MonoTime(1100s));
  CHECK(capture.events().empty());
  CHECK(n1.receive_counters().malformed == 1);
  CHECK(n1.receive_counters().unreadable == 1);
}

TEST_CASE(
    "cluster node: status messages carry the shared-config digest; a differing peer's "
    "is remembered") {
  const auto c1 = two_node_config("node1");
  auto c2 = two_node_config("node2");
  c2.ha_cf.deadtime = 600ms;
  Wire w1, w2;
  node::ClusterNode n1(c1, uuid_of(1), {.generation = 10, .first_seq = 1, .rng_seed = 1}, w1);
  node::ClusterNode n2(c2, uuid_of(2), {.generation = 20, .first_seq = 1, .rng_seed = 2}, w2);
  run_pair(n1, w1, n2, w2, 10);
  REQUIRE(n1.config_check().theirs("node2"));
  CHECK(*n1.config_check().theirs("node2") == n2.config_check().ours());
  CHECK(n1.config_check().ours() != n2.config_check().ours());
  CHECK(n1.config_check().theirs("node1") == nullptr);  // our own loopback is not a peer
}
