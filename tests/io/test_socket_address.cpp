#include <catch2/catch.hpp>

#include "heartbeatd/io/socket_address.h"

using vigil::io::SocketAddress;

TEST_CASE("socket address: an IPv4 literal prints as address:port") {
  auto a = SocketAddress::parse("192.0.2.7", 694);
  REQUIRE(a.has_value());
  CHECK(a->is_ipv4());
  CHECK(a->to_string() == "192.0.2.7:694");
}

TEST_CASE("socket address: an IPv6 literal with a numeric scope keeps it") {
  auto a = SocketAddress::parse("fe80::1%3", 694);
  REQUIRE(a.has_value());
  CHECK(a->scope_id() == 3);
  CHECK(a->to_string() == "[fe80::1%3]:694");
}

TEST_CASE("socket address: names and garbage are not literals") {
  CHECK_FALSE(SocketAddress::parse("node2", 694).has_value());
  CHECK_FALSE(SocketAddress::parse("192.0.2.300", 694).has_value());
  CHECK_FALSE(SocketAddress::parse("fe80::1%", 694).has_value());
}

TEST_CASE("socket address: equality compares address, port and scope") {
  CHECK(*SocketAddress::parse("192.0.2.7", 694) == *SocketAddress::parse("192.0.2.7", 694));
  CHECK_FALSE(*SocketAddress::parse("192.0.2.7", 694) == *SocketAddress::parse("192.0.2.7", 695));
  CHECK_FALSE(*SocketAddress::parse("fe80::1%3", 1) == *SocketAddress::parse("fe80::1%4", 1));
}

TEST_CASE("socket address: multicast and any are recognised in both families") {
  CHECK(SocketAddress::parse("224.0.0.1", 0)->is_multicast());
  CHECK(SocketAddress::parse("ff02::1", 0)->is_multicast());
  CHECK_FALSE(SocketAddress::parse("192.0.2.1", 0)->is_multicast());
  CHECK(SocketAddress::ipv4_any(694).is_any());
  CHECK(SocketAddress::ipv6_any(694).is_any());
}
