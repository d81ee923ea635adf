// The receive pipeline around the filter: unknown nodes, dest filtering,
// delivery to other modules, healed partitions (heartbeat-compat.md §5.7,
// §5.8, §6.8).
#include <catch2/catch.hpp>

#include "tests/core/core_fixture.h"

using namespace vigil;
using namespace vigil::core;
using namespace vigil::core::testing;

TEST_CASE("unknown node: bad node is logged and the message dropped", "[core][pipeline]") {
  TwoNodes t;
  const auto before = t.core.snapshot();
  auto a =
      t.core.on_message(messages::decode(status_msg(PeerMsg{"intruder", 1, 1})), "eth0", t.now);
  const Log* l = find_log(a, "process_status_message: bad node [intruder] in message");
  REQUIRE(l != nullptr);
  CHECK(l->priority == log::Priority::kError);
  CHECK(t.core.snapshot().same_state(before));
  CHECK(t.core.snapshot().counters.unknown_node_drops == 1);
}

TEST_CASE("node names in src are matched case-insensitively", "[core][pipeline]") {
  TwoNodes t;
  t.peer.src = "NODE2";
  auto a = t.peer_status(1s);
  CHECK(t.core.snapshot().node("node2")->last_seq == 2);
}

TEST_CASE("dest: a message for another node is dropped after sequence accounting",
          "[core][pipeline]") {
  auto config = make_config({"node1", "node2", "node3"});
  Core core(config, CoreParams{1, 1, 1});
  core.start(t0());
  core.on_message(messages::decode(status_msg(PeerMsg{"node2", 5, 1})), "eth0", t0());
  auto m = typed_msg(PeerMsg{"node2", 5, 2}, "ip-request-resp");
  m.set("dest", "node3");
  auto a = core.on_message(messages::decode(m), "eth0", t0() + 10ms);
  CHECK(std::none_of(a.begin(), a.end(),
                     [](const Action& x) { return std::holds_alternative<Deliver>(x); }));
  CHECK(core.snapshot().node("node2")->last_seq == 2);
}

TEST_CASE("dest: a message for us is delivered to the resource module", "[core][pipeline]") {
  TwoNodes t;
  auto m = typed_msg(PeerMsg{"node2", 0x100, 2}, "ip-request-resp");
  m.set("dest", "node1");
  auto a = t.core.on_message(messages::decode(m), "eth0", t.now);
  int delivered = 0;
  for (const auto& x : a)
    if (const auto* d = std::get_if<Deliver>(&x)) {
      ++delivered;
      CHECK(d->from == "node2");
      CHECK(std::holds_alternative<messages::IpRequestResp>(d->message.body));
    }
  CHECK(delivered == 1);
}

TEST_CASE("unsequenced: a message without seq is dropped with missing seqno", "[core][pipeline]") {
  TwoNodes t;
  auto m = typed_msg(t.peer, "resource");
  m.remove("seq");
  auto a = t.core.on_message(messages::decode(m), "eth0", t.now);
  CHECK(has_log(a, "process_clustermsg: node [node2] message type [resource]: missing seqno"));
}

TEST_CASE("reqnodes: answered with repnodes naming every node", "[core][pipeline]") {
  TwoNodes t;
  auto m = typed_msg(PeerMsg{"node2", 0x100, 2}, "reqnodes");
  m.set("dest", "node1");
  auto a = t.core.on_message(messages::decode(m), "eth0", t.now);
  auto r = sends_of_type(a, "repnodes");
  REQUIRE(r.size() == 1);
  CHECK(r[0].message.get_or("dest", "") == "node2");
  CHECK(r[0].message.get_or("nodelist", "") == "node1 node2 ");
  CHECK(r[0].message.get_or("delnodelist", "") == " ");
  CHECK(r[0].seq.has_value());
}

TEST_CASE("send: a module's message gets the next seq and can be retransmitted",
          "[core][pipeline]") {
  TwoNodes t;
  auto a = t.core.send(messages::Starting{}, {}, t.now);
  auto s = sends(a);
  REQUIRE(s.size() == 1);
  REQUIRE(s[0].seq.has_value());
  CHECK(*s[0].seq == t.core.snapshot().last_seq_sent);
}

TEST_CASE("healed partition: same generation from a dead node logs heartbeat's lines in order",
          "[core][pipeline]") {
  TwoNodes t;
  run_until(t.core, t.now + 10s + 1ms);
  REQUIRE(t.core.snapshot().node("node2")->dead);
  t.peer.seq += 40;  // it kept counting on its side of the partition
  auto a = t.peer_status(10410ms, "eth0", "active");
  const auto texts = log_texts(a);
  const std::vector<std::string> expect_tail = {
      "Cluster node node2 returning after partition.",
      "For information on cluster partitions, See URL: http://linux-ha.org/wiki/Split_Brain",
      "Deadtime value may be too small.",
      "See FAQ for information on tuning deadtime.",
      "URL: http://linux-ha.org/wiki/FAQ#Heavy_Load",
      "Link node2:eth0 up.",
      "Late heartbeat: Node node2: interval 10410 ms (> deadtime)",
      "node node2: is dead",
      "Status update for node node2: status active",
  };
  REQUIRE(texts.size() >= expect_tail.size());
  CHECK(std::vector<std::string>(texts.end() - static_cast<long>(expect_tail.size()),
                                 texts.end()) == expect_tail);
  CHECK(find_log(a, "Cluster node node2 returning after partition.")->priority ==
        log::Priority::kCrit);
  CHECK(events(a, EventKind::kPeerReturnedAfterPartition).size() == 1);
  CHECK_FALSE(t.core.snapshot().node("node2")->dead);
  CHECK_FALSE(has_log(a, "lost a lot of packets!"));
  for (const auto& text : texts) CHECK(text.find("lost packet") == std::string::npos);
}

TEST_CASE("healed partition: a restarted node is a restart, not a return", "[core][pipeline]") {
  TwoNodes t;
  run_until(t.core, t.now + 10s + 1ms);
  t.peer.hg += 1;
  t.peer.seq = 0;
  auto a = t.peer_status(5s, "eth0", "init");
  CHECK(has_log(a, "Heartbeat restart on node node2"));
  CHECK_FALSE(has_log(a, "Cluster node node2 returning after partition."));
  CHECK(events(a, EventKind::kPeerReturnedAfterPartition).empty());
}
