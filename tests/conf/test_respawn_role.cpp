// respawn lines: which vigil runs, which it only accepts (respawn_role.h),
// and the checks heartbeat made, kept for what vigil runs.
#include <catch2/catch.hpp>

#include "conf/respawn_role.h"
#include "conf_test_util.h"

using namespace vigil::conf;
using vigil::conf::test::parse;

TEST_CASE("respawn role: heartbeat's ipfail under any prefix, dopd, and other programs") {
  CHECK(respawn_role("/usr/lib/heartbeat/ipfail") == RespawnRole::kHeartbeatIpfail);
  CHECK(respawn_role("/usr/lib64/heartbeat/ipfail") == RespawnRole::kHeartbeatIpfail);
  CHECK(respawn_role("/usr/libexec/heartbeat/ipfail -x") == RespawnRole::kHeartbeatIpfail);
  CHECK(respawn_role("/usr/lib/heartbeat/dopd") == RespawnRole::kDrbdDopd);
  CHECK(respawn_role("/usr/lib64/heartbeat/dopd -t 5") == RespawnRole::kDrbdDopd);
  CHECK(respawn_role("/usr/local/bin/ipfail") == RespawnRole::kProgram);
  CHECK(respawn_role("/usr/sbin/mon -f") == RespawnRole::kProgram);
  CHECK(respawn_program("/usr/sbin/mon\t-f") == "/usr/sbin/mon");
}

TEST_CASE("respawn role: ipfail is built in (no warning), dopd's warning names what replaces it") {
  CHECK(
      respawn_not_run_warning(RespawnRole::kHeartbeatIpfail, "/usr/lib/heartbeat/ipfail").empty());
  CHECK(respawn_not_run_warning(RespawnRole::kDrbdDopd, "/usr/lib/heartbeat/dopd")
            .find("fence-peer") != std::string::npos);
  CHECK(respawn_not_run_warning(RespawnRole::kProgram, "/bin/true").empty());
}

TEST_CASE("respawn: ipfail and dopd need not exist; a program vigil runs must") {
  auto r = parse(
      "bcast eth0\nnode node1 node2\n"
      "respawn hacluster /usr/lib64/heartbeat/ipfail\n"
      "respawn hacluster /nonexistent/heartbeat/dopd\n"
      "respawn nobody /bin/true\n");
  CHECK(r.diag.ok());
  REQUIRE(r.cf.respawn.size() == 3);
  CHECK(respawn_entries_to_run(r.cf) == std::vector<std::uint16_t>{2});
  CHECK(ipfail_requested(r.cf));
  // Only dopd warns: the ipfail line enables the built-in ipfail (§8.2).
  int ipfail_warnings = 0, dopd_warnings = 0;
  for (const auto& w : r.diag.warnings()) {
    ipfail_warnings += w.find("ipfail") != std::string::npos;
    dopd_warnings += w.find("dopd") != std::string::npos;
  }
  CHECK(ipfail_warnings == 0);
  CHECK(dopd_warnings == 1);
  CHECK_FALSE(ipfail_requested(parse("bcast eth0\nnode node1 node2\n").cf));
  auto bad = parse("bcast eth0\nnode node1\nrespawn nobody /nonexistent/mon\n");
  REQUIRE(bad.diag.errors().size() == 1);
  CHECK(bad.diag.errors()[0].find("is not executable") != std::string::npos);
}
