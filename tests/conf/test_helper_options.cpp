#include <catch2/catch.hpp>
#include <memory>

#include "conf/helper_options.h"
#include "conf/log_settings.h"

using namespace vigil;

TEST_CASE("helper options: the heartbeat user defaults to hacluster and no group is set") {
  auto o = conf::parse_helper_options({}, "ipd");
  REQUIRE(o.ok());
  CHECK(o->heartbeat_user == "hacluster");
  CHECK_FALSE(o->heartbeat_group.has_value());
}

TEST_CASE("helper options: --heartbeat-user and --heartbeat-group take NAME or =NAME") {
  auto o = conf::parse_helper_options({"--heartbeat-user", "hb", "--heartbeat-group=hbg"}, "ipd");
  REQUIRE(o.ok());
  CHECK(o->heartbeat_user == "hb");
  CHECK(o->heartbeat_group == "hbg");
}

TEST_CASE("helper options: an unknown argument names itself and the program") {
  auto o = conf::parse_helper_options({"--frobnicate"}, "resourced");
  REQUIRE_FALSE(o.ok());
  CHECK(o.error().message == "unexpected argument \"--frobnicate\"; see resourced --help");
}

TEST_CASE("helper options: a missing or empty name is an error") {
  CHECK_FALSE(conf::parse_helper_options({"--heartbeat-user"}, "ipd").ok());
  CHECK_FALSE(conf::parse_helper_options({"--heartbeat-group="}, "ipd").ok());
}

TEST_CASE("log settings: ha.cf's logging directives reach the logger with the given ident") {
  // Built on the heap: g++ 12 -O2 reports a false -Wmaybe-uninitialized
  // for the optional<string> members of a large stack HaCf.
  auto owned = std::make_unique<conf::HaCf>();
  conf::HaCf& cf = *owned;
  cf.logfile.emplace("/var/log/ha-log");
  cf.debugfile.emplace("/var/log/ha-debug");
  cf.logfacility.emplace("local0");
  cf.syslogmsgfmt = false;
  cf.debug = 2;
  const log::LogConfig lc = conf::log_settings(cf, "heartbeat");
  CHECK(lc.ident == "heartbeat");
  CHECK(lc.logfile.value_or("") == "/var/log/ha-log");
  CHECK(lc.debugfile.value_or("") == "/var/log/ha-debug");
  CHECK(lc.logfacility.value_or("") == "local0");
  CHECK_FALSE(lc.syslogmsgfmt);
  CHECK(lc.debug == 2);
}

TEST_CASE(
    "helper options: resourced takes --drbdadm PATH and --fence-agent-dir DIR (absolute); "
    "ipd does not") {
  using Member = std::optional<std::string> conf::HelperOptions::*;
  const std::pair<std::string, Member> options[] = {
      {"--drbdadm", &conf::HelperOptions::drbdadm},
      {"--fence-agent-dir", &conf::HelperOptions::fence_agent_dir}};
  for (const auto& [flag, member] : options) {
    INFO(flag);
    auto o = conf::parse_helper_options({flag + "=/opt/x"}, "resourced");
    REQUIRE(o.ok());
    CHECK(*(o.value().*member) == "/opt/x");
    auto spaced = conf::parse_helper_options({flag, "/opt/y"}, "resourced");
    REQUIRE(spaced.ok());
    CHECK(*(spaced.value().*member) == "/opt/y");
    CHECK_FALSE((conf::parse_helper_options({}, "resourced").value().*member).has_value());
    auto relative = conf::parse_helper_options({flag, "x"}, "resourced");
    REQUIRE_FALSE(relative.ok());
    CHECK(relative.error().message == flag + " needs an absolute path");
    CHECK_FALSE(conf::parse_helper_options({flag + "=/sbin/x"}, "ipd").ok());
  }
}
