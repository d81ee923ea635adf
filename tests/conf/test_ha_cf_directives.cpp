// heartbeat-compat.md §2.4: each directive, its default and derived values.
#include <catch2/catch.hpp>

#include "conf_test_util.h"

using namespace vigil::conf;
using namespace vigil::conf::test;

namespace {
Parsed with(const std::string& lines) { return parse(std::string(kMinimalHaCf) + lines); }
}  // namespace

TEST_CASE("ha.cf defaults: timers are keepalive 1s, deadtime 30s, warntime 15s, initdead 30s, deadping 30s") {
  const auto p = parse(kMinimalHaCf);
  INFO(errors_of(p.diag));
  REQUIRE(p.diag.ok());
  CHECK(p.cf.keepalive == Millis(1000));
  CHECK(p.cf.deadtime == Millis(30000));
  CHECK(p.cf.warntime == Millis(15000));
  CHECK(p.cf.initdead == Millis(30000));
  CHECK(p.cf.deadping == Millis(30000));
}

TEST_CASE("ha.cf defaults: the other directives take heartbeat's table values") {
  const auto p = parse(kMinimalHaCf);
  const HaCf& c = p.cf;
  CHECK(c.udpport == 694);
  CHECK(c.baud == 19200);
  CHECK(c.hopfudge == 1);
  CHECK(c.auto_failback == AutoFailback::kLegacy);
  CHECK(c.use_logd);
  CHECK_FALSE(c.logfile);
  CHECK_FALSE(c.debugfile);
  CHECK(c.conn_logd_time == Millis(60000));
  CHECK(c.max_rexmit_delay == Millis(250));
  CHECK(c.realtime);
  CHECK(c.coredumps);
  CHECK(c.debug == 0);
  CHECK(c.hbgenmethod == "file");
  CHECK(c.uuidfrom == "file");
  CHECK(c.autojoin == "none");
  CHECK(c.msgfmt == "classic");
  CHECK(c.compression == "zlib");
  CHECK(c.compression_threshold == 2);
  CHECK(c.memreserve == 6500);
  CHECK(c.cluster == "linux-ha");
  CHECK(c.crm == "false");
}

TEST_CASE("ha.cf derived: warntime defaults to half the deadtime") {
  CHECK(with("deadtime 20\n").cf.warntime == Millis(10000));
  CHECK(with("deadtime 20\nwarntime 5\n").cf.warntime == Millis(5000));
}

TEST_CASE("ha.cf derived: initdead is deadtime when deadtime is above 10s") {
  CHECK(with("deadtime 11\n").cf.initdead == Millis(11000));
}

TEST_CASE("ha.cf derived: initdead is 12s when deadtime is below 6s") {
  CHECK(with("deadtime 5\n").cf.initdead == Millis(12000));
  CHECK(with("keepalive 200ms\ndeadtime 500ms\n").cf.initdead == Millis(12000));
}

TEST_CASE("ha.cf derived: initdead is twice the deadtime between 6s and 10s") {
  CHECK(with("deadtime 6\n").cf.initdead == Millis(12000));
  CHECK(with("deadtime 8\n").cf.initdead == Millis(16000));
  CHECK(with("deadtime 10\n").cf.initdead == Millis(20000));
}

TEST_CASE("ha.cf derived: deadping defaults to deadtime") {
  CHECK(with("deadtime 40\n").cf.deadping == Millis(40000));
  CHECK(with("deadtime 40\ndeadping 20\n").cf.deadping == Millis(20000));
}

TEST_CASE("ha.cf derived: a value given after another directive still counts for derivations") {
  // heartbeat derives after reading the whole file.
  const auto p = parse("warntime 3\nbcast eth0\nnode a\ndeadtime 8\n");
  CHECK(p.cf.warntime == Millis(3000));
  CHECK(p.cf.initdead == Millis(16000));
}

TEST_CASE("ha.cf use_logd: implied on without any log directive, off with one") {
  CHECK(parse(kMinimalHaCf).cf.use_logd);
  CHECK_FALSE(with("logfile /var/log/ha-log\n").cf.use_logd);
  CHECK_FALSE(with("logfacility daemon\n").cf.use_logd);
  CHECK(with("logfile /var/log/ha-log\nuse_logd yes\n").cf.use_logd);
}

TEST_CASE("ha.cf use_logd: off without any log directive is an error") {
  const auto p = with("use_logd off\n");
  REQUIRE(p.diag.errors().size() == 1);
  CHECK_THAT(p.diag.errors()[0], Catch::StartsWith("ha.cf:4: No log entry found in ha.cf and use_logd is set to off"));
}

TEST_CASE("ha.cf logfacility: with a facility, unset log files become /dev/null") {
  const auto p = with("logfacility local0\nlogfile /var/log/ha-log\n");
  CHECK(p.cf.logfile == "/var/log/ha-log");
  CHECK(p.cf.debugfile == "/dev/null");
  CHECK_FALSE(with("logfacility none\n").cf.logfile);
}

TEST_CASE("ha.cf logfacility: an unknown facility is an error") {
  const auto p = with("logfacility local9\n");
  REQUIRE(p.diag.errors().size() == 1);
  CHECK_THAT(p.diag.errors()[0], Catch::StartsWith("ha.cf:4: Log facility(local9) not valid"));
}

TEST_CASE("ha.cf node: names are lower-cased") {
  CHECK(parse("bcast eth0\nnode Node1.Example.COM\n").cf.nodes == std::vector<std::string>{"node1.example.com"});
}

TEST_CASE("ha.cf node: a repeated name is ignored with a warning") {
  const auto p = parse("bcast eth0\nnode a\nnode A\n");
  CHECK(p.diag.ok());
  CHECK(p.cf.nodes == std::vector<std::string>{"a"});
  CHECK_THAT(warnings_of(p.diag), Catch::Contains("ha.cf:3: node [a] listed twice"));
}

TEST_CASE("ha.cf auto_failback: on, off, legacy and any boolean, case-insensitively") {
  CHECK(with("auto_failback on\n").cf.auto_failback == AutoFailback::kOn);
  CHECK(with("auto_failback Yes\n").cf.auto_failback == AutoFailback::kOn);
  CHECK(with("auto_failback off\n").cf.auto_failback == AutoFailback::kOff);
  CHECK(with("auto_failback LEGACY\n").cf.auto_failback == AutoFailback::kLegacy);
  CHECK_FALSE(with("auto_failback sometimes\n").diag.ok());
}

TEST_CASE("ha.cf auto_failback: legacy gives heartbeat's three warnings") {
  const auto p = parse(kMinimalHaCf);
  const std::string w = warnings_of(p.diag);
  CHECK_THAT(w, Catch::Contains("ha.cf: Deprecated 'legacy' auto_failback option selected.\n"
                                "ha.cf: Please convert to 'auto_failback on'.\n"
                                "ha.cf: See documentation for conversion details.\n"));
  CHECK_THAT(warnings_of(with("auto_failback on\n").diag), !Catch::Contains("legacy"));
}

TEST_CASE("ha.cf nice_failback: obsolete; on means auto_failback off, off means legacy") {
  const auto on = with("nice_failback on\n");
  CHECK(on.diag.ok());
  CHECK(on.cf.auto_failback == AutoFailback::kOff);
  CHECK_THAT(warnings_of(on.diag), Catch::Contains("nice_failback flag is obsolete. Use auto_failback {on, off, legacy} instead."));
  CHECK(with("nice_failback off\n").cf.auto_failback == AutoFailback::kLegacy);
}

TEST_CASE("ha.cf udpport: must be an integer from 1 to 65535") {
  CHECK(with("udpport 695\n").cf.udpport == 695);
  CHECK_FALSE(with("udpport 0\n").diag.ok());
  CHECK_FALSE(with("udpport 65536\n").diag.ok());
  CHECK_FALSE(with("udpport ha\n").diag.ok());
}

TEST_CASE("ha.cf baud: only serial speeds, and only once") {
  CHECK(parse("baud 38400\nbcast eth0\nnode a\n").cf.baud == 38400);
  CHECK_FALSE(with("baud 12345\n").diag.ok());
  const auto twice = with("baud 9600\nbaud 19200\n");
  REQUIRE(twice.diag.errors().size() == 1);
  CHECK_THAT(twice.diag.errors()[0], Catch::StartsWith("ha.cf:5: Baudrate multiply specified"));
}

TEST_CASE("ha.cf integers: hopfudge 0-255, debug 0-255, rtprio 1-99") {
  CHECK(with("hopfudge 0\n").cf.hopfudge == 0);
  CHECK_FALSE(with("hopfudge 256\n").diag.ok());
  CHECK(with("debug 3\n").cf.debug == 3);
  CHECK_FALSE(with("debug -1\n").diag.ok());
  CHECK(with("rtprio 50\n").cf.rtprio == 50);
  CHECK_FALSE(with("rtprio 100\n").diag.ok());
}

TEST_CASE("ha.cf booleans: realtime, coredumps, syslogmsgfmt, log_badpack, traditional_compression") {
  const auto p = with("realtime off\ncoredumps no\nsyslogmsgfmt false\nlog_badpack n\ntraditional_compression yes\n");
  CHECK(p.diag.ok());
  CHECK_FALSE(p.cf.realtime);
  CHECK_FALSE(p.cf.coredumps);
  CHECK_FALSE(p.cf.syslogmsgfmt);
  CHECK_FALSE(p.cf.log_badpack);
  CHECK(p.cf.traditional_compression);
  CHECK_THAT(errors_of(with("realtime maybe\n").diag), Catch::Contains("invalid boolean [maybe] for realtime"));
}

TEST_CASE("ha.cf choices: hbgenmethod and uuidfrom are case-sensitive, autojoin is not") {
  CHECK(with("hbgenmethod time\n").cf.hbgenmethod == "time");
  CHECK_FALSE(with("hbgenmethod Time\n").diag.ok());
  CHECK(with("uuidfrom nodename\n").cf.uuidfrom == "nodename");
  CHECK(with("msgfmt netstring\n").cf.msgfmt == "netstring");
  CHECK(with("compression bz2\n").cf.compression == "bz2");
  CHECK_FALSE(with("compression lz4\n").diag.ok());
  // autojoin NONE is accepted (and is still none).
  CHECK(with("autojoin NONE\n").cf.autojoin == "none");
}

TEST_CASE("ha.cf max_rexmit_delay: a number of milliseconds") {
  CHECK(with("max_rexmit_delay 400\n").cf.max_rexmit_delay == Millis(400));
  CHECK(with("max_rexmit_delay 400ms\n").cf.max_rexmit_delay == Millis(400));
  CHECK_FALSE(with("max_rexmit_delay 0\n").diag.ok());
}

TEST_CASE("ha.cf conn_logd_time: a time value") {
  CHECK(with("conn_logd_time 30\n").cf.conn_logd_time == Millis(30000));
}

TEST_CASE("ha.cf env: NAME=value pairs, one per token") {
  const auto p = with("env A=1 B=two\n");
  REQUIRE(p.cf.env.size() == 2);
  CHECK(p.cf.env[1] == std::pair<std::string, std::string>{"B", "two"});
  CHECK_FALSE(with("env novalue\n").diag.ok());
}

TEST_CASE("ha.cf watchdog: may be given once") {
  CHECK(with("watchdog /dev/watchdog\n").cf.watchdog == "/dev/watchdog");
  CHECK_THAT(errors_of(with("watchdog /dev/watchdog\nwatchdog /dev/watchdog1\n").diag),
             Catch::Contains("ha.cf:5: Watchdog device multiply specified;"));
}

TEST_CASE("ha.cf crm: off is accepted, anything enabling Pacemaker is an error") {
  CHECK(with("crm off\n").diag.ok());
  CHECK(with("pacemaker no\n").diag.ok());
  CHECK_THAT(errors_of(with("crm on\n").diag), Catch::Contains("ha.cf:4: crm [on] switches heartbeat to Pacemaker mode"));
  CHECK_FALSE(with("crm respawn\n").diag.ok());
  CHECK_THAT(errors_of(with("crm off\ncrm no\n").diag), Catch::Contains("may appear only once"));
}

TEST_CASE("ha.cf respawn: user, absolute executable path and arguments are kept") {
  const auto p = with("respawn root /bin/sh -c true\nfailfast root /bin/true\n");
  INFO(errors_of(p.diag));
  REQUIRE(p.cf.respawn.size() == 2);
  CHECK(p.cf.respawn[0].user == "root");
  CHECK(p.cf.respawn[0].command == "/bin/sh -c true");
  CHECK_FALSE(p.cf.respawn[0].failfast);
  CHECK(p.cf.respawn[1].failfast);
}

TEST_CASE("ha.cf respawn: a relative path, an unknown user or a missing program is an error") {
  CHECK_THAT(errors_of(with("respawn root bin/true\n").diag), Catch::Contains("is not an absolute path"));
  CHECK_THAT(errors_of(with("respawn no-such-user-vigil /bin/true\n").diag), Catch::Contains("unknown user [no-such-user-vigil]"));
  CHECK_THAT(errors_of(with("respawn root /no/such/program\n").diag), Catch::Contains("is not executable"));
  CHECK_THAT(errors_of(with("respawn root\n").diag), Catch::Contains("respawn without a program"));
}

TEST_CASE("ha.cf apiauth: one line per client") {
  CHECK(with("apiauth ipfail uid=hacluster\napiauth ping gid=haclient\n").diag.ok());
  CHECK_THAT(errors_of(with("apiauth ipfail uid=a\napiauth ipfail uid=b\n").diag),
             Catch::Contains("ha.cf:5: Duplicate apiauth directive for API client ipfail"));
}

TEST_CASE("ha.cf stonith: acted on, so kept without a warning") {
  const auto p = with("stonith_host * baytech 10.0.0.3 mylogin mysecretpassword\n"
                      "stonith external/ipmi /etc/ha.d/ipmi.cfg\n");
  CHECK(p.diag.ok());
  CHECK(p.cf.stonith_host.size() == 1);
  CHECK(p.cf.stonith.size() == 1);
  CHECK_THAT(warnings_of(p.diag), !Catch::Contains("stonith"));
}

TEST_CASE("ha.cf stonith: a line without its device type is an error naming the line") {
  CHECK_THAT(errors_of(with("stonith external/ipmi\n").diag),
             Catch::Contains("ha.cf:4: stonith needs a device type and a parameter file"));
  CHECK_THAT(errors_of(with("stonith_host *\n").diag),
             Catch::Contains("ha.cf:4: stonith_host needs the node it applies to"));
}

TEST_CASE("ha.cf pacemaker-only directives are legal, with a warning") {
  const auto p = with("crm_daemon_dir /usr/lib/pacemaker\n");
  CHECK(p.diag.ok());
  CHECK_THAT(warnings_of(p.diag), Catch::Contains("crm_daemon_dir is for Pacemaker"));
}
