// heartbeat-compat.md §2.1: how ha.cf lines are cut into directives and values.
#include <catch2/catch.hpp>

#include "conf_test_util.h"

using namespace vigil::conf;
using namespace vigil::conf::test;

TEST_CASE("ha.cf lexing: node a b, node a,b and two node lines are equivalent") {
  const auto spaced = parse("bcast eth0\nnode a b\n");
  const auto commas = parse("bcast eth0\nnode a,b\n");
  const auto lines = parse("bcast eth0\nnode a\nnode b\n");
  const std::vector<std::string> want = {"a", "b"};
  CHECK(spaced.cf.nodes == want);
  CHECK(commas.cf.nodes == want);
  CHECK(lines.cf.nodes == want);
}

TEST_CASE("ha.cf lexing: a # anywhere starts a comment") {
  const auto p = parse("bcast eth0 #eth1\nnode a#b\n# whole line\n   # indented\nkeepalive 2# note\n");
  CHECK(p.diag.ok());
  REQUIRE(p.cf.media.size() == 1);
  CHECK(p.cf.nodes == std::vector<std::string>{"a"});
  CHECK(p.cf.keepalive == Millis(2000));
}

TEST_CASE("ha.cf lexing: blank lines, leading blanks and CRLF are accepted") {
  const auto p = parse("\r\n   \t bcast eth0\r\n\nnode a\r\n  deadtime 40\r\n");
  INFO(errors_of(p.diag));
  CHECK(p.diag.ok());
  CHECK(p.cf.deadtime == Millis(40000));
}

TEST_CASE("ha.cf lexing: each value token applies separately, the last one wins") {
  const auto p = parse(std::string(kMinimalHaCf) + "keepalive 2 3\n");
  CHECK(p.diag.ok());
  CHECK(p.cf.keepalive == Millis(3000));
}

TEST_CASE("ha.cf lexing: `deadtime 1500 ms` fails on the token ms") {
  const auto p = parse(std::string(kMinimalHaCf) + "deadtime 1500 ms\n");
  REQUIRE(p.diag.errors().size() == 1);
  CHECK_THAT(p.diag.errors()[0], Catch::StartsWith("ha.cf:4: invalid time [ms] for deadtime"));
}

TEST_CASE("ha.cf lexing: directive names are case-sensitive") {
  const auto p = parse(std::string(kMinimalHaCf) + "KeepAlive 2\n");
  REQUIRE(p.diag.errors().size() == 1);
  CHECK_THAT(p.diag.errors()[0], Catch::StartsWith("ha.cf:4: Illegal directive [KeepAlive]"));
}

TEST_CASE("ha.cf lexing: an unknown directive is an error naming it") {
  const auto p = parse(std::string(kMinimalHaCf) + "normalpoll on\nhbaping eth0\n");
  REQUIRE(p.diag.errors().size() == 2);
  CHECK_THAT(p.diag.errors()[0], Catch::StartsWith("ha.cf:4: Illegal directive [normalpoll]; expected"));
  CHECK_THAT(p.diag.errors()[1], Catch::StartsWith("ha.cf:5: Illegal directive [hbaping]"));
}

TEST_CASE("ha.cf lexing: udp is bcast, with heartbeat's warning") {
  const auto p = parse("udp eth1\nnode a\n");
  CHECK(p.diag.ok());
  REQUIRE(p.cf.media.size() == 1);
  CHECK(p.cf.media[0].kind == MediumKind::kBcast);
  CHECK(p.cf.media[0].interface == "eth1");
  CHECK_THAT(warnings_of(p.diag), Catch::Contains("ha.cf:1: directive 'udp' replaced by 'bcast'"));
}

TEST_CASE("ha.cf lexing: an option directive without a value is an error") {
  const auto p = parse(std::string(kMinimalHaCf) + "keepalive\n");
  REQUIRE(p.diag.errors().size() == 1);
  CHECK_THAT(p.diag.errors()[0], Catch::StartsWith("ha.cf:4: keepalive without a value"));
}

TEST_CASE("ha.cf lexing: option-style media take one medium per token, commas included") {
  const auto p = parse("bcast eth0,eth1 eth2\nnode a\n");
  REQUIRE(p.cf.media.size() == 3);
  CHECK(p.cf.media[1].interface == "eth1");
  CHECK(p.cf.media[2].interface == "eth2");
}

TEST_CASE("ha.cf lexing: whole-line directives get the raw rest of the line") {
  const auto p = parse(std::string(kMinimalHaCf) + "apiauth ipfail uid=hacluster,root\n");
  CHECK(p.diag.ok());
  CHECK(p.cf.apiauth == std::vector<std::string>{"ipfail uid=hacluster,root"});
}

TEST_CASE("ha.cf lexing: every error of the file is reported, not only the first") {
  const auto p = parse("bcast eth0\nnode a\nfoo 1\nkeepalive x\nbar 2\ndeadtime y\n");
  CHECK(p.diag.errors().size() == 4);
}
