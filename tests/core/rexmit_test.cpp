// Retransmission requests and answers (heartbeat-compat.md §5.8).
#include <catch2/catch.hpp>

#include "tests/core/core_fixture.h"

using namespace vigil;
using namespace vigil::core;
using namespace vigil::core::testing;

namespace {

wire::Message rexmit_request(std::uint64_t first, std::uint64_t last, std::uint64_t hg = 0x100) {
  wire::Message m;
  m.set("t", "NS_rexmit");
  m.set("dest", "node1");
  m.set("firstseq", wire::format_decimal(first));
  m.set("lastseq", wire::format_decimal(last));
  m.set("src", "node2");
  m.set("hg", wire::format_hex(hg));
  m.set("ts", "6b0614d5");
  return m;
}

wire::Message nak(std::uint64_t seq, std::uint64_t hg = 0x100) {
  wire::Message m;
  m.set("t", "NS_nak_rexmit");
  m.set("dest", "node1");
  m.set("firstseq", wire::format_hex(seq));
  m.set("info", "seqno too low");
  m.set("src", "node2");
  m.set("hg", wire::format_hex(hg));
  return m;
}

// node2 skips seqs 2..17: its next status is seq 18 (0x12), sent at t.now.
void make_gap_up_to_18(TwoNodes& t) {
  t.peer.seq = 17;
  t.peer_status(1s);
}

}  // namespace

TEST_CASE("rexmit request: a gap is asked for after a random delay in [50, 250] ms, in decimal",
          "[core][rexmit]") {
  TwoNodes t;
  t.peer.seq = 16;
  t.peer_status(1s);  // seq 17: seq 2..16 missing
  const MonoTime gap_seen = t.now;
  auto early = run_until(t.core, gap_seen + 49ms);
  CHECK(sends_of_type(early, "NS_rexmit").empty());
  auto a = run_until(t.core, gap_seen + 250ms);
  auto req = sends_of_type(a, "NS_rexmit");
  REQUIRE(req.size() == 15);
  CHECK(req[0].message.get_or("dest", "") == "node2");
  CHECK(req[0].message.get_or("firstseq", "") == "2");
  CHECK(req[0].message.get_or("lastseq", "") == "2");
  CHECK(req.back().message.get_or("firstseq", "") == "16");  // decimal, not hex "10"
  CHECK_FALSE(req[0].seq.has_value());                       // NS_ messages are unsequenced
  CHECK(req[0].dest == std::optional<std::string>("node2"));
}

TEST_CASE("rexmit request: the delay comes from the seeded generator", "[core][rexmit]") {
  auto first_request_delay = [](std::uint64_t seed) {
    auto config = make_config();
    Core core(config, CoreParams{0x200, 1, seed});
    core.start(t0());
    core.on_message(messages::decode(status_msg(PeerMsg{"node2", 0x100, 1})), "eth0", t0());
    core.on_message(messages::decode(status_msg(PeerMsg{"node2", 0x100, 3})), "eth0", t0());
    for (Duration d = 0ms; d <= 250ms; d += 1ms)
      if (!sends_of_type(core.on_tick(t0() + d), "NS_rexmit").empty()) return d;
    return Duration(-1);
  };
  CHECK(first_request_delay(7) == first_request_delay(7));
  bool differs = false;
  for (std::uint64_t seed = 1; seed < 20 && !differs; ++seed)
    differs = first_request_delay(seed) != first_request_delay(7);
  CHECK(differs);
}

TEST_CASE("rexmit request: repeated every 250 ms until the packet arrives", "[core][rexmit]") {
  TwoNodes t;
  t.peer.seq = 2;
  t.peer_status(1s);  // seq 3, seq 2 missing
  auto a = run_until(t.core, t.now + 1250ms);
  // first within 250 ms, then every 250 ms: 5 or 6 requests in 1.25 s
  const auto n = sends_of_type(a, "NS_rexmit").size();
  CHECK(n >= 5);
  CHECK(n <= 6);
  t.core.on_message(messages::decode(typed_msg(PeerMsg{"node2", 0x100, 2}, "resource")), "eth0",
                    t.now + 1250ms);
  auto b = run_until(t.core, t.now + 3s);
  CHECK(sends_of_type(b, "NS_rexmit").empty());
}

TEST_CASE("rexmit request: no more requests once the node is dead", "[core][rexmit]") {
  TwoNodes t;
  t.peer.seq = 2;
  t.peer_status(1s);
  run_until(t.core, t.now + 10s + 1ms);
  REQUIRE(t.core.snapshot().node("node2")->dead);
  auto a = run_until(t.core, t.now + 20s);
  CHECK(sends_of_type(a, "NS_rexmit").empty());
}

TEST_CASE("rexmit answer: a stored message is re-sent with its original seq", "[core][rexmit]") {
  TwoNodes t;
  run_until(t.core, t.now + 3s);  // our statuses 1..4 are in the history
  auto a = t.core.on_message(messages::decode(rexmit_request(2, 2)), "eth0", t.now + 3s);
  auto s = sends(a);
  REQUIRE(s.size() == 1);
  CHECK(s[0].message.type() == "status");
  CHECK(s[0].seq == std::optional<std::uint64_t>(2));
  CHECK(s[0].retransmission);
  CHECK(t.core.snapshot().counters.rexmits_sent == 1);
}

TEST_CASE("rexmit answer: the same seq is re-sent at most once per 240 ms", "[core][rexmit]") {
  TwoNodes t;
  run_until(t.core, t.now + 3s);
  const MonoTime base = t.now + 3s;
  CHECK(sends(t.core.on_message(messages::decode(rexmit_request(2, 2)), "eth0", base)).size() == 1);
  CHECK(sends(t.core.on_message(messages::decode(rexmit_request(2, 2)), "eth0", base + 239ms))
            .empty());
  CHECK(sends(t.core.on_message(messages::decode(rexmit_request(2, 2)), "eth1", base + 240ms))
            .size() == 1);
}

TEST_CASE("rexmit answer: a seq below the history is NAKed seqno too low, firstseq in hex",
          "[core][rexmit]") {
  auto config = make_config();
  Core core(config, CoreParams{0x200, 0x20, 1});  // resumed: first seq 32
  core.start(t0());
  core.on_message(messages::decode(status_msg(PeerMsg{})), "eth0", t0());
  auto a = core.on_message(messages::decode(rexmit_request(26, 26)), "eth0", t0() + 10ms);
  const Log* l = find_log(a, "Cannot rexmit pkt 26 for node2: seqno too low");
  REQUIRE(l != nullptr);
  CHECK(l->priority == log::Priority::kError);
  auto naks = sends_of_type(a, "NS_nak_rexmit");
  REQUIRE(naks.size() == 1);
  CHECK(naks[0].message.get_or("dest", "") == "node2");
  CHECK(naks[0].message.get_or("firstseq", "") == "1a");
  CHECK(naks[0].message.get_or("info", "") == "seqno too low");
  CHECK_FALSE(naks[0].seq.has_value());
}

TEST_CASE("rexmit answer: the history holds the last 500 sequenced messages", "[core][rexmit]") {
  auto config = make_config();
  Core core(config, CoreParams{0x200, 1, 1});
  core.start(t0());
  core.on_message(messages::decode(status_msg(PeerMsg{})), "eth0", t0());
  for (int i = 0; i < 600; ++i) core.send(messages::Resource{}, {}, t0());
  const auto last = core.snapshot().last_seq_sent;
  CHECK(
      sends(core.on_message(messages::decode(rexmit_request(last - 499, last - 499)), "eth0", t0()))
          .size() == 1);
  auto a = core.on_message(messages::decode(rexmit_request(last - 500, last - 500)), "eth0", t0());
  CHECK(sends_of_type(a, "NS_nak_rexmit").size() == 1);
}

TEST_CASE("rexmit answer: a seq above our max logs Rexmit of seq N requested. M is max.",
          "[core][rexmit]") {
  TwoNodes t;
  const auto max = t.core.snapshot().last_seq_sent;
  auto a = t.core.on_message(messages::decode(rexmit_request(max + 5, max + 5)), "eth0", t.now);
  const Log* l = find_log(a, "Rexmit of seq " + std::to_string(max + 5) + " requested. " +
                                 std::to_string(max) + " is max.");
  REQUIRE(l != nullptr);
  CHECK(l->priority == log::Priority::kWarn);
  CHECK(sends(a).empty());
}

TEST_CASE("rexmit answer: at most 50 messages per request", "[core][rexmit]") {
  TwoNodes t;
  for (int i = 0; i < 100; ++i) t.core.send(messages::Resource{}, {}, t.now);
  auto a = t.core.on_message(messages::decode(rexmit_request(2, 90)), "eth0", t.now);
  CHECK(sends(a).size() == 50);
}

TEST_CASE("rexmit answer: a request from an older incarnation of the peer is ignored",
          "[core][rexmit]") {
  TwoNodes t;
  run_until(t.core, t.now + 2s);
  auto a = t.core.on_message(messages::decode(rexmit_request(2, 2, 0xff)), "eth0", t.now + 2s);
  CHECK(sends(a).empty());
}

TEST_CASE("NAK: a NAK for a missing seq logs Irretrievably lost packet and stops the requests",
          "[core][rexmit]") {
  TwoNodes t;
  make_gap_up_to_18(t);
  auto a = t.core.on_message(messages::decode(nak(5)), "eth0", t.now + 1ms);
  const Log* l = find_log(a, "Irretrievably lost packet: node node2 seq 5");
  REQUIRE(l != nullptr);
  CHECK(l->priority == log::Priority::kError);
  CHECK(t.core.snapshot().node("node2")->missing == 15);
  auto b = run_until(t.core, t.now + 2s);
  for (const auto& s : sends_of_type(b, "NS_rexmit"))
    CHECK(s.message.get_or("firstseq", "") != "5");
}

TEST_CASE("NAK: a NAK from another generation is ignored", "[core][rexmit]") {
  TwoNodes t;
  make_gap_up_to_18(t);
  auto a = t.core.on_message(messages::decode(nak(5, 0xff)), "eth0", t.now + 1ms);
  CHECK(log_texts(a).empty());
  CHECK(t.core.snapshot().node("node2")->missing == 16);
}
