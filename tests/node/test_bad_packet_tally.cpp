// The bounded cost of bad datagrams (heartbeatd/node/bad_packet_tally.h):
// first packet of an episode logged at once, the rest summarised per
// sender at a fixed interval, the table bounded.
#include <catch2/catch.hpp>
#include <string>

#include "heartbeatd/node/bad_packet_tally.h"

using vigil::MonoTime;
using vigil::node::BadPacketKind;
using vigil::node::BadPacketTally;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view kForged = "string2msg_ll: node [node2] failed authentication";
const MonoTime t0 = MonoTime(100s);

}  // namespace

TEST_CASE("bad packets: the first of a sender is logged at once in heartbeat's words") {
  BadPacketTally tally;
  auto line = tally.record("192.0.2.9", "eth1", BadPacketKind::kUnauthenticated, kForged, t0);
  REQUIRE(line);
  CHECK(line->text.starts_with(kForged));
  CHECK(line->text.find("from 192.0.2.9 on eth1") != std::string::npos);
  CHECK(line->kind == BadPacketKind::kUnauthenticated);
  CHECK(line->source == "192.0.2.9");
  CHECK(line->link == "eth1");
}

TEST_CASE("bad packets: a flood from one sender is one line at once and one summary a minute") {
  BadPacketTally tally;
  int logged = 0;
  for (int i = 0; i < 100000; ++i)
    if (tally.record("192.0.2.9", "eth1",
                     i % 2 ? BadPacketKind::kMalformed : BadPacketKind::kUnauthenticated, kForged,
                     t0 + std::chrono::microseconds(i)))
      ++logged;
  CHECK(logged == 1);
  REQUIRE(tally.next_deadline() == t0 + BadPacketTally::kSummaryInterval);
  CHECK(tally.summarise(t0 + 59s).empty());
  const auto lines = tally.summarise(t0 + 60s);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].text ==
        "99999 more bad packets from 192.0.2.9 in the last 60 s (50000 malformed, 49999 failed "
        "authentication); last on eth1: " +
            std::string(kForged));
  CHECK_FALSE(lines[0].kind);
}

TEST_CASE("bad packets: a sender still flooding is summarised again, not logged at once") {
  BadPacketTally tally;
  (void)tally.record("192.0.2.9", "eth1", BadPacketKind::kMalformed, "bad packet: x", t0);
  (void)tally.record("192.0.2.9", "eth1", BadPacketKind::kMalformed, "bad packet: x", t0 + 1s);
  REQUIRE(tally.summarise(t0 + 60s).size() == 1);
  CHECK_FALSE(
      tally.record("192.0.2.9", "eth1", BadPacketKind::kMalformed, "bad packet: x", t0 + 61s));
  const auto again = tally.summarise(t0 + 120s);
  REQUIRE(again.size() == 1);
  CHECK(again[0].text.starts_with("1 more bad packets from 192.0.2.9 in the last 60 s"));
}

TEST_CASE("bad packets: a sender quiet for a whole interval is logged at once again") {
  BadPacketTally tally;
  REQUIRE(tally.record("192.0.2.9", "eth1", BadPacketKind::kMalformed, "bad packet: x", t0));
  CHECK(tally.summarise(t0 + 60s).empty());  // nothing more was counted
  CHECK_FALSE(tally.next_deadline());        // and nothing is left to say
  CHECK(tally.record("192.0.2.9", "eth1", BadPacketKind::kMalformed, "bad packet: x", t0 + 90s));
}

TEST_CASE("bad packets: lines logged at once are bounded per interval, whatever the senders") {
  BadPacketTally tally;
  std::size_t at_once = 0;
  for (int i = 0; i < 1000; ++i)
    if (tally.record("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256), "eth1",
                     BadPacketKind::kMalformed, "bad packet: x", t0))
      ++at_once;
  CHECK(at_once == BadPacketTally::kMaxImmediateLines);
  const auto summary = tally.summarise(t0 + 60s);
  CHECK(summary.size() <= BadPacketTally::kMaxSources + 1);
  // The senders the table could not hold are counted under "other".
  const auto sources = tally.sources();
  REQUIRE(sources.size() == BadPacketTally::kMaxSources + 1);
  CHECK(sources.back().address == BadPacketTally::kOtherSources);
  std::uint64_t total = 0;
  for (const auto& s : sources) total += s.total();
  CHECK(total == 1000);
}

TEST_CASE("bad packets: a quiet sender's slot goes to a new one, its counts to 'other'") {
  BadPacketTally tally;
  for (std::size_t i = 0; i < BadPacketTally::kMaxSources; ++i)
    (void)tally.record("10.0.0." + std::to_string(i), "eth1", BadPacketKind::kMalformed,
                       "bad packet: x", t0);
  (void)tally.summarise(t0 + 60s);  // all quiet since their first packet
  (void)tally.record("192.0.2.9", "eth1", BadPacketKind::kUnauthenticated, kForged, t0 + 61s);
  const auto sources = tally.sources();
  REQUIRE(sources.size() == BadPacketTally::kMaxSources + 1);
  CHECK(sources.front().address == "192.0.2.9");
  CHECK(sources.back().address == BadPacketTally::kOtherSources);
  CHECK(sources.back().counts[0] == 1);
}

TEST_CASE("bad packets: counts since start are kept per sender and kind") {
  BadPacketTally tally;
  (void)tally.record("192.0.2.9", "eth1", BadPacketKind::kMalformed, "bad packet: x", t0);
  (void)tally.record("192.0.2.9", "eth1", BadPacketKind::kUnauthenticated, kForged, t0);
  (void)tally.record("unknown", "eth1", BadPacketKind::kUnreadable, "too big", t0);
  (void)tally.summarise(t0 + 60s);
  const auto sources = tally.sources();
  REQUIRE(sources.size() == 2);
  CHECK(sources[0].address == "192.0.2.9");
  CHECK(sources[0].counts == std::array<std::uint64_t, 3>{1, 1, 0});
  CHECK(sources[1].counts == std::array<std::uint64_t, 3>{0, 0, 1});
}
