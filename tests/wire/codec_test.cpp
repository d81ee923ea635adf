// Decoding and encoding of well-formed messages (heartbeat-compat.md §5.2,
// §5.3).
#include <catch2/catch.hpp>

#include "heartbeatd/wire/codec.h"
#include "heartbeatd/wire/signature.h"
#include "heartbeatd/wire/verify.h"
#include "wire_test_support.h"

using namespace vigil;
using namespace vigil::wire;

namespace {

Message status_message() {
  return Message({{"t", FieldType::kString, "status"},
                  {"st", FieldType::kString, "active"},
                  {"src", FieldType::kString, "node1"},
                  {"srcuuid", FieldType::kBinary, std::string("\x00\x01\n\x13\xff", 5)}});
}

const conf::AuthKey kSha1 = test::make_key(1, conf::AuthMethod::kSha1, "testkey");

}  // namespace

TEST_CASE("codec: the §5.3 test vector decodes to its documented fields", "[wire][codec]") {
  auto decoded = decode(test::from_hex(test::kSection53Vector));
  REQUIRE(decoded.ok());
  CHECK(decoded->encoding == Encoding::kNetstring);
  const Message& m = decoded->message;
  REQUIRE(m.fields().size() == 12);
  CHECK(m.get_or("t", "") == "status");
  CHECK(m.get_or("st", "") == "up");
  CHECK(m.get_or("dt", "") == "1b58");
  CHECK(m.get_or("protocol", "") == "1");
  CHECK(m.get_or("src", "") == "vm");
  CHECK(m.get("srcuuid")->size() == 16);
  CHECK(m.get_or("seq", "") == "2");
  CHECK(m.get_or("hg", "") == "6b0614d6");
  CHECK(m.get_or("ts", "") == "6b0614d5");
  CHECK(m.get_or("ld", "") == "0.09 0.21 0.16 2/119 17207");
  CHECK(m.get_or("ttl", "") == "3");
  CHECK(decoded->auth_field == "1 ec71f00bea6647995967f0b85f4692653697407c");
  CHECK(decoded->trailer == "1 060fdafd0ea30b6c2571fd64d8ce334f0a80d446");
}

TEST_CASE("codec: the netstring trailer signs the bytes from ###\\n through %%%\\n",
          "[wire][codec]") {
  const std::string packet = test::from_hex(test::kSection53Vector);
  auto decoded = decode(packet);
  REQUIRE(decoded.ok());
  const std::size_t end = packet.find("%%%\n") + 4;
  CHECK(decoded->signed_span == packet.substr(0, end));
}

TEST_CASE("codec: the §5.3 test vector verifies and re-encodes byte for byte", "[wire][codec]") {
  const std::string packet = test::from_hex(test::kSection53Vector);
  auto decoded = decode(packet);
  REQUIRE(decoded.ok());
  auto verified = verify(*decoded, test::capture01_keys());
  REQUIRE(verified.ok());
  CHECK_FALSE(verified->message.has("auth"));
  CHECK(verified->key_id == 1);
  auto encoded = encode_netstring(verified->message, kSha1);
  REQUIRE(encoded.ok());
  CHECK(*encoded == packet);
}

TEST_CASE("codec: a classic datagram decodes with or without heartbeat's trailing NUL",
          "[wire][codec]") {
  auto encoded = encode_classic(status_message(), kSha1);
  REQUIRE(encoded.ok());
  REQUIRE(encoded->back() == '\0');
  auto with_nul = decode(*encoded);
  auto without_nul = decode(std::string_view(*encoded).substr(0, encoded->size() - 1));
  REQUIRE(with_nul.ok());
  REQUIRE(without_nul.ok());
  CHECK(with_nul->message == without_nul->message);
  CHECK(verify(*without_nul, test::capture01_keys()).ok());
}

TEST_CASE("codec: classic binary fields travel as (1)name=<base64> and decode to raw bytes",
          "[wire][codec]") {
  auto encoded = encode_classic(status_message(), kSha1);
  REQUIRE(encoded.ok());
  CHECK(encoded->find("\n(1)srcuuid=AAEKE/8=\n") != std::string::npos);
  auto decoded = decode(*encoded);
  REQUIRE(decoded.ok());
  CHECK(*decoded->message.get("srcuuid") == std::string("\x00\x01\n\x13\xff", 5));
  CHECK(decoded->message.fields()[3].type == FieldType::kBinary);
}

TEST_CASE("codec: a newline in a classic string value travels as 0x13 and comes back",
          "[wire][codec]") {
  Message m = status_message();
  m.set("info", "two\nlines");
  auto encoded = encode_classic(m, kSha1);
  REQUIRE(encoded.ok());
  CHECK(encoded->find("info=two\x13lines\n") != std::string::npos);
  auto decoded = decode(*encoded);
  REQUIRE(decoded.ok());
  CHECK(decoded->message.get_or("info", "") == "two\nlines");
  CHECK(verify(*decoded, test::capture01_keys()).ok());
}

TEST_CASE("codec: a newline in a netstring value travels raw", "[wire][codec]") {
  Message m = status_message();
  m.set("info", "two\nlines");
  auto encoded = encode_netstring(m, kSha1);
  REQUIRE(encoded.ok());
  CHECK(encoded->find("17:(0)info=two\nlines,") != std::string::npos);
  auto decoded = decode(*encoded);
  REQUIRE(decoded.ok());
  CHECK(decoded->message.get_or("info", "") == "two\nlines");
  CHECK(verify(*decoded, test::capture01_keys()).ok());
}

TEST_CASE("codec: encoders put auth last, replacing an auth field already present",
          "[wire][codec]") {
  Message m = status_message();
  m.fields().insert(m.fields().begin(), Field{"auth", FieldType::kString, "1 00"});
  for (auto encoded : {encode_netstring(m, kSha1), encode_classic(m, kSha1)}) {
    REQUIRE(encoded.ok());
    auto decoded = decode(*encoded);
    REQUIRE(decoded.ok());
    const auto& fields = decoded->message.fields();
    REQUIRE(fields.size() == 5);
    CHECK(fields.back().name == "auth");
    CHECK(fields.front().name == "t");
    CHECK(verify(*decoded, test::capture01_keys()).ok());
  }
}

TEST_CASE("codec: messages signed with every method verify with the same key", "[wire][codec]") {
  conf::AuthKeys keys;
  keys.keys.push_back(test::make_key(1, conf::AuthMethod::kCrc, ""));
  keys.keys.push_back(test::make_key(2, conf::AuthMethod::kMd5, "md5 key"));
  keys.keys.push_back(test::make_key(3, conf::AuthMethod::kSha1, "sha1 key"));
  keys.keys.push_back(test::make_key(15, conf::AuthMethod::kSha256, std::string(100, 'k')));
  for (const auto& key : keys.keys) {
    for (auto encoded : {encode_netstring(status_message(), key),
                         encode_classic(status_message(), key)}) {
      REQUIRE(encoded.ok());
      auto decoded = decode(*encoded);
      REQUIRE(decoded.ok());
      auto verified = verify(*decoded, keys);
      REQUIRE(verified.ok());
      CHECK(verified->key_id == key.id);
      CHECK(verified->message == status_message());
    }
  }
}

TEST_CASE("codec: encoders refuse what heartbeat could not parse", "[wire][codec]") {
  auto refused = [](Message m) {
    return !encode_netstring(m, kSha1).ok() && !encode_classic(m, kSha1).ok();
  };
  CHECK(refused(Message({{"t", FieldType::kString, ""}})));
  CHECK(refused(Message({{"", FieldType::kString, "x"}})));
  CHECK(refused(Message({{"a=b", FieldType::kString, "x"}})));
  CHECK(refused(Message({{"a\nb", FieldType::kString, "x"}})));
  CHECK(refused(Message({{"(1)x", FieldType::kString, "x"}})));
  CHECK(refused(Message({{std::string(65, 'n'), FieldType::kString, "x"}})));
  CHECK(refused(Message({{"t", FieldType::kString, std::string("a\0b", 3)}})));
  CHECK(refused(Message({{"t", FieldType::kString, "a\x13"}})));
  CHECK(refused(Message({{"nested", FieldType::kStruct, "x"}})));
  std::vector<Field> many(256, Field{"f", FieldType::kString, "v"});
  CHECK(refused(Message(many)));
  CHECK(refused(Message({{"big", FieldType::kString, std::string(256 * 1024, 'v')}})));
  many.pop_back();
  CHECK_FALSE(refused(Message(many)));  // 255 + auth = the limit
}

TEST_CASE("codec: classic nested fields stay opaque and their signature still verifies",
          "[wire][codec]") {
  // A struct field in classic form (§5.2), built by hand: vigil never
  // sends one. The classic signature covers it as written.
  const std::string body = "t=x\n(2)sub=opaque\x15text\n";
  conf::AuthKeys keys;
  keys.keys.push_back(test::make_key(2, conf::AuthMethod::kCrc, ""));
  const std::string packet = ">>>\n" + body + "auth=2 " +
                             compute_signature(conf::AuthMethod::kCrc, "", body) + "\n<<<\n";
  auto decoded = decode(packet);
  REQUIRE(decoded.ok());
  CHECK(decoded->message.fields()[1].type == FieldType::kStruct);
  CHECK(decoded->message.get_or("sub", "") == "opaque\x15text");
  CHECK(verify(*decoded, keys).ok());
}

TEST_CASE("codec: netstring values may hold ',', '%%%\\n' and NUL: the length frames them",
          "[wire][codec]") {
  Message m({{"t", FieldType::kString, "x"},
             {"blob", FieldType::kBinary, std::string("a,%%%\n###\n\0,", 12)}});
  auto encoded = encode_netstring(m, kSha1);
  REQUIRE(encoded.ok());
  auto decoded = decode(*encoded);
  REQUIRE(decoded.ok());
  auto verified = verify(*decoded, test::capture01_keys());
  REQUIRE(verified.ok());
  CHECK(verified->message == m);
}
