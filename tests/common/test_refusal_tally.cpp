// Refusals past an IPC connection limit are logged at a bounded rate
// (common/ipc/refusal_tally.h, issue 15).
#include <catch2/catch.hpp>
#include <string>

#include "common/ipc/refusal_tally.h"

using namespace vigil;
using namespace vigil::ipc;
using namespace std::chrono_literals;

namespace {

const MonoTime t0 = MonoTime(100s);
constexpr Duration kInterval = 60s;

PeerCredentials peer(pid_t pid, uid_t uid) { return PeerCredentials{pid, uid, 0}; }

}  // namespace

TEST_CASE("refusal tally: the first refusal is logged at once with the peer's pid and uid") {
  RefusalTally tally("control.sock", kInterval);
  auto line = tally.record(peer(4242, 1000), 16, t0);
  REQUIRE(line);
  CHECK(
      line->text.starts_with("refusing IPC connection on control.sock from pid 4242 uid 1000: "
                             "16 connections are open, the limit"));
  CHECK(line->peer.pid == 4242);
  CHECK(line->peer.uid == 1000);
  REQUIRE(tally.next_deadline());
  CHECK(*tally.next_deadline() == t0 + kInterval);
}

TEST_CASE("refusal tally: later refusals of the interval are counted, then summarised once") {
  RefusalTally tally("ipd.sock", kInterval);
  REQUIRE(tally.record(peer(1, 0), 4, t0));
  CHECK_FALSE(tally.record(peer(77, 1001), 4, t0 + 1s));
  CHECK_FALSE(tally.record(peer(78, 1002), 4, t0 + 2s));
  CHECK_FALSE(tally.record(peer(77, 1001), 4, t0 + 3s));
  CHECK_FALSE(tally.summarise(t0 + 59s));  // not before the interval ends
  auto summary = tally.summarise(t0 + kInterval);
  REQUIRE(summary);
  CHECK(summary->text ==
        "refused 3 more IPC connection(s) on ipd.sock in the last 60 s, the first from pid 77 "
        "uid 1001: 4 connections are open, the limit");
  CHECK(summary->peer.pid == 77);
  CHECK_FALSE(tally.summarise(t0 + kInterval));  // said once
  CHECK(tally.total() == 4);
}

TEST_CASE("refusal tally: a quiet interval ends the episode; the next refusal is logged at once") {
  RefusalTally tally("resourced.sock", kInterval);
  REQUIRE(tally.record(peer(1, 0), 4, t0));
  CHECK_FALSE(tally.record(peer(2, 0), 4, t0 + 1s));
  REQUIRE(tally.summarise(t0 + kInterval));
  // The next interval passes without a refusal: nothing to say, episode over.
  CHECK_FALSE(tally.summarise(t0 + 2 * kInterval));
  CHECK_FALSE(tally.next_deadline());
  auto again = tally.record(peer(3, 0), 4, t0 + 3 * kInterval);
  REQUIRE(again);
  CHECK(again->text.find("from pid 3 uid 0") != std::string::npos);
}

TEST_CASE(
    "refusal tally: a peer reconnecting in a loop gets one line at once and one per interval") {
  RefusalTally tally("control.sock", kInterval);
  int lines = 0;
  // 10 minutes of 1000 refusals a second, the summary timer run on time.
  MonoTime now = t0;
  const MonoTime end = t0 + 600s;
  while (now < end) {
    if (tally.record(peer(9, 9), 16, now)) ++lines;
    if (auto due = tally.next_deadline(); due && now >= *due && tally.summarise(now)) ++lines;
    now += 1ms;
  }
  CHECK(tally.total() == 600000);
  CHECK(lines <= 1 + 10);
  CHECK(lines >= 10);  // the counts are still reported
}
