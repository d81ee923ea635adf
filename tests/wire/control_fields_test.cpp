// Control fields (heartbeat-compat.md §5.4), checked against what real
// heartbeat sent in capture 01.
#include <catch2/catch.hpp>

#include "heartbeatd/wire/codec.h"
#include "heartbeatd/wire/control_fields.h"
#include "wire_test_support.h"

using namespace vigil;
using namespace vigil::wire;

namespace {

const NodeUuid kVmUuid = {0x1d, 0x97, 0xb9, 0xa7, 0x99, 0x97, 0x45, 0xf1,
                          0xbe, 0x27, 0xa7, 0x01, 0x5b, 0x51, 0x41, 0xb3};

ControlFields vm_control(std::uint64_t seq, std::int64_t ts, std::string ld) {
  ControlFields c;
  c.src = "vm";
  c.uuid = kVmUuid;
  c.seq = seq;
  c.generation = 0x6b0614d6;
  c.ts = ts;
  c.load_average = std::move(ld);
  c.ttl = 3;
  return c;
}

std::vector<std::string> names_of(const Message& m) {
  std::vector<std::string> names;
  for (const auto& f : m.fields()) names.push_back(f.name);
  return names;
}

const std::string& captured(std::string_view needle) {
  static const auto datagrams = test::capture(test::kCapture01);
  for (const auto& d : datagrams)
    if (d.payload.find(needle) != std::string::npos) return d.payload;
  throw std::runtime_error("not in capture 01");
}

}  // namespace

TEST_CASE("control fields: a status message rebuilt from its parts is heartbeat's packet",
          "[wire][control]") {
  Message m({{"t", FieldType::kString, "status"},
             {"st", FieldType::kString, "up"},
             {"dt", FieldType::kString, "1b58"},
             {"protocol", FieldType::kString, "1"}});
  add_control_fields(m, vm_control(2, 0x6b0614d5, "0.09 0.21 0.16 2/119 17207"));
  auto encoded = encode_netstring(m, *test::capture01_keys().find(1));
  REQUIRE(encoded.ok());
  CHECK(*encoded == test::from_hex(test::kSection53Vector));
}

TEST_CASE("control fields: an NS_ackmsg gets destuuid, no seq and no ld, as heartbeat sends it",
          "[wire][control]") {
  Message m({{"t", FieldType::kString, "NS_ackmsg"},
             {"dest", FieldType::kString, "vm"},
             {"ackseq", FieldType::kString, "6"}});
  ControlFields c = vm_control(99, 0x6b0614d8, "1.00 1.00 1.00 1/1 1");
  c.dest_uuid = kVmUuid;
  add_control_fields(m, c);
  CHECK(names_of(m) == std::vector<std::string>{"t", "dest", "ackseq", "destuuid", "src",
                                                "srcuuid", "hg", "ts", "ttl"});
  auto encoded = encode_netstring(m, *test::capture01_keys().find(1));
  REQUIRE(encoded.ok());
  CHECK(*encoded == captured("ackseq=6,"));
}

TEST_CASE("control fields: a sequenced message to one node has destuuid before src",
          "[wire][control]") {
  Message m({{"t", FieldType::kString, "ip-request-resp"},
             {"dest", FieldType::kString, "vm"},
             {"ipaddr", FieldType::kString, "dummyA::x::y"},
             {"weown", FieldType::kString, "yes"},
             {"ok", FieldType::kString, "OK"}});
  ControlFields c = vm_control(0x12, 0x6b0614df, "0.08 0.21 0.16 4/124 17286");
  c.dest_uuid = kVmUuid;
  add_control_fields(m, c);
  auto encoded = encode_netstring(m, *test::capture01_keys().find(1));
  REQUIRE(encoded.ok());
  CHECK(*encoded == captured("t=ip-request-resp"));
}

TEST_CASE("control fields: destuuid is added only when the message has dest", "[wire][control]") {
  Message m({{"t", FieldType::kString, "status"}});
  ControlFields c = vm_control(1, 1, "0");
  c.dest_uuid = kVmUuid;
  add_control_fields(m, c);
  CHECK_FALSE(m.has("destuuid"));
}

TEST_CASE("control fields: existing control fields are replaced in place", "[wire][control]") {
  Message m({{"t", FieldType::kString, "status"},
             {"seq", FieldType::kString, "old"},
             {"st", FieldType::kString, "up"},
             {"src", FieldType::kString, "old"}});
  add_control_fields(m, vm_control(0xabc, 0x10, "ld"));
  CHECK(names_of(m) ==
        std::vector<std::string>{"t", "seq", "st", "src", "srcuuid", "hg", "ts", "ld", "ttl"});
  CHECK(m.get_or("seq", "") == "abc");
  CHECK(m.get_or("src", "") == "vm");
}

TEST_CASE("control fields: values are lowercase hex except ttl, which is decimal",
          "[wire][control]") {
  Message m({{"t", FieldType::kString, "status"}});
  ControlFields c = vm_control(0xABCDEF, 0x7FFFFFFF, "x");
  c.generation = 0xDEADBEEF;
  c.ttl = 12;
  add_control_fields(m, c);
  CHECK(m.get_or("seq", "") == "abcdef");
  CHECK(m.get_or("hg", "") == "deadbeef");
  CHECK(m.get_or("ts", "") == "7fffffff");
  CHECK(m.get_or("ttl", "") == "12");
}

TEST_CASE("control fields: without a uuid the message looks like heartbeat 1.x",
          "[wire][control]") {
  Message m({{"t", FieldType::kString, "status"}});
  ControlFields c = vm_control(1, 1, "x");
  c.uuid.reset();
  c.load_average.reset();
  add_control_fields(m, c);
  CHECK(names_of(m) == std::vector<std::string>{"t", "src", "seq", "hg", "ts", "ttl"});
}

TEST_CASE("control fields: NS_ is the unsequenced prefix", "[wire][control]") {
  CHECK(is_unsequenced_type("NS_st"));
  CHECK(is_unsequenced_type("NS_rexmit"));
  CHECK_FALSE(is_unsequenced_type("status"));
  CHECK_FALSE(is_unsequenced_type("ns_st"));
}
