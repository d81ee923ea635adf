#include <catch2/catch.hpp>

#include "common/ipc/frame.h"
#include "common/proto/control_messages.h"
#include "tests/proto/status_fixture.h"

using namespace vigil;
namespace c = vigil::proto::control;

namespace {

ipc::Frame frame_of(const c::Message& m) {
  auto bytes = c::encode(m);
  REQUIRE(bytes);
  auto frame = ipc::decode_frame(*bytes);
  REQUIRE(frame);
  return *frame;
}

c::Message round_trip(const c::Message& m) {
  auto back = c::decode(frame_of(m));
  REQUIRE(back);
  return *back;
}

}  // namespace

TEST_CASE("control vocabulary: every request round-trips unchanged") {
  for (const c::Message& m :
       {c::Message{c::StatusRequest{}}, c::Message{c::Standby{c::ResourceClass::kForeign}},
        c::Message{c::Takeover{c::ResourceClass::kFailback}}})
    CHECK(round_trip(m) == m);
}

TEST_CASE("control vocabulary: a full status reply round-trips unchanged") {
  const c::Message m{testing::sample_status()};
  CHECK(round_trip(m) == m);
}

TEST_CASE("control vocabulary: a command reply round-trips unchanged") {
  const c::Message m{c::CommandReply{false, "resource management not active yet"}};
  CHECK(round_trip(m) == m);
}

TEST_CASE("control vocabulary: an unknown message type is rejected") {
  ipc::Frame f{99, {}};
  CHECK_FALSE(c::decode(f));
  f.type = 0;
  CHECK_FALSE(c::decode(f));
}

TEST_CASE("control vocabulary: a standby class out of range is rejected") {
  ipc::Frame f = frame_of(c::Standby{c::ResourceClass::kAll});
  f.payload.at(0) = 4;
  CHECK_FALSE(c::decode(f));
}

TEST_CASE("control vocabulary: trailing bytes after a request are rejected") {
  ipc::Frame f = frame_of(c::StatusRequest{});
  f.payload.push_back(0);
  CHECK_FALSE(c::decode(f));
}

TEST_CASE("control vocabulary: a truncated status reply is rejected at every length") {
  const ipc::Frame whole = frame_of(testing::sample_status());
  for (std::size_t n = 0; n < whole.payload.size(); ++n) {
    ipc::Frame f{whole.type, ipc::Bytes(whole.payload.begin(), whole.payload.begin() + n)};
    INFO("length " << n);
    CHECK_FALSE(c::decode(f));
  }
}

TEST_CASE("control vocabulary: a node status out of range is rejected") {
  c::StatusReply s;
  s.local_node = "n";
  s.nodes = {{"n", c::NodeType::kNormal, c::NodeStatus::kActive, {}, ""}};
  ipc::Frame f = frame_of(s);
  // local_node (2+1), local_status, resource_management, rscstatus, count
  // (2), name (2+1), type, then the node's status byte.
  const std::size_t status_at = 3 + 1 + 1 + 1 + 2 + 3 + 1;
  REQUIRE(f.payload.at(status_at) == static_cast<std::uint8_t>(c::NodeStatus::kActive));
  f.payload.at(status_at) = 5;
  CHECK_FALSE(c::decode(f));
}

TEST_CASE("control vocabulary: a node count over the bound is rejected before reading nodes") {
  c::StatusReply s;
  s.local_node = "n";
  ipc::Frame f = frame_of(s);
  const std::size_t count_at = 3 + 1 + 1 + 1;
  f.payload.at(count_at) = 0xff;
  f.payload.at(count_at + 1) = 0xff;
  auto r = c::decode(f);
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error().message, Catch::Contains("too many nodes"));
}

TEST_CASE("control vocabulary: a reply with an empty local node name is not encoded") {
  CHECK_FALSE(c::encode(c::StatusReply{}));
}

TEST_CASE("control vocabulary: a group key longer than its bound is not encoded") {
  c::StatusReply s = testing::sample_status();
  s.groups[0].key = std::string(c::kMaxGroupKey + 1, 'x');
  CHECK_FALSE(c::encode(s));
}

TEST_CASE("control vocabulary: a non-boolean byte in a command reply is rejected") {
  ipc::Frame f = frame_of(c::CommandReply{true, ""});
  f.payload.at(0) = 2;
  CHECK_FALSE(c::decode(f));
}

TEST_CASE("control vocabulary: class words parse, failback included, and nothing else") {
  c::ResourceClass cls = c::ResourceClass::kAll;
  CHECK(c::parse_class_word("failback", cls));
  CHECK(cls == c::ResourceClass::kFailback);
  CHECK(c::parse_class_word("local", cls));
  CHECK(cls == c::ResourceClass::kLocal);
  CHECK_FALSE(c::parse_class_word("ALL", cls));
  CHECK_FALSE(c::parse_class_word("", cls));
}

TEST_CASE("control vocabulary: more bad packet sources than the bound are not encoded") {
  c::StatusReply s = testing::sample_status();
  s.bad_packet_sources.assign(c::kMaxBadPacketSources + 1, {"192.0.2.99", 1, 0, 0});
  CHECK_FALSE(c::encode(s));
}

TEST_CASE("control vocabulary: events requests and replies round-trip unchanged") {
  c::TimelineEvent e;
  e.seq = 42;
  e.mono_us = 123456789;
  e.wall_us = 1'765'000'000'000'000;
  e.priority = 4;
  e.event = "step-finished";
  e.node = "node1";
  e.group = "192.0.2.5";
  e.text = "start httpsvc";
  e.step_id = 7;
  e.outcome = "ok";
  e.step_us = 250000;
  c::EventsReply reply;
  reply.events.assign(c::kMaxEventsPerReply, e);
  reply.more = true;
  reply.newest_seq = 99;
  for (const c::Message& m : {c::Message{c::EventsRequest{17}}, c::Message{reply}})
    CHECK(round_trip(m) == m);
}

TEST_CASE("control vocabulary: an events reply of the largest events fits one frame") {
  c::TimelineEvent e;
  e.event = std::string(c::kMaxEventId, 'e');
  e.node = e.link = e.group = std::string(c::kMaxName, 'n');
  e.text = std::string(c::kMaxEventText, 't');
  e.outcome = std::string(c::kMaxEventId, 'o');
  c::EventsReply reply;
  reply.events.assign(c::kMaxEventsPerReply, e);
  CHECK(c::encode(c::Message{reply}));
}

TEST_CASE("control vocabulary: an events reply with too many events or an empty id is refused") {
  c::TimelineEvent e;
  e.event = "node-dead";
  c::EventsReply reply;
  reply.events.assign(c::kMaxEventsPerReply + 1, e);
  CHECK_FALSE(c::encode(c::Message{reply}));
  reply.events.assign(1, c::TimelineEvent{});
  CHECK_FALSE(c::encode(c::Message{reply}));
}

TEST_CASE("control vocabulary: DRBD's outdate-peer request and reply round-trip unchanged") {
  for (const c::Message& m : {c::Message{c::OutdatePeerRequest{"r0", "node2", 5000}},
                              c::Message{c::OutdatePeerRequest{"r0", "", 25000}},
                              c::Message{c::OutdatePeerReply{4, "node2 answered outdated"}}})
    CHECK(round_trip(m) == m);
}

TEST_CASE("control vocabulary: an outdate-peer request without a resource or timeout is refused") {
  CHECK_FALSE(c::encode(c::OutdatePeerRequest{"", "node2", 5000}));
  CHECK_FALSE(c::encode(c::OutdatePeerRequest{"r0", "node2", 0}));
  CHECK_FALSE(c::encode(c::OutdatePeerRequest{"r0", "node2", c::kMaxOutdateTimeoutMs + 1}));
  CHECK_FALSE(c::encode(c::OutdatePeerRequest{std::string(c::kMaxDrbdResource + 1, 'r'), "", 1}));
}
