// conf/print.h: the normalised configuration parses back to the same Config.
#include <catch2/catch.hpp>

#include <filesystem>

#include "conf/compare.h"
#include "conf/haresources.h"
#include "conf/load.h"
#include "conf/print.h"
#include "conf_test_util.h"

using namespace vigil::conf;
using namespace vigil::conf::test;

namespace {

// The part of a print_config output between `begin` and the next marker.
std::string section(const std::string& text, const std::string& begin) {
  const std::size_t start = text.find(begin);
  REQUIRE(start != std::string::npos);
  const std::size_t from = start + begin.size();
  const std::size_t end = text.find("# ---- ", from);
  return text.substr(from, end == std::string::npos ? std::string::npos : end - from);
}

// Prints `c`, parses the ha.cf and haresources sections again, and checks
// that the result is the same configuration and prints the same.
void check_round_trip(const Config& c) {
  const std::string printed = print_config(c);
  Diagnostics diag;
  const HaCf again = parse_ha_cf(section(printed, kHaCfSection), "printed-ha.cf", diag);
  const auto groups = parse_haresources(section(printed, kHaresourcesSection), "printed-haresources", &again.nodes, diag);
  INFO(printed);
  INFO(errors_of(diag));
  CHECK(diag.ok());
  CHECK(equivalent(again, c.ha_cf));
  CHECK(equivalent(groups, c.groups));
  CHECK(print_ha_cf(again) == print_ha_cf(c.ha_cf));
  CHECK(print_haresources(groups) == print_haresources(c.groups));
}

constexpr const char* kRich =
    "logfile /var/log/ha-log\n"
    "debugfile /var/log/ha-debug\n"
    "logfacility daemon\n"
    "use_logd on\n"
    "conn_logd_time 30\n"
    "syslogmsgfmt off\n"
    "log_badpack no\n"
    "debug 2\n"
    "keepalive 500ms\n"
    "deadtime 2.5\n"
    "warntime 1500ms\n"
    "initdead 20\n"
    "deadping 4\n"
    "udpport 700\n"
    "bcast eth0 eth1\n"
    "udpport 701\n"
    "ucast eth2 10.0.0.2\n"
    "mcast eth3 239.0.0.1 6940 2 1\n"
    "ucast6 eth0 fe80::2%eth0\n"
    "mcast6 eth0 ff02::1:5 694 1 0\n"
    "baud 57600\n"
    "serial /dev/ttyS0\n"
    "ping 10.0.0.254\n"
    "ping6 2001:db8::fe\n"
    "ping_group gw 10.0.0.1 10.0.0.2\n"
    "udpport 702\n"
    "node Alpha beta\n"
    "auto_failback off\n"
    "realtime off\n"
    "rtprio 10\n"
    "coredumps no\n"
    "coreroot /var/lib/heartbeat/cores\n"
    "watchdog /dev/watchdog\n"
    "hopfudge 2\n"
    "hbgenmethod time\n"
    "uuidfrom nodename\n"
    "msgfmt netstring\n"
    "compression bz2\n"
    "compression_threshold 4\n"
    "traditional_compression yes\n"
    "max_rexmit_delay 400\n"
    "memreserve 7000\n"
    "cluster prod\n"
    "crm no\n"
    "env FOO=bar\n"
    "respawn root /bin/sh -c true\n"
    "failfast root /bin/true\n"
    "apiauth ipfail uid=hacluster\n"
    "stonith baytech /etc/ha.d/conf/stonith.baytech\n"
    "stonith_host * baytech 10.0.0.3 login password\n";

constexpr const char* kRichResources =
    "alpha 10.0.0.5/24/eth0/10.0.0.255 httpd Filesystem::/dev/sda1::/data::ext4\n"
    "beta IPaddr2::10.0.1.5/24/eth1:web \\\n  IPv6addr::2001:db8::5/64/eth0 smb\n";

}  // namespace

TEST_CASE("print: a configuration using every directive parses back to itself") {
  Parsed p = parse(kRich);
  INFO(errors_of(p.diag));
  REQUIRE(p.diag.ok());
  Config c;
  c.ha_cf = p.cf;
  const std::vector<std::string> nodes = {"alpha", "beta"};
  Diagnostics diag;
  c.groups = parse_haresources(kRichResources, "haresources", &nodes, diag);
  REQUIRE(diag.ok());
  check_round_trip(c);
}

TEST_CASE("print: udpport and baud given after their media parse back to the same media") {
  Parsed p = parse("bcast eth0\nserial /dev/ttyS0\nudpport 700\nbaud 9600\nucast eth0 10.0.0.1\nnode a\n");
  REQUIRE(p.diag.ok());
  Config c;
  c.ha_cf = p.cf;
  check_round_trip(c);
}

TEST_CASE("print: times carry their unit, keys never appear") {
  TempDir dir;
  write_config(dir, "bcast eth0\nnode a\nkeepalive 1.5\n", "a httpd\n", "auth 1\n1 sha1 TOPSECRETKEY\n");
  const auto r = load_config_report(LoadOptions{Paths{dir.path(), "", ""}, "a"});
  REQUIRE(r.config);
  const std::string out = print_config(*r.config);
  CHECK_THAT(out, Catch::Contains("\nkeepalive 1500ms\n"));
  CHECK_THAT(out, Catch::Contains("\nwarntime 15000ms\n"));
  CHECK_THAT(out, Catch::Contains("# auth 1 (sha1)\n"));
  CHECK_THAT(out, !Catch::Contains("TOPSECRETKEY"));
}

TEST_CASE("print: every good golden case parses back to itself") {
  // Runs from tests/conf (the meson test's workdir).
  int cases = 0;
  for (const auto& entry : std::filesystem::directory_iterator("good")) {
    // Same case layout as test_golden.py: `from` names another directory
    // holding the files (a file of the case itself wins), `node-name` "-"
    // means "use nodeinfo".
    std::filesystem::path source = entry.path();
    if (std::ifstream from(entry.path() / "from"); from) {
      std::string rel;
      std::getline(from, rel);
      source = entry.path() / rel;
    }
    TempDir dir;
    for (const char* f : {"ha.cf", "haresources", "authkeys", "nodeinfo"}) {
      if (std::filesystem::exists(entry.path() / f))
        std::filesystem::copy_file(entry.path() / f, dir.file(f));
      else if (std::filesystem::exists(source / f))
        std::filesystem::copy_file(source / f, dir.file(f));
    }
    std::filesystem::permissions(dir.file("authkeys"), std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    std::optional<std::string> node = "node1";
    if (std::ifstream in(entry.path() / "node-name"); in) std::getline(in, *node);
    if (node == "-") node.reset();
    const auto r = load_config_report(LoadOptions{Paths{dir.path(), "", ""}, node});
    INFO(entry.path().string());
    REQUIRE(r.config);
    check_round_trip(*r.config);
    ++cases;
  }
  CHECK(cases > 0);
}

TEST_CASE("compare: configurations differing in one value are not equivalent") {
  const Parsed a = parse(kMinimalHaCf);
  Parsed b = parse(kMinimalHaCf);
  CHECK(equivalent(a.cf, b.cf));
  b.cf.media[0].port = 695;
  CHECK_FALSE(equivalent(a.cf, b.cf));
  b = parse(std::string(kMinimalHaCf) + "debug 1\n");
  CHECK_FALSE(equivalent(a.cf, b.cf));
}
