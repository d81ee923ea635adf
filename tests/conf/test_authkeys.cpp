// heartbeat-compat.md §4.1 (permissions) and §4.2 (grammar).
#include <catch2/catch.hpp>

#include "conf/authkeys.h"
#include "conf_test_util.h"

using namespace vigil::conf;
using namespace vigil::conf::test;

namespace {
struct Keys {
  AuthKeys keys;
  Diagnostics diag;
};
Keys keys_of(const std::string& text) {
  Keys k;
  k.keys = parse_authkeys(text, "authkeys", k.diag);
  return k;
}
Keys load_with_mode(mode_t mode, const std::string& text = "auth 1\n1 sha1 secret\n") {
  TempDir dir;
  dir.write("authkeys", text, mode);
  Keys k;
  k.keys = load_authkeys(dir.file("authkeys"), k.diag);
  return k;
}
}  // namespace

TEST_CASE("authkeys permissions: 0600 0400 0700 0620 pass") {
  for (mode_t m : {0600, 0400, 0700, 0620}) {
    INFO(std::oct << m);
    const auto k = load_with_mode(m);
    CHECK(k.diag.ok());
    CHECK(k.keys.active_id == 1);
  }
}

TEST_CASE("authkeys permissions: 0640 0604 0644 fail, naming the file and its mode") {
  for (mode_t m : {0640, 0604, 0644}) {
    TempDir dir;
    dir.write("authkeys", "auth 1\n1 crc\n", m);
    Diagnostics diag;
    (void)load_authkeys(dir.file("authkeys"), diag);
    REQUIRE(diag.errors().size() == 1);
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(m));
    const std::string path = dir.file("authkeys");
    CHECK(diag.errors()[0] == path + ": Bad permissions on keyfile [" + path + "], 600 recommended. (mode " + mode +
                                  " lets group or others read the keys); expected no read permission for group and others: chmod 600 " +
                                  path);
  }
}

TEST_CASE("authkeys permissions: only the read bits of group and others matter") {
  CHECK(authkeys_mode_ok(0600));
  CHECK(authkeys_mode_ok(0622));
  CHECK(authkeys_mode_ok(0711));
  CHECK_FALSE(authkeys_mode_ok(0640));
  CHECK_FALSE(authkeys_mode_ok(0604));
}

TEST_CASE("authkeys: a missing file is an error in heartbeat's words") {
  TempDir dir;
  Diagnostics diag;
  (void)load_authkeys(dir.file("authkeys"), diag);
  REQUIRE(diag.errors().size() == 1);
  CHECK_THAT(diag.errors()[0], Catch::Contains("Cannot open keyfile [" + dir.file("authkeys") + "].  Stop."));
}

TEST_CASE("authkeys: auth N selects the signing key, every key is kept") {
  const auto k = keys_of("# comment\n\nauth 2\n1 md5 one\n2 sha1 two\n3 crc\n15 sha256 fifteen\n");
  INFO(errors_of(k.diag));
  REQUIRE(k.diag.ok());
  CHECK(k.keys.active_id == 2);
  REQUIRE(k.keys.keys.size() == 4);
  CHECK(k.keys.active().method == AuthMethod::kSha1);
  CHECK(k.keys.active().key.view() == "two");
  CHECK(k.keys.find(3)->key.empty());
  CHECK(k.keys.find(15)->method == AuthMethod::kSha256);
  CHECK(k.keys.find(1)->key.view() == "one");
}

TEST_CASE("authkeys: key 0 is valid, 16 is not") {
  CHECK(keys_of("auth 0\n0 sha1 k\n").diag.ok());
  CHECK_THAT(errors_of(keys_of("auth 1\n1 sha1 k\n16 sha1 k\n").diag), Catch::Contains("authkeys:3: Auth line is invalid"));
  CHECK_THAT(errors_of(keys_of("auth 16\n").diag), Catch::Contains("authkeys:1: Auth line [auth 16] is invalid"));
}

TEST_CASE("authkeys: the auth line must precede its key line") {
  const auto k = keys_of("2 sha1 k\nauth 2\n");
  REQUIRE(k.diag.errors().size() == 1);
  CHECK(k.diag.errors()[0] ==
        "authkeys:2: Auth Key [2] not found in keyfile [authkeys]; expected the auth line before the line of key 2");
}

TEST_CASE("authkeys: auth naming a key that does not exist is an error") {
  CHECK_THAT(errors_of(keys_of("auth 3\n1 sha1 k\n").diag), Catch::Contains("authkeys:1: Auth Key [3] not found in keyfile [authkeys]"));
}

TEST_CASE("authkeys: no auth line is an error") {
  CHECK_THAT(errors_of(keys_of("1 sha1 k\n").diag), Catch::Contains("authkeys:1: Missing auth directive in keyfile [authkeys]"));
}

TEST_CASE("authkeys: crc takes no key") {
  CHECK_THAT(errors_of(keys_of("auth 1\n1 crc secret\n").diag), Catch::Contains("authkeys:2: Auth method [crc] doesn't use a key"));
}

TEST_CASE("authkeys: md5, sha1 and sha256 need a key") {
  for (const char* m : {"md5", "sha1", "sha256"}) {
    CHECK_THAT(errors_of(keys_of(std::string("auth 1\n1 ") + m + "\n").diag),
               Catch::Contains(std::string("authkeys:2: Auth method [") + m + "] requires a key"));
  }
}

TEST_CASE("authkeys: an unknown method is an error") {
  CHECK_THAT(errors_of(keys_of("auth 1\n1 sha512 k\n").diag), Catch::Contains("authkeys:2: Invalid authtype [sha512]"));
  CHECK_THAT(errors_of(keys_of("auth 1\n1 SHA1 k\n").diag), Catch::Contains("Invalid authtype [SHA1]"));
}

TEST_CASE("authkeys: the key is the first blank-free token; the rest is ignored with a warning") {
  const auto k = keys_of("auth 1\n1 sha1 pass phrase\n");
  REQUIRE(k.diag.ok());
  CHECK(k.keys.active().key.view() == "pass");
  CHECK_THAT(warnings_of(k.diag), Catch::Contains("authkeys:2: text after the key is ignored"));
}

TEST_CASE("authkeys: a # after the start of a line is part of the key") {
  const auto k = keys_of("auth 1\n1 sha1 ab#cd\n");
  REQUIRE(k.diag.ok());
  CHECK(k.keys.active().key.view() == "ab#cd");
}

TEST_CASE("authkeys: error messages never quote a key line") {
  const auto k = keys_of("auth 1\n1 sha1 k\nx sha1 topsecret\n");
  CHECK_THAT(errors_of(k.diag), !Catch::Contains("topsecret"));
  CHECK_FALSE(k.diag.ok());
}

TEST_CASE("authkeys: a key id listed twice or a second auth line is an error") {
  CHECK_THAT(errors_of(keys_of("auth 1\n1 sha1 a\n1 md5 b\n").diag), Catch::Contains("key id 1 is defined twice"));
  CHECK_THAT(errors_of(keys_of("auth 1\n1 sha1 a\nauth 1\n").diag), Catch::Contains("second auth directive"));
}

TEST_CASE("authkeys: crc in use is warned about, sha1 is not") {
  CHECK_THAT(warnings_of(keys_of("auth 1\n1 crc\n").diag), Catch::Contains("crc authenticates nothing"));
  CHECK(keys_of("auth 1\n1 sha1 k\n").diag.warnings().empty());
}
