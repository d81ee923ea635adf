// The pure parts of the privilege drop: reading capability sets and
// looking up the user.
#include <catch2/catch.hpp>

#include "heartbeatd/io/privilege.h"

using namespace vigil::io;

namespace {
constexpr const char* kStatus =
    "Name:\theartbeatd\n"
    "Uid:\t109\t109\t109\t109\n"
    "CapInh:\t0000000000000000\n"
    "CapPrm:\t0000000000000400\n"
    "CapEff:\t0000000000000400\n"
    "CapBnd:\t000001ffffffffff\n"
    "CapAmb:\t0000000000000000\n"
    "NoNewPrivs:\t1\n";
}

TEST_CASE("capabilities: the masks of /proc/PID/status are read as hex") {
  auto caps = parse_capabilities(kStatus);
  REQUIRE(caps.ok());
  CHECK(caps->effective == 0x400);  // CAP_NET_BIND_SERVICE
  CHECK(caps->permitted == 0x400);
  CHECK(caps->bounding == 0x1ffffffffffULL);
  CHECK(caps->ambient == 0);
}

TEST_CASE("capabilities: a status text without CapEff is an error") {
  auto caps = parse_capabilities("CapInh:\t0\nCapPrm:\t0\nCapBnd:\t0\nCapAmb:\t0\n");
  REQUIRE_FALSE(caps.ok());
  CHECK_THAT(caps.error().message, Catch::Contains("CapEff"));
}

TEST_CASE("capabilities: a malformed mask is an error, not zero") {
  auto caps = parse_capabilities(
      "CapInh:\t0\nCapPrm:\t0\nCapEff:\tzz\nCapBnd:\t0\nCapAmb:\t0\n");
  CHECK_FALSE(caps.ok());
}

TEST_CASE("capabilities: this process's own sets can be read") {
  CHECK(own_capabilities().ok());
}

TEST_CASE("user: a missing user is a clear error saying how to fix it") {
  auto user = lookup_user("vigil-no-such-user");
  REQUIRE_FALSE(user.ok());
  CHECK_THAT(user.error().message, Catch::Contains("does not exist"));
  CHECK_THAT(user.error().message, Catch::Contains("--user"));
}

TEST_CASE("user: root is refused as the user to run as") {
  auto user = lookup_user("root");
  REQUIRE_FALSE(user.ok());
  CHECK_THAT(user.error().message, Catch::Contains("uid 0"));
}

TEST_CASE("user: an existing user resolves to its uid and gid") {
  auto user = lookup_user("nobody");
  REQUIRE(user.ok());
  CHECK(user->uid != 0);
}
