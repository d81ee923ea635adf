// ucast/ucast6 peers given as literals (no name service involved).
#include <catch2/catch.hpp>

#include "heartbeatd/io/resolve.h"

using namespace vigil::io;

TEST_CASE("resolve: an IPv4 literal peer gets udpport") {
  auto a = resolve_ipv4("192.0.2.2", 694);
  REQUIRE(a.ok());
  CHECK(a->to_string() == "192.0.2.2:694");
}

TEST_CASE("resolve: an IPv6 peer is not an IPv4 ucast peer") {
  CHECK_FALSE(resolve_ipv4("2001:db8::2", 694).ok());
}

TEST_CASE("resolve: a link-local ucast6 peer without scope is scoped to the medium's interface") {
  auto a = resolve_ipv6("fe80::2", 694, 7);
  REQUIRE(a.ok());
  CHECK(a->scope_id() == 7);
}

TEST_CASE("resolve: a numeric %scope on a ucast6 peer wins over the interface") {
  auto a = resolve_ipv6("fe80::2%3", 694, 7);
  REQUIRE(a.ok());
  CHECK(a->scope_id() == 3);
}

TEST_CASE("resolve: a global ucast6 peer needs no scope") {
  auto a = resolve_ipv6("2001:db8::2", 694, 7);
  REQUIRE(a.ok());
  CHECK(a->scope_id() == 0);
  CHECK(a->to_string() == "[2001:db8::2]:694");
}

TEST_CASE("resolve: an unknown %scope name is an error naming it") {
  auto a = resolve_ipv6("fe80::2%nosuchif0", 694, 7);
  REQUIRE_FALSE(a.ok());
  CHECK_THAT(a.error().message, Catch::Contains("nosuchif0"));
}
