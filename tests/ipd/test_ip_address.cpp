// Subnet arithmetic (ipd/ip_address.h).
#include <catch2/catch.hpp>

#include "ipd/ip_address.h"

using namespace vigil::ipd;

TEST_CASE("ip: the last address of 10.1.2.3/20 is 10.1.15.255") {
  CHECK(IpAddress::parse("10.1.2.3")->last_in_subnet(20).to_string() == "10.1.15.255");
}

TEST_CASE("ip: the network of 2001:db8:1:2:3::9/52 is 2001:db8:1::") {
  CHECK(IpAddress::parse("2001:db8:1:2:3::9")->network(52).to_string() == "2001:db8:1::");
}

TEST_CASE("ip: addresses of different families are never in one subnet") {
  CHECK_FALSE(IpAddress::parse("0.0.0.1")->same_subnet(*IpAddress::parse("::1"), 0));
}

TEST_CASE("ip: a prefix or scope suffix is not an address") {
  CHECK_FALSE(IpAddress::parse("10.0.0.1/24"));
  CHECK_FALSE(IpAddress::parse("fe80::1%eth0"));
  CHECK_FALSE(IpAddress::parse("10.0.0"));
}
