// Signatures and verification (heartbeat-compat.md §4.3, §5.5).
#include <catch2/catch.hpp>

#include "heartbeatd/wire/auth_token.h"
#include "heartbeatd/wire/codec.h"
#include "heartbeatd/wire/crc.h"
#include "heartbeatd/wire/signature.h"
#include "heartbeatd/wire/verify.h"
#include "wire_test_support.h"

using namespace vigil;
using namespace vigil::wire;
using conf::AuthMethod;

namespace {

const std::string kJefeData = "what do ya want for nothing?";
const std::string kLongKeyData = "Test Using Larger Than Block-Size Key - Hash Key First";

std::string section53_packet() { return test::from_hex(test::kSection53Vector); }

std::string verify_error(const std::string& packet, const conf::AuthKeys& keys) {
  auto decoded = decode(packet);
  REQUIRE(decoded.ok());
  auto verified = verify(*decoded, keys);
  REQUIRE_FALSE(verified.ok());
  return verified.error().message;
}

// Replaces the trailer of a netstring packet by a correct one for `key`,
// leaving everything before it as it is.
std::string resign_trailer(const std::string& packet, const conf::AuthKey& key) {
  const std::size_t end = packet.find("%%%\n") + 4;
  const std::string span = packet.substr(0, end);
  const std::string token =
      format_auth_token(key.id, compute_signature(key.method, key.key.view(), span));
  return span + std::to_string(token.size()) + ":" + token + ",";
}

}  // namespace

TEST_CASE("crc: the CRC-32/POSIX check value of \"123456789\" is 765e7680", "[wire][auth]") {
  CHECK(crc32_posix("123456789") == 0x765e7680u);
  CHECK(crc32_posix("") == 0xffffffffu);
}

TEST_CASE("crc: the signature is printed like %lx, without leading zeros", "[wire][auth]") {
  CHECK(compute_signature(AuthMethod::kCrc, "", "123456789") == "765e7680");
  CHECK(compute_signature(AuthMethod::kCrc, "", "msg10") == "35a0a3");
}

TEST_CASE("crc: the key is ignored", "[wire][auth]") {
  CHECK(compute_signature(AuthMethod::kCrc, "whatever", "x") ==
        compute_signature(AuthMethod::kCrc, "", "x"));
}

TEST_CASE("md5: HMAC-MD5 matches RFC 2202 test cases 2 and 6 (long key)", "[wire][auth]") {
  CHECK(compute_signature(AuthMethod::kMd5, "Jefe", kJefeData) ==
        "750c783e6ab0b503eaa86e310a5db738");
  CHECK(compute_signature(AuthMethod::kMd5, std::string(80, '\xaa'), kLongKeyData) ==
        "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd");
}

TEST_CASE("sha1: HMAC-SHA1 matches RFC 2202 test cases 2 and 6 (long key)", "[wire][auth]") {
  CHECK(compute_signature(AuthMethod::kSha1, "Jefe", kJefeData) ==
        "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  CHECK(compute_signature(AuthMethod::kSha1, std::string(80, '\xaa'), kLongKeyData) ==
        "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

TEST_CASE("sha256: HMAC-SHA256 matches RFC 4231 test cases 2 and 6 (131-byte key)",
          "[wire][auth]") {
  CHECK(compute_signature(AuthMethod::kSha256, "Jefe", kJefeData) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(compute_signature(AuthMethod::kSha256, std::string(131, '\xaa'), kLongKeyData) ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_CASE("signatures: comparison needs equal length and equal bytes", "[wire][auth]") {
  CHECK(signatures_equal("abcd", "abcd"));
  CHECK_FALSE(signatures_equal("abcd", "abce"));
  CHECK_FALSE(signatures_equal("abcd", "abc"));
  CHECK_FALSE(signatures_equal("", "a"));
}

TEST_CASE("auth token: `<id> <hex>` parses strictly", "[wire][auth]") {
  auto token = parse_auth_token("1 ec71f0");
  REQUIRE(token.has_value());
  CHECK(token->key_id == 1);
  CHECK(token->signature == "ec71f0");
  CHECK(parse_auth_token("15 ab")->key_id == 15);
  for (const char* bad : {"", "1", "1 ", " 1 ab", "1  ab", "x ab", "123 ab", "1 ab ", "1 xyz",
                          "-1 ab", "+1 ab", "1\tab", "01 ab"})
    CHECK_FALSE(parse_auth_token(bad).has_value());
  CHECK_FALSE(parse_auth_token("1 " + std::string(65, 'a')).has_value());
}

TEST_CASE("verify: one flipped byte in any field value fails the netstring trailer",
          "[wire][auth]") {
  const std::string packet = section53_packet();
  const std::size_t at = packet.find("st=up") + 3;
  std::string tampered = packet;
  tampered[at] = 'U';
  CHECK(verify_error(tampered, test::capture01_keys()).starts_with("authtoken does not match"));
}

TEST_CASE("verify: one flipped byte in the netstring trailer fails", "[wire][auth]") {
  std::string tampered = section53_packet();
  tampered[tampered.size() - 2] = '7';  // last hex digit of the trailer (was '6')
  CHECK(verify_error(tampered, test::capture01_keys()) ==
        "authtoken does not match, authtoken=1 060fdafd0ea30b6c2571fd64d8ce334f0a80d447");
}

TEST_CASE("verify: a valid trailer does not excuse a forged inner auth field (§5.5)",
          "[wire][auth]") {
  std::string forged = section53_packet();
  const std::size_t at = forged.find("auth=1 ec71") + 7;
  forged[at] = 'f';
  forged = resign_trailer(forged, *test::capture01_keys().find(1));
  CHECK(verify_error(forged, test::capture01_keys()) ==
        "string2msg_ll: node [vm] failed authentication");
}

TEST_CASE("verify: a netstring packet without the inner auth field fails", "[wire][auth]") {
  const conf::AuthKey key = *test::capture01_keys().find(1);
  std::string packet = section53_packet();
  const std::size_t begin = packet.find("50:(0)auth=");
  const std::size_t end = packet.find("%%%\n");
  packet = resign_trailer(packet.erase(begin, end - begin), key);
  CHECK(verify_error(packet, test::capture01_keys()) ==
        "string2msg_ll: node [vm] failed authentication");
}

TEST_CASE("verify: a trailer naming another configured key fails", "[wire][auth]") {
  conf::AuthKeys keys = test::capture01_keys();
  keys.keys.push_back(test::make_key(3, AuthMethod::kSha1, "otherkey"));
  std::string packet = section53_packet();
  packet.replace(packet.rfind("1 060f"), 1, "3");
  CHECK(verify_error(packet, keys).starts_with("authtoken does not match"));
}

TEST_CASE("verify: an unconfigured key id fails with heartbeat's message", "[wire][auth]") {
  std::string packet = section53_packet();
  packet.replace(packet.rfind("1 060f"), 1, "9");
  CHECK(verify_error(packet, test::capture01_keys()) == "Invalid authentication [9] in message!");
}

TEST_CASE("verify: a classic packet with a tampered value fails with heartbeat's message",
          "[wire][auth]") {
  for (const auto& datagram : test::capture(test::kCapture02)) {
    if (!datagram.payload.starts_with(">>>")) continue;
    std::string tampered = datagram.payload;
    tampered.replace(tampered.find("st=active"), 9, "st=dead\x13\x13");
    CHECK(verify_error(tampered, test::capture02_keys()) ==
          "string2msg_ll: node [ghost] failed authentication");
    return;
  }
  FAIL("capture 02 has no classic packet");
}

TEST_CASE("verify: a classic packet without an auth field fails", "[wire][auth]") {
  conf::AuthKeys keys = test::capture02_keys();
  CHECK(verify_error(">>>\nt=status\nsrc=ghost\n<<<\n", keys) ==
        "string2msg_ll: node [ghost] failed authentication");
}

TEST_CASE("verify: a classic packet with an unparseable auth token fails", "[wire][auth]") {
  CHECK(verify_error(">>>\nt=x\nauth=junk\n<<<\n", test::capture02_keys()) ==
        "Invalid authentication [junk] in message!");
}

TEST_CASE("verify: the forged src in an error is reduced to printable text", "[wire][auth]") {
  const std::string packet = ">>>\nsrc=evil\x1b[2Jnode" + std::string(100, 'x') + "\nauth=2 0\n<<<\n";
  const std::string error = verify_error(packet, test::capture02_keys());
  CHECK(error.find('\x1b') == std::string::npos);
  CHECK(error.size() < 120);
  CHECK(error.starts_with("string2msg_ll: node [evil?[2Jnode"));
}

TEST_CASE("verify: crc-signed packets are accepted — crc is integrity, not authentication",
          "[wire][auth]") {
  // §5.5: anyone can compute a crc. Documented here so the behaviour is
  // a decision, not an accident.
  conf::AuthKeys keys;
  keys.keys.push_back(test::make_key(2, AuthMethod::kCrc, ""));
  const std::string body = "t=status\nsrc=node1\n";
  const std::string forged =
      ">>>\n" + body + "auth=2 " + compute_signature(AuthMethod::kCrc, "", body) + "\n<<<\n";
  auto decoded = decode(forged);
  REQUIRE(decoded.ok());
  CHECK(verify(*decoded, keys).ok());
}

TEST_CASE("verify: netstring packets with nested fields fail closed", "[wire][auth]") {
  const conf::AuthKey key = *test::capture01_keys().find(1);
  const std::string body = "###\n6:(2)s=x,%%%\n";
  const std::string token = format_auth_token(1, compute_signature(key.method, key.key.view(), body));
  const std::string packet = body + std::to_string(token.size()) + ":" + token + ",";
  CHECK_FALSE(verify_error(packet, test::capture01_keys()).empty());
}
