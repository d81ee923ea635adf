// The cluster-event vocabulary (common/proto/cluster_event.h) and the event
// Task that carries it (resourced_messages.h): a closed set of events, and
// fields that stay data.
#include <catch2/catch.hpp>
#include <string>

#include "common/ipc/frame.h"
#include "common/proto/cluster_event.h"
#include "common/proto/resourced_messages.h"

using namespace vigil;
namespace pr = vigil::proto::resourced;
using proto::ClusterEvent;
using proto::EventField;

namespace {

const std::string kHash(64, 'b');

pr::Task event_task(std::uint16_t index, std::vector<EventField> fields,
                    pr::Op op = pr::Op::kStart) {
  return pr::Task{7, kHash, pr::TaskKind::kEvent, index, op, std::move(fields)};
}

}  // namespace

TEST_CASE("cluster events: each event is named as heartbeat names its rc.d script") {
  CHECK(proto::event_name(ClusterEvent::kStatus) == "status");
  CHECK(proto::event_name(ClusterEvent::kIfstat) == "ifstat");
  CHECK(proto::event_name(ClusterEvent::kIpRequest) == "ip-request");
  CHECK(proto::event_name(ClusterEvent::kIpRequestResp) == "ip-request-resp");
  CHECK(proto::event_name(ClusterEvent::kHbTakeover) == "hb_takeover");
  CHECK(proto::event_name(ClusterEvent::kStonith) == "stonith");
  CHECK(proto::all_cluster_events().size() == 6);
  CHECK_FALSE(proto::cluster_event_from(0));
  CHECK_FALSE(proto::cluster_event_from(7));
  CHECK(proto::cluster_event_from(2) == ClusterEvent::kIfstat);
}

TEST_CASE("cluster events: a field is a plain name and a printable, bounded value") {
  CHECK(proto::event_field_violation({"src", "node2"}).empty());
  CHECK(proto::event_field_violation({"OSTATUS", "active"}).empty());
  CHECK(proto::event_field_violation({"ipaddr", "node1 192.0.2.5/24 httpd"}).empty());
  CHECK_FALSE(proto::event_field_violation({"", "x"}).empty());
  CHECK_FALSE(proto::event_field_violation({"a=b", "x"}).empty());
  CHECK_FALSE(proto::event_field_violation({"PATH;", "x"}).empty());
  CHECK_FALSE(proto::event_field_violation({std::string(33, 'a'), "x"}).empty());
  CHECK_FALSE(proto::event_field_violation({"src", "a\nb"}).empty());
  CHECK_FALSE(proto::event_field_violation({"src", std::string("a\0b", 3)}).empty());
  CHECK_FALSE(proto::event_field_violation({"src", "caf\xc3\xa9"}).empty());
  CHECK(proto::event_field_violation({"src", std::string(256, 'v')}).empty());
  CHECK_FALSE(proto::event_field_violation({"src", std::string(257, 'v')}).empty());
}

TEST_CASE("cluster events: a field list is bounded and names each field once") {
  std::vector<EventField> many;
  for (int i = 0; i < 17; ++i) many.push_back({"f" + std::to_string(i), "v"});
  CHECK_FALSE(proto::event_fields_violation(many).empty());
  many.pop_back();
  CHECK(proto::event_fields_violation(many).empty());
  CHECK(proto::event_fields_violation({{"src", "a"}, {"src", "b"}}) == "field src given twice");
}

TEST_CASE("resourced vocabulary: an event Task round-trips with its fields in order") {
  const pr::Task t = event_task(1, {{"t", "status"}, {"src", "node2"}, {"st", "dead"}});
  auto bytes = pr::encode(t);
  REQUIRE(bytes.ok());
  auto frame = ipc::decode_frame(*bytes);
  REQUIRE(frame.ok());
  auto back = pr::decode(*frame);
  REQUIRE(back.ok());
  CHECK(std::get<pr::Task>(*back) == t);
}

TEST_CASE(
    "resourced vocabulary: an event outside the set, an op other than start, or a bad "
    "field is refused") {
  CHECK_FALSE(pr::encode(event_task(0, {})).ok());
  CHECK_FALSE(pr::encode(event_task(7, {})).ok());
  CHECK_FALSE(pr::encode(event_task(1, {}, pr::Op::kStop)).ok());
  CHECK_FALSE(pr::encode(event_task(1, {{"src", "a\nb"}})).ok());
  pr::Task respawn{7, kHash, pr::TaskKind::kRespawn, 0, pr::Op::kStart, {{"t", "x"}}};
  CHECK_FALSE(pr::encode(respawn).ok());
}

TEST_CASE("resourced vocabulary: a decoded event Task with a control character is malformed") {
  // Encode a valid one, then turn a value byte into a newline.
  auto bytes = pr::encode(event_task(1, {{"src", "nodeX"}}));
  REQUIRE(bytes.ok());
  ipc::Bytes b = *bytes;
  b[b.size() - 1] = static_cast<std::uint8_t>('\n');
  auto frame = ipc::decode_frame(b);
  REQUIRE(frame.ok());
  CHECK_FALSE(pr::decode(*frame).ok());
}

TEST_CASE("resourced vocabulary: a respawn Task is the same bytes as before events existed") {
  // u32 id, hash (u16 length + 64), u8 kind, u16 index, u8 op: no field count.
  auto bytes = pr::encode(pr::Task{1, kHash, pr::TaskKind::kRespawn, 0, pr::Op::kStart, {}});
  REQUIRE(bytes.ok());
  CHECK(bytes->size() == ipc::kFrameHeaderSize + 4 + 2 + 64 + 1 + 2 + 1);
}
