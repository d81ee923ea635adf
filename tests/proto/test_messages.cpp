// The two root-helper vocabularies: every message round-trips, and every
// malformed variant is rejected with an error value (issue: the boundary).
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "common/ipc/frame.h"
#include "common/proto/ipd_messages.h"
#include "common/proto/resourced_messages.h"

using namespace vigil;
namespace pi = vigil::proto::ipd;
namespace pr = vigil::proto::resourced;

namespace {

const std::string kHash(64, 'a');

template <class Vocabulary, class M>
M round_trip(const M& m) {
  auto bytes = Vocabulary::encode(m);
  REQUIRE(bytes.ok());
  auto frame = ipc::decode_frame(*bytes);
  REQUIRE(frame.ok());
  auto back = Vocabulary::decode(*frame);
  REQUIRE(back.ok());
  REQUIRE(std::holds_alternative<M>(*back));
  return std::get<M>(*back);
}

struct Ipd {
  static auto encode(const pi::Message& m) { return pi::encode(m); }
  static auto decode(const ipc::Frame& f) { return pi::decode(f); }
};
struct Res {
  static auto encode(const pr::Message& m) { return pr::encode(m); }
  static auto decode(const ipc::Frame& f) { return pr::decode(f); }
};

ipc::Frame frame_of(const ipc::Bytes& bytes) {
  auto f = ipc::decode_frame(bytes);
  REQUIRE(f.ok());
  return *f;
}

}  // namespace

TEST_CASE("ipd vocabulary: every message type round-trips") {
  CHECK(round_trip<Ipd>(proto::Hello{kHash, 15000}) == proto::Hello{kHash, 15000});
  CHECK(round_trip<Ipd>(proto::Lease{250}) == proto::Lease{250});
  CHECK(round_trip<Ipd>(pi::AddVip{7, kHash, {2, 0}}) == pi::AddVip{7, kHash, {2, 0}});
  CHECK(round_trip<Ipd>(pi::RemoveVip{8, kHash, {0, 3}}) == pi::RemoveVip{8, kHash, {0, 3}});
  CHECK(round_trip<Ipd>(pi::ListVips{9}) == pi::ListVips{9});
  const pi::Result r{10, pi::Outcome::kRefused, "config hash differs"};
  CHECK(round_trip<Ipd>(r) == r);
  const pi::VipList list{11, {{{0, 0}, true}, {{1, 2}, false}}};
  CHECK(round_trip<Ipd>(list) == list);
  const pi::Event e{pi::EventKind::kVipLost, {0, 0}, "eth1"};
  CHECK(round_trip<Ipd>(e) == e);
  for (auto kind : {pi::AnnounceKind::kAgain, pi::AnnounceKind::kRefresh}) {
    const pi::AnnounceVip a{12, kHash, {1, 2}, kind};
    CHECK(round_trip<Ipd>(a) == a);
  }
}

TEST_CASE("ipd vocabulary: AnnounceVip is type 11, laid out as AddVip plus one kind byte") {
  auto bytes = pi::encode(pi::AnnounceVip{7, kHash, {2, 1}, pi::AnnounceKind::kRefresh});
  REQUIRE(bytes.ok());
  const ipc::Frame f = frame_of(*bytes);
  CHECK(f.type == 11);
  auto add = pi::encode(pi::AddVip{7, kHash, {2, 1}});
  REQUIRE(add.ok());
  const ipc::Frame a = frame_of(*add);
  REQUIRE(f.payload.size() == a.payload.size() + 1);
  CHECK(std::equal(a.payload.begin(), a.payload.end(), f.payload.begin()));
  CHECK(f.payload.back() == 2);
}

TEST_CASE("ipd vocabulary: an AnnounceVip kind out of range, or types 9, 10 and 12, are rejected") {
  CHECK_FALSE(pi::encode(pi::AnnounceVip{1, kHash, {0, 0}, static_cast<pi::AnnounceKind>(3)}).ok());
  CHECK_FALSE(pi::encode(pi::AnnounceVip{1, kHash, {0, 0}, static_cast<pi::AnnounceKind>(0)}).ok());
  auto bytes = pi::encode(pi::AnnounceVip{1, kHash, {0, 0}, pi::AnnounceKind::kAgain});
  REQUIRE(bytes.ok());
  ipc::Frame f = frame_of(*bytes);
  f.payload.back() = 7;
  CHECK_FALSE(pi::decode(f).ok());
  for (std::uint16_t type : {9, 10, 12}) {
    ipc::Frame other = frame_of(*bytes);
    other.type = type;
    CHECK_FALSE(pi::decode(other).ok());
  }
}

TEST_CASE("resourced vocabulary: every message type round-trips") {
  CHECK(round_trip<Res>(proto::Hello{kHash, 15000}) == proto::Hello{kHash, 15000});
  CHECK(round_trip<Res>(proto::Lease{1000}) == proto::Lease{1000});
  const pr::Request q{1, kHash, {0, 1}, pr::Op::kStart};
  CHECK(round_trip<Res>(q) == q);
  const pr::Reply p{1,  pr::Op::kStop, pr::Outcome::kTimeout, pr::RunState::kUnknown,
                    -9, 20000,         "tail of output"};
  CHECK(round_trip<Res>(p) == p);
}

TEST_CASE("ipd vocabulary: a short payload is rejected") {
  auto bytes = pi::encode(pi::AddVip{1, kHash, {0, 0}});
  REQUIRE(bytes.ok());
  ipc::Frame f = frame_of(*bytes);
  f.payload.pop_back();
  CHECK_FALSE(pi::decode(f).ok());
}

TEST_CASE("ipd vocabulary: a long payload (trailing bytes) is rejected") {
  auto bytes = pi::encode(pi::ListVips{1});
  REQUIRE(bytes.ok());
  ipc::Frame f = frame_of(*bytes);
  f.payload.push_back(0);
  CHECK_FALSE(pi::decode(f).ok());
}

TEST_CASE("ipd vocabulary: an unknown message type is rejected") {
  ipc::Frame f{99, {}};
  CHECK_FALSE(pi::decode(f).ok());
  ipc::Frame zero{0, {}};
  CHECK_FALSE(pi::decode(zero).ok());
}

TEST_CASE("ipd vocabulary: a place out of range is rejected on both sides") {
  CHECK_FALSE(pi::encode(pi::AddVip{1, kHash, {proto::kMaxGroups, 0}}).ok());
  ipc::PayloadWriter w;
  w.u32(1);
  w.string(kHash, 64);
  w.u16(0);
  w.u16(proto::kMaxPosition);
  auto payload = std::move(w).finish();
  REQUIRE(payload.ok());
  CHECK_FALSE(pi::decode(ipc::Frame{static_cast<std::uint16_t>(pi::Type::kAddVip), *payload}).ok());
}

TEST_CASE("ipd vocabulary: a malformed config hash is rejected") {
  CHECK_FALSE(pi::encode(pi::AddVip{1, std::string(64, 'A'), {0, 0}}).ok());
  CHECK_FALSE(pi::encode(pi::AddVip{1, std::string(63, 'a'), {0, 0}}).ok());
  CHECK_FALSE(pi::encode(proto::Hello{"xyz", 1000}).ok());
}

TEST_CASE("ipd vocabulary: an event kind out of range is rejected") {
  ipc::PayloadWriter w;
  w.u8(9);
  w.u16(0);
  w.u16(0);
  w.string("eth1", 15);
  auto payload = std::move(w).finish();
  REQUIRE(payload.ok());
  CHECK_FALSE(pi::decode(ipc::Frame{static_cast<std::uint16_t>(pi::Type::kEvent), *payload}).ok());
}

TEST_CASE("helper vocabularies: a lease outside its bounds is rejected") {
  CHECK_FALSE(pi::encode(proto::Lease{proto::kMinLeaseMs - 1}).ok());
  CHECK_FALSE(pr::encode(proto::Lease{proto::kMaxLeaseMs + 1}).ok());
  CHECK(pr::encode(proto::Lease{proto::kMinLeaseMs}).ok());
}

TEST_CASE("resourced vocabulary: an op out of range is rejected") {
  ipc::PayloadWriter w;
  w.u32(1);
  w.string(kHash, 64);
  w.u16(0);
  w.u16(0);
  w.u8(4);
  auto payload = std::move(w).finish();
  REQUIRE(payload.ok());
  CHECK_FALSE(
      pr::decode(ipc::Frame{static_cast<std::uint16_t>(pr::Type::kRequest), *payload}).ok());
}

TEST_CASE("resourced vocabulary: an output tail longer than the bound is rejected") {
  pr::Reply p;
  p.output_tail.assign(proto::kMaxText + 1, 'x');
  CHECK_FALSE(pr::encode(p).ok());
}

namespace {

// The answer to a health check (kMonitor Task): a status reply plus how it ran.
pr::Reply check_reply(pr::CheckRun check, pr::Outcome outcome, std::int32_t exit_status,
                      std::string unit_state = {}) {
  pr::Reply r{9, pr::Op::kStatus, outcome, pr::RunState::kRunning, exit_status, 40, ""};
  r.check = check;
  r.unit_state = std::move(unit_state);
  return r;
}

// A Reply's payload, with `extra` bytes appended.
ipc::Frame reply_frame(const pr::Reply& r, std::vector<std::uint8_t> extra = {}) {
  auto bytes = pr::encode(r);
  REQUIRE(bytes.ok());
  ipc::Frame f = frame_of(*bytes);
  f.payload.insert(f.payload.end(), extra.begin(), extra.end());
  return f;
}

}  // namespace

TEST_CASE("resourced vocabulary: a check's reply round-trips each way it can have run") {
  using C = pr::CheckRun;
  using O = pr::Outcome;
  const std::vector<pr::Reply> replies = {
      check_reply(C::kProgramExited, O::kFailed, 7),
      check_reply(C::kProgramSignalled, O::kFailed, -15),
      check_reply(C::kProgramTimedOut, O::kTimeout, -9),
      check_reply(C::kNotRun, O::kFailed, -1),
      check_reply(C::kUnitState, O::kOk, 0, "failed/failed"),
      check_reply(C::kSystemdNoAnswer, O::kTimeout, -1),
      check_reply(C::kSystemdUnreachable, O::kFailed, -1),
  };
  for (const pr::Reply& r : replies) {
    CAPTURE(static_cast<int>(r.check));
    CHECK(round_trip<Res>(r) == r);
  }
}

TEST_CASE("resourced vocabulary: a reply that is not a check's keeps its v1 bytes") {
  const pr::Reply plain{1, pr::Op::kStatus, pr::Outcome::kOk, pr::RunState::kRunning, 0, 5, "t"};
  pr::Reply check = plain;
  check.check = pr::CheckRun::kProgramExited;
  // The check part is one byte of way plus the unit state (length 0 here).
  CHECK(reply_frame(check).payload.size() == reply_frame(plain).payload.size() + 1 + 2);
  // The check part saying "no check" is not a form encode writes.
  CHECK_FALSE(pr::decode(reply_frame(plain, {0, 0, 0})).ok());
  // Nor a way past the last one.
  CHECK_FALSE(pr::decode(reply_frame(plain, {8, 0, 0})).ok());
}

TEST_CASE("resourced vocabulary: a check's reply that contradicts itself is rejected") {
  using C = pr::CheckRun;
  using O = pr::Outcome;
  const std::vector<std::pair<const char*, pr::Reply>> bad = {
      {"a unit state without systemd's answer",
       check_reply(C::kProgramExited, O::kOk, 0, "active")},
      {"systemd's answer without a unit state", check_reply(C::kUnitState, O::kOk, 0)},
      {"a timed-out program that did not time out",
       check_reply(C::kProgramTimedOut, O::kFailed, -9)},
      {"a timeout that names no timeout", check_reply(C::kSystemdUnreachable, O::kTimeout, -1)},
      {"an exit with -signal", check_reply(C::kProgramExited, O::kFailed, -9)},
      {"a signal with an exit code", check_reply(C::kProgramSignalled, O::kFailed, 1)},
      {"a refused check that ran", check_reply(C::kProgramExited, O::kRefused, 0)},
      {"a unit state with a control byte", check_reply(C::kUnitState, O::kOk, 0, "act\nive")},
      {"a unit state too long", check_reply(C::kUnitState, O::kOk, 0, std::string(65, 'a'))},
  };
  for (const auto& [why, r] : bad) {
    CAPTURE(why);
    CHECK_FALSE(pr::encode(r).ok());
  }
  pr::Reply start = check_reply(C::kProgramExited, O::kOk, 0);
  start.op = pr::Op::kStart;
  CHECK_FALSE(pr::encode(start).ok());
}

TEST_CASE("resourced vocabulary: a truncated reply is rejected") {
  auto bytes = pr::encode(pr::Reply{5, pr::Op::kStatus, pr::Outcome::kOk, pr::RunState::kRunning, 0,
                                    12, "httpd is running"});
  REQUIRE(bytes.ok());
  ipc::Frame f = frame_of(*bytes);
  f.payload.resize(f.payload.size() - 3);
  CHECK_FALSE(pr::decode(f).ok());
}

TEST_CASE("resourced vocabulary: a Task round-trips and names only a kind and an index") {
  const pr::Task t{3, kHash, pr::TaskKind::kRespawn, 2, pr::Op::kStart, {}};
  CHECK(round_trip<Res>(t) == t);
  // request id, hash, kind, index, op: nothing else fits in the frame.
  auto bytes = pr::encode(t);
  REQUIRE(bytes.ok());
  CHECK(frame_of(*bytes).payload.size() == 4 + 2 + 64 + 1 + 2 + 1);
}

TEST_CASE("resourced vocabulary: a Task of an unknown kind or out-of-range index is rejected") {
  auto task_payload = [](std::uint8_t kind, std::uint16_t index) {
    ipc::PayloadWriter w;
    w.u32(1);
    w.string(kHash, 64);
    w.u8(kind);
    w.u16(index);
    w.u8(1);
    auto payload = std::move(w).finish();
    REQUIRE(payload.ok());
    return ipc::Frame{static_cast<std::uint16_t>(pr::Type::kTask), *payload};
  };
  CHECK(pr::decode(task_payload(1, 0)).ok());
  CHECK_FALSE(pr::decode(task_payload(0, 0)).ok());
  CHECK_FALSE(pr::decode(task_payload(2, 0)).ok());  // reserved for a later kind
  CHECK_FALSE(pr::decode(task_payload(1, pr::kMaxTaskIndex)).ok());
  CHECK_FALSE(
      pr::encode(pr::Task{1, kHash, pr::TaskKind::kRespawn, pr::kMaxTaskIndex, pr::Op::kStart, {}})
          .ok());
}
