// heartbeat-compat.md §2.5: required content and fatal errors of ha.cf.
#include <catch2/catch.hpp>

#include "conf_test_util.h"

using namespace vigil::conf;
using namespace vigil::conf::test;

TEST_CASE("validation: no media is an error at the end of the file") {
  const auto p = parse("node a\nnode b\n");
  REQUIRE(p.diag.errors().size() == 1);
  CHECK(p.diag.errors()[0] == "ha.cf:2: No heartbeat media defined; expected at least one bcast, mcast, ucast, mcast6 or ucast6 line");
}

TEST_CASE("validation: ping and serial alone are no heartbeat media") {
  CHECK_THAT(errors_of(parse("node a\nping 10.0.0.1\nserial /dev/ttyS0\n").diag), Catch::Contains("No heartbeat media defined"));
}

TEST_CASE("validation: no node is an error") {
  const auto p = parse("bcast eth0\n");
  REQUIRE(p.diag.errors().size() == 1);
  CHECK_THAT(p.diag.errors()[0], Catch::StartsWith("ha.cf:1: no nodes defined"));
}

TEST_CASE("validation: deadtime must exceed twice the keepalive") {
  const auto p = parse(std::string(kMinimalHaCf) + "keepalive 2\ndeadtime 4\n");
  REQUIRE(p.diag.errors().size() >= 1);
  CHECK_THAT(p.diag.errors()[0], Catch::StartsWith("ha.cf:5: Dead time [4000ms] is too small compared to keepalive [2000ms]"));
  CHECK(parse(std::string(kMinimalHaCf) + "keepalive 2\ndeadtime 4001ms\ninitdead 12\n").diag.ok());
}

TEST_CASE("validation: a keepalive that outgrows the default deadtime is reported at the keepalive line") {
  const auto p = parse(std::string(kMinimalHaCf) + "keepalive 15\n");
  CHECK_THAT(errors_of(p.diag), Catch::Contains("ha.cf:4: Dead time [30000ms] is too small compared to keepalive [15000ms]"));
}

TEST_CASE("validation: initdead below deadtime is an error") {
  const auto p = parse(std::string(kMinimalHaCf) + "deadtime 30\ninitdead 20\n");
  REQUIRE(p.diag.errors().size() == 1);
  CHECK(p.diag.errors()[0] ==
        "ha.cf:5: Initial dead time [20000ms] is smaller than deadtime [30000ms]; expected initdead of at least deadtime");
}

TEST_CASE("validation: initdead below 10s is a warning") {
  const auto p = parse(std::string(kMinimalHaCf) + "keepalive 1\ndeadtime 3\ninitdead 5\n");
  CHECK(p.diag.ok());
  CHECK_THAT(warnings_of(p.diag), Catch::Contains("ha.cf:6: Initial dead time [5000ms] may be too small!"));
}

TEST_CASE("validation: deadping must exceed twice the keepalive") {
  const auto p = parse(std::string(kMinimalHaCf) + "keepalive 2\ndeadping 3\n");
  CHECK_THAT(errors_of(p.diag), Catch::Contains("ha.cf:5: Dead ping [3000ms] is too small compared to keepalive [2000ms]"));
}

TEST_CASE("validation: timers of zero are errors") {
  CHECK_THAT(errors_of(parse(std::string(kMinimalHaCf) + "keepalive 0\n").diag), Catch::Contains("keepalive [0] is zero"));
  CHECK_THAT(errors_of(parse(std::string(kMinimalHaCf) + "warntime 100us\n").diag), Catch::Contains("warntime [100us] is zero"));
}

TEST_CASE("validation: autojoin other than none conflicts with haresources management") {
  const auto p = parse(std::string(kMinimalHaCf) + "autojoin any\n");
  CHECK_THAT(errors_of(p.diag), Catch::Contains("ha.cf:4: R1 style resource management conflicts with autojoin set"));
}

TEST_CASE("validation: autojoin any lifts the node requirement but is still refused") {
  const auto p = parse("bcast eth0\nautojoin any\n");
  CHECK_THAT(errors_of(p.diag), !Catch::Contains("no nodes defined"));
  CHECK_THAT(errors_of(p.diag), Catch::Contains("autojoin"));
}

TEST_CASE("validation: more than 100 nodes including ping nodes is an error") {
  std::string text = "bcast eth0\n";
  for (int i = 0; i < 100; ++i) text += "node n" + std::to_string(i) + "\n";
  CHECK(parse(text).diag.ok());
  CHECK_THAT(errors_of(parse(text + "ping 10.0.0.1\n").diag), Catch::Contains("too many nodes: 101"));
}

TEST_CASE("validation: warntime not below deadtime is a warning") {
  const auto p = parse(std::string(kMinimalHaCf) + "warntime 30\n");
  CHECK(p.diag.ok());
  CHECK_THAT(warnings_of(p.diag), Catch::Contains("ha.cf:4: warntime [30000ms] is not below deadtime"));
}
