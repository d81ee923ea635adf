// heartbeat-compat.md §2.1, §2.4, §2.6: media directives and order dependence.
#include <catch2/catch.hpp>

#include "conf_test_util.h"

using namespace vigil::conf;
using namespace vigil::conf::test;

namespace {
Parsed media(const std::string& lines) { return parse("node a\n" + lines); }
std::string first_error(const Parsed& p) { return p.diag.errors().empty() ? "" : p.diag.errors()[0]; }
}  // namespace

TEST_CASE("media: bcast takes the udpport in force") {
  const auto p = media("bcast eth1\n");
  REQUIRE(p.cf.media.size() == 1);
  CHECK(p.cf.media[0].kind == MediumKind::kBcast);
  CHECK(p.cf.media[0].port == 694);
  CHECK(p.cf.media[0].line == 2);
}

TEST_CASE("media: udpport is captured when the medium is created") {
  const auto p = media("udpport 700\nbcast eth0\nudpport 701\nucast eth1 10.0.0.2\nudpport 702\n");
  INFO(errors_of(p.diag));
  REQUIRE(p.cf.media.size() == 2);
  CHECK(p.cf.media[0].port == 700);
  CHECK(p.cf.media[1].port == 701);
  CHECK(p.cf.udpport == 702);
}

TEST_CASE("media: udpport after a bcast/ucast line warns that earlier media keep their port") {
  const auto p = media("bcast eth0\nudpport 700\n");
  CHECK(p.diag.ok());
  CHECK_THAT(warnings_of(p.diag), Catch::Contains("ha.cf:3: udpport setting must precede media statements"));
  CHECK_THAT(warnings_of(media("udpport 700\nbcast eth0\n").diag), !Catch::Contains("must precede"));
}

TEST_CASE("media: baud is captured by serial; baud after serial warns") {
  const auto p = media("bcast eth0\nbaud 38400\nserial /dev/ttyS0\n");
  REQUIRE(p.cf.media.size() == 2);
  CHECK(p.cf.media[1].baud == 38400);
  const auto late = media("bcast eth0\nserial /dev/ttyS0\nbaud 38400\n");
  CHECK(late.cf.media[1].baud == 19200);
  CHECK(late.cf.baud == 38400);
  CHECK_THAT(warnings_of(late.diag), Catch::Contains("ha.cf:4: baudrate setting must precede media statements"));
}

TEST_CASE("media: ucast takes one interface and one peer") {
  const auto p = media("ucast eth1 10.0.0.1\n");
  REQUIRE(p.cf.media.size() == 1);
  CHECK(p.cf.media[0].kind == MediumKind::kUcast);
  CHECK(p.cf.media[0].interface == "eth1");
  CHECK(p.cf.media[0].address == "10.0.0.1");
  CHECK(p.cf.media[0].port == 694);
}

TEST_CASE("media: ucast without a peer is an error") {
  const auto p = media("bcast eth0\nucast eth1\n");
  CHECK_THAT(first_error(p), Catch::StartsWith("ha.cf:3: ucast needs an interface and a peer address; expected `ucast IF PEER`"));
}

TEST_CASE("media: ucast ignores extra tokens with a warning") {
  const auto p = media("ucast eth1 10.0.0.1 10.0.0.2\n");
  CHECK(p.diag.ok());
  CHECK(p.cf.media.size() == 1);
  CHECK_THAT(warnings_of(p.diag), Catch::Contains("one peer per line"));
}

TEST_CASE("media: mcast needs all five values") {
  const auto p = media("mcast eth0 225.0.0.1 694 1 0\n");
  REQUIRE(p.cf.media.size() == 1);
  const Medium& m = p.cf.media[0];
  CHECK(m.kind == MediumKind::kMcast);
  CHECK(m.address == "225.0.0.1");
  CHECK(m.port == 694);
  CHECK(m.ttl == 1);
  CHECK_FALSE(m.loop);
  CHECK_THAT(first_error(media("bcast eth0\nmcast eth0 225.0.0.1 694 1\n")), Catch::StartsWith("ha.cf:3: mcast needs 5 values, got 4"));
}

TEST_CASE("media: mcast ttl must be 0 to 4, as heartbeat's code accepts") {
  CHECK(media("mcast eth0 225.0.0.1 694 4 1\n").diag.ok());
  CHECK_THAT(first_error(media("bcast eth0\nmcast eth0 225.0.0.1 694 5 0\n")), Catch::StartsWith("ha.cf:3: bad ttl [5] for mcast"));
}

TEST_CASE("media: mcast group must be in 224.0.0.0/4 and loop 0 or 1") {
  CHECK_THAT(first_error(media("bcast eth0\nmcast eth0 10.0.0.1 694 1 0\n")), Catch::Contains("invalid multicast group [10.0.0.1]"));
  CHECK_THAT(first_error(media("bcast eth0\nmcast eth0 239.1.1.1 694 1 2\n")), Catch::Contains("bad loop [2]"));
  CHECK_THAT(first_error(media("bcast eth0\nmcast eth0 239.1.1.1 0 1 0\n")), Catch::Contains("bad port [0]"));
}

TEST_CASE("media: mcast6 and ucast6 take IPv6 literals") {
  const auto p = media("mcast6 eth0 ff02::1:2 694 1 0\nucast6 eth0 fe80::1%eth0\n");
  INFO(errors_of(p.diag));
  REQUIRE(p.cf.media.size() == 2);
  CHECK(p.cf.media[0].kind == MediumKind::kMcast6);
  CHECK(p.cf.media[1].kind == MediumKind::kUcast6);
  CHECK(p.cf.media[1].address == "fe80::1%eth0");
  CHECK_FALSE(media("bcast eth0\nucast6 eth0 10.0.0.1\n").diag.ok());
  CHECK_FALSE(media("bcast eth0\nmcast6 eth0 fe80::1 694 1 0\n").diag.ok());
}

TEST_CASE("media: ping, ping6 and ping_group make ping nodes") {
  const auto p = media("bcast eth0\nping 10.0.0.254 10.0.0.253\nping_group routers 10.0.0.1 10.0.0.2\nping6 2001:db8::1\n");
  INFO(errors_of(p.diag));
  REQUIRE(p.cf.media.size() == 5);
  CHECK(p.cf.media[1].kind == MediumKind::kPing);
  CHECK(p.cf.media[2].address == "10.0.0.253");
  CHECK(p.cf.media[3].kind == MediumKind::kPingGroup);
  CHECK(p.cf.media[3].group_name == "routers");
  CHECK(p.cf.media[3].hosts == std::vector<std::string>{"10.0.0.1", "10.0.0.2"});
  CHECK(p.cf.media[4].kind == MediumKind::kPing6);
  CHECK_FALSE(media("bcast eth0\nping_group lonely\n").diag.ok());
}

TEST_CASE("media: interface names longer than 15 characters are rejected") {
  CHECK_THAT(first_error(media("bcast averyveryverylongname0\n")), Catch::Contains("invalid interface name"));
}

TEST_CASE("media: serial is parsed with a warning that vigil does not use it") {
  const auto p = media("bcast eth0\nserial /dev/ttyS0\n");
  CHECK(p.diag.ok());
  CHECK(p.cf.media[1].kind == MediumKind::kSerial);
  CHECK_THAT(warnings_of(p.diag), Catch::Contains("vigil sends no heartbeats over serial"));
}
