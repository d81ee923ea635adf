// heartbeat-compat.md §3.1: the IP[/NETMASK[/NIC[/BROADCAST]]] argument, read as
// heartbeat 3.0.6's resource.d/IPaddr, IPaddr2 and IPv6addr wrappers read it.
#include <catch2/catch.hpp>

#include "conf/ip_spec.h"

using namespace vigil::conf;

TEST_CASE("ip spec: only the address given leaves the rest for findif") {
  auto ip = parse_ip_spec("10.0.0.5", IpResource::kIpAddr);
  REQUIRE(ip.ok());
  CHECK(ip->address == "10.0.0.5");
  CHECK_FALSE(ip->ipv6);
  CHECK_FALSE(ip->cidr_bits);
  CHECK_FALSE(ip->nic);
  CHECK_FALSE(ip->broadcast);
}

TEST_CASE("ip spec: all four fields") {
  auto ip = parse_ip_spec("10.0.0.5/24/eth0/10.0.0.255", IpResource::kIpAddr);
  REQUIRE(ip.ok());
  CHECK(ip->cidr_bits == 24);
  CHECK(ip->nic == "eth0");
  CHECK(ip->broadcast == "10.0.0.255");
}

TEST_CASE("ip spec: a third field starting with a digit is the broadcast") {
  auto ip = parse_ip_spec("10.0.0.5/24/10.0.0.255", IpResource::kIpAddr);
  REQUIRE(ip.ok());
  CHECK_FALSE(ip->nic);
  CHECK(ip->broadcast == "10.0.0.255");
}

TEST_CASE("ip spec: a dotted netmask is accepted and stored as prefix length") {
  auto ip = parse_ip_spec("10.0.0.5/255.255.255.0", IpResource::kIpAddr);
  REQUIRE(ip.ok());
  CHECK(ip->cidr_bits == 24);
  CHECK_FALSE(parse_ip_spec("10.0.0.5/255.0.255.0", IpResource::kIpAddr).ok());
}

TEST_CASE("ip spec: cidr out of range is an error") {
  for (const char* bad : {"10.0.0.5/0", "10.0.0.5/33", "10.0.0.5/x"}) {
    auto ip = parse_ip_spec(bad, IpResource::kIpAddr);
    INFO(bad);
    REQUIRE_FALSE(ip.ok());
    CHECK_THAT(ip.error().message, Catch::Contains("out of range"));
  }
  CHECK_FALSE(parse_ip_spec("2001:db8::1/129", IpResource::kIPv6addr).ok());
}

TEST_CASE("ip spec: a bad address or broadcast is an error") {
  CHECK_THAT(parse_ip_spec("10.0.0.256/24", IpResource::kIpAddr).error().message,
             Catch::StartsWith("bad IPv4 address [10.0.0.256]"));
  CHECK_THAT(parse_ip_spec("10.0.0.5/24/eth0/10.0.0", IpResource::kIpAddr).error().message,
             Catch::StartsWith("bad broadcast address [10.0.0]"));
}

TEST_CASE(
    "ip spec: fields after the broadcast are ignored with a warning, as the wrappers ignore them") {
  std::vector<std::string> warnings;
  auto ip = parse_ip_spec("10.0.0.5/24/eth0/10.0.0.255/x", IpResource::kIpAddr, &warnings);
  REQUIRE(ip.ok());
  CHECK(ip->broadcast == "10.0.0.255");
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Catch::Contains("[x]"));
  warnings.clear();
  ip = parse_ip_spec("10.0.0.5/24/10.0.0.255/eth0", IpResource::kIpAddr, &warnings);
  REQUIRE(ip.ok());
  CHECK_FALSE(ip->nic);
  CHECK(warnings.size() == 1);
}

TEST_CASE("ip spec: IPaddr2 keeps NIC:label as the label") {
  auto ip = parse_ip_spec("10.0.0.5/24/eth0:1", IpResource::kIpAddr2);
  REQUIRE(ip.ok());
  CHECK(ip->nic == "eth0");
  CHECK(ip->label == "1");
  CHECK_FALSE(parse_ip_spec("10.0.0.5/24/eth0:", IpResource::kIpAddr2).ok());
  CHECK_FALSE(parse_ip_spec("10.0.0.5/24/eth0:waytoolonglabel", IpResource::kIpAddr2).ok());
}

TEST_CASE("ip spec: IPaddr drops the label of NIC:label with a warning, as its agent does") {
  std::vector<std::string> warnings;
  auto ip = parse_ip_spec("85.13.220.237/29/eth0:1", IpResource::kIpAddr, &warnings);
  REQUIRE(ip.ok());
  CHECK(ip->nic == "eth0");
  CHECK_FALSE(ip->label);
  CHECK(ip->cidr_bits == 29);
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Catch::Contains("first free alias eth0:N"));
}

TEST_CASE("ip spec: a run of '/' counts as one, as the wrappers' sed 's%^FIELD/*%%' reads it") {
  auto ip = parse_ip_spec("10.0.30.15//8/eth0:10", IpResource::kIpAddr);
  REQUIRE(ip.ok());
  CHECK(ip->cidr_bits == 8);
  CHECK(ip->nic == "eth0");
  ip = parse_ip_spec("10.0.0.5/24//eth1", IpResource::kIpAddr2);
  REQUIRE(ip.ok());
  CHECK(ip->nic == "eth1");
}

TEST_CASE("ip spec: IP//NIC makes NIC the netmask in heartbeat's wrapper: an error naming why") {
  auto ip = parse_ip_spec("10.0.0.5//eth0", IpResource::kIpAddr);
  REQUIRE_FALSE(ip.ok());
  CHECK_THAT(ip.error().message, Catch::Contains("netmask [eth0]"));
  CHECK_THAT(ip.error().message, Catch::Contains("skips empty fields"));
}

TEST_CASE("ip spec: IPv6addr skips one '/' before the prefix, every '/' after it") {
  auto ip = parse_ip_spec("2001:db8::10//eth0", IpResource::kIPv6addr);
  REQUIRE(ip.ok());
  CHECK_FALSE(ip->cidr_bits);
  CHECK(ip->nic == "eth0");
  ip = parse_ip_spec("2001:db8::10/64//eth0", IpResource::kIPv6addr);
  REQUIRE(ip.ok());
  CHECK(ip->cidr_bits == 64);
  CHECK(ip->nic == "eth0");
  CHECK_FALSE(parse_ip_spec("2001:db8::10/64/eth0:1", IpResource::kIPv6addr).ok());
}

TEST_CASE("ip spec: printing gives back an equivalent argument") {
  for (const char* s : {"10.0.0.5", "10.0.0.5/24", "10.0.0.5/24/eth0",
                        "10.0.0.5/24/eth0/10.0.0.255", "10.0.0.5/24/10.0.0.255"}) {
    auto ip = parse_ip_spec(s, IpResource::kIpAddr);
    REQUIRE(ip.ok());
    CHECK(format_ip_spec(*ip) == s);
  }
}

TEST_CASE("ip spec: the IPv4 shorthand glob") {
  CHECK(looks_like_ipv4_resource("10.0.0.5"));
  CHECK(looks_like_ipv4_resource("1x.2.3.4"));
  CHECK(looks_like_ipv4_resource("10.0.0.5/24"));
  CHECK_FALSE(looks_like_ipv4_resource("10.0.0"));
  CHECK_FALSE(looks_like_ipv4_resource("IPaddr::10.0.0.5"));
  CHECK_FALSE(looks_like_ipv4_resource("a.1.2.3"));
  CHECK_FALSE(looks_like_ipv4_resource("1.a.2.3"));
}
