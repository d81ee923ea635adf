// Real heartbeat 3.0.6 packets (captures/, heartbeat-compat.md §5.10)
// through vigil's decoder and verifier.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "heartbeatd/wire/codec.h"
#include "heartbeatd/wire/field_values.h"
#include "heartbeatd/wire/verify.h"
#include "wire_test_support.h"

using namespace vigil;
using namespace vigil::wire;
using vigil::test::capture;

namespace {

std::vector<std::string> names_of(const Message& m) {
  std::vector<std::string> names;
  for (const auto& f : m.fields()) names.push_back(f.name);
  return names;
}

struct Tally {
  int netstring = 0;
  int classic = 0;
};

Tally verify_all(const std::string& file, const conf::AuthKeys& keys) {
  Tally tally;
  for (const auto& datagram : capture(file)) {
    auto decoded = decode(datagram.payload);
    REQUIRE(decoded.ok());
    auto verified = verify(*decoded, keys);
    INFO(file << ": " << (verified ? "" : verified.error().message));
    REQUIRE(verified.ok());
    (decoded->encoding == Encoding::kNetstring ? tally.netstring : tally.classic)++;
  }
  return tally;
}

}  // namespace

TEST_CASE("captures: every packet of capture 01 verifies with `1 sha1 testkey`", "[wire][captures]") {
  const Tally tally = verify_all(test::kCapture01, test::capture01_keys());
  CHECK(tally.netstring == 51);
  CHECK(tally.classic == 0);
}

TEST_CASE("captures: every packet of capture 02 verifies with `2 crc` and `3 md5 md5key`",
          "[wire][captures]") {
  const Tally tally = verify_all(test::kCapture02, test::capture02_keys());
  CHECK(tally.netstring == 69);
  CHECK(tally.classic == 25);
}

TEST_CASE("captures: every packet of capture 03 verifies with `2 crc` and `3 md5 md5key`",
          "[wire][captures]") {
  const Tally tally = verify_all(test::kCapture03, test::capture02_keys());
  CHECK(tally.netstring == 73);
  CHECK(tally.classic == 25);
}

TEST_CASE("captures: vm's netstring packets are signed with the active key id, ghost's classic "
          "md5 packets with id 3", "[wire][captures]") {
  for (const char* file : {test::kCapture02, test::kCapture03}) {
    for (const auto& datagram : capture(file)) {
      auto decoded = decode(datagram.payload);
      REQUIRE(decoded.ok());
      auto verified = verify(*decoded, test::capture02_keys());
      REQUIRE(verified.ok());
      if (decoded->encoding == Encoding::kClassic) {
        CHECK(verified->key_id == 3);
        CHECK(verified->message.get_or("src", "") == "ghost");
        CHECK(decoded->auth_field.size() == 2 + 32);  // "3 " + HMAC-MD5 hex
      } else {
        CHECK(verified->key_id == 2);
        CHECK(verified->message.get_or("src", "") == "vm");
        CHECK(decoded->auth_field.starts_with("2 "));
      }
    }
  }
}

TEST_CASE("captures: a status packet has the §5.3 fields, types and order", "[wire][captures]") {
  const auto datagrams = capture(test::kCapture01);
  auto decoded = decode(datagrams.at(1).payload);
  REQUIRE(decoded.ok());
  const Message& m = decoded->message;
  CHECK(names_of(m) == std::vector<std::string>{"t", "st", "dt", "protocol", "src", "srcuuid",
                                                "seq", "hg", "ts", "ld", "ttl", "auth"});
  for (const auto& f : m.fields())
    CHECK(f.type == (f.name == "srcuuid" ? FieldType::kBinary : FieldType::kString));
  CHECK(m.get_or("t", "") == "status");
  CHECK(m.get_or("st", "") == "up");
  CHECK(m.get_or("protocol", "") == "1");
  CHECK(*m.get("srcuuid") == test::from_hex("1d97b9a7999745f1be27a7015b5141b3"));
  CHECK(parse_hex(m.get_or("dt", "")) == 7000u);  // deadtime 5 s + 2000 ms at start (§5.10)
  CHECK(parse_hex(m.get_or("seq", "")) == 2u);
  CHECK(parse_hex(m.get_or("hg", "")) == 0x6b0614d6u);
  CHECK(parse_hex(m.get_or("ts", "")) == 0x6b0614d5u);
  CHECK(parse_decimal(m.get_or("ttl", "")) == 3u);
  CHECK(decoded->trailer == "1 060fdafd0ea30b6c2571fd64d8ce334f0a80d446");
}

TEST_CASE("captures: only NS_ packets lack seq and ld; vm never repeats a seq in its generation",
          "[wire][captures]") {
  for (const char* file : {test::kCapture01, test::kCapture02, test::kCapture03}) {
    std::uint64_t last_seq = 0;
    std::set<std::uint64_t> seen;
    std::optional<std::uint64_t> generation;
    for (const auto& datagram : capture(file)) {
      auto decoded = decode(datagram.payload);
      REQUIRE(decoded.ok());
      const Message& m = decoded->message;
      if (m.get_or("src", "") != "vm") continue;
      INFO(file << " t=" << m.type());
      CHECK(parse_hex(m.get_or("ts", "")).has_value());
      const auto hg = parse_hex(m.get_or("hg", ""));
      REQUIRE(hg.has_value());
      if (!generation) generation = hg;
      CHECK(hg == generation);
      if (m.type().starts_with("NS_")) {
        CHECK_FALSE(m.has("seq"));
        CHECK_FALSE(m.has("ld"));
        continue;
      }
      const auto seq = parse_hex(m.get_or("seq", ""));
      REQUIRE(seq.has_value());
      CHECK(m.has("ld"));
      // heartbeat numbers a message when it is made, not when it goes
      // out (the stonith report of run 01 leaves after later ones), so
      // only uniqueness holds.
      CHECK(seen.insert(*seq).second);
      last_seq = std::max(last_seq, *seq);
    }
    CHECK(last_seq > 10);
  }
}

TEST_CASE("captures: every netstring packet re-encodes to the captured bytes", "[wire][captures]") {
  const std::pair<const char*, conf::AuthKeys> runs[] = {
      {test::kCapture01, test::capture01_keys()},
      {test::kCapture02, test::capture02_keys()},
      {test::kCapture03, test::capture02_keys()}};
  int compared = 0;
  for (const auto& [file, keys] : runs) {
    for (const auto& datagram : capture(file)) {
      auto decoded = decode(datagram.payload);
      REQUIRE(decoded.ok());
      if (decoded->encoding != Encoding::kNetstring) continue;
      auto encoded = encode_netstring(decoded->message, keys.active());
      REQUIRE(encoded.ok());
      CHECK(*encoded == datagram.payload);
      ++compared;
    }
  }
  CHECK(compared == 51 + 69 + 73);
}

TEST_CASE("captures: every classic md5 packet re-encodes to the captured bytes, NUL included",
          "[wire][captures]") {
  const conf::AuthKeys keys = test::capture02_keys();
  int compared = 0;
  for (const char* file : {test::kCapture02, test::kCapture03}) {
    for (const auto& datagram : capture(file)) {
      auto decoded = decode(datagram.payload);
      REQUIRE(decoded.ok());
      if (decoded->encoding != Encoding::kClassic) continue;
      auto encoded = encode_classic(decoded->message, *keys.find(3));
      REQUIRE(encoded.ok());
      CHECK(*encoded == datagram.payload);
      ++compared;
    }
  }
  CHECK(compared == 50);
}
