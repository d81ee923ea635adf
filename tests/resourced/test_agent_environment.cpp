// The environment of heartbeat-compat.md §1, built from a Config.
#include <algorithm>
#include <catch2/catch.hpp>

#include "conf/config.h"
#include "resourced/agent_environment.h"
#include "resourced/agent_runner.h"
#include "resourced/output_capture.h"

using namespace vigil;
using namespace vigil::resourced;
using Strings = std::vector<std::string>;

namespace {

conf::Config config() {
  conf::Config c;
  c.paths.config_dir = "/etc/ha.d";
  c.local_node = "node1";
  return c;
}

bool has(const Strings& env, const std::string& entry) {
  return std::find(env.begin(), env.end(), entry) != env.end();
}

bool has_name(const Strings& env, const std::string& name) {
  return std::any_of(env.begin(), env.end(),
                     [&](const std::string& e) { return e.rfind(name + "=", 0) == 0; });
}

}  // namespace

TEST_CASE("environment: the fixed heartbeat variables and a clean PATH") {
  const Strings env = agent_environment(config());
  CHECK(env.front() == std::string("PATH=") + kAgentPath);
  for (const char* e :
       {"HA_DIR=/etc/ha.d", "HA_FUNCS=/etc/ha.d/shellfuncs", "HA_DATEFMT=%Y/%m/%d_%T\t",
        "OCF_ROOT=/usr/lib/ocf", "HA_CURHOST=node1", "HA_LOGD=yes"}) {
    INFO(e);
    CHECK(has(env, e));
  }
}

TEST_CASE("environment: optional variables are absent when ha.cf does not set them") {
  const Strings env = agent_environment(config());
  for (const char* n :
       {"HA_LOGFILE", "HA_DEBUGLOG", "HA_LOGFACILITY", "HA_debug", "HA_NICEFAILBACK"}) {
    INFO(n);
    CHECK_FALSE(has_name(env, n));
  }
}

TEST_CASE("environment: logging, debug and use_logd settings of ha.cf are passed on") {
  conf::Config c = config();
  c.ha_cf.logfile = "/var/log/ha-log";
  c.ha_cf.debugfile = "/var/log/ha-debug";
  c.ha_cf.logfacility = "local0";
  c.ha_cf.debug = 2;
  c.ha_cf.use_logd = false;
  const Strings env = agent_environment(c, "/opt/ocf");
  for (const char* e : {"HA_LOGFILE=/var/log/ha-log", "HA_DEBUGLOG=/var/log/ha-debug",
                        "HA_LOGFACILITY=local0", "HA_debug=2", "HA_LOGD=no", "OCF_ROOT=/opt/ocf"}) {
    INFO(e);
    CHECK(has(env, e));
  }
}

TEST_CASE("environment: logfacility none sets no HA_LOGFACILITY") {
  conf::Config c = config();
  c.ha_cf.logfacility = "none";
  CHECK_FALSE(has_name(agent_environment(c), "HA_LOGFACILITY"));
}

TEST_CASE("environment: HA_NICEFAILBACK=yes when auto_failback is on or off, not legacy") {
  conf::Config c = config();
  c.ha_cf.auto_failback = conf::AutoFailback::kOn;
  CHECK(has(agent_environment(c), "HA_NICEFAILBACK=yes"));
  c.ha_cf.auto_failback = conf::AutoFailback::kOff;
  CHECK(has(agent_environment(c), "HA_NICEFAILBACK=yes"));
  c.ha_cf.auto_failback = conf::AutoFailback::kLegacy;
  CHECK_FALSE(has_name(agent_environment(c), "HA_NICEFAILBACK"));
}

TEST_CASE("environment: each env NAME=value line of ha.cf becomes HA_NAME=value, in order") {
  conf::Config c = config();
  c.ha_cf.env = {{"FOO", "bar"}, {"STOPRETRYMAX", "3"}};
  const Strings env = agent_environment(c);
  const auto foo = std::find(env.begin(), env.end(), "HA_FOO=bar");
  const auto retry = std::find(env.begin(), env.end(), "HA_STOPRETRYMAX=3");
  REQUIRE(foo != env.end());
  REQUIRE(retry != env.end());
  CHECK(foo < retry);
}

TEST_CASE("output: lines of stdout and stderr are logged whole, partial lines at flush") {
  Strings lines;
  OutputCapture cap([&](std::string_view l) { lines.emplace_back(l); });
  cap.add_stdout("one\ntw");
  cap.add_stderr("err\n");
  cap.add_stdout("o\nthree");
  CHECK(lines == Strings{"one", "err", "two"});
  cap.flush();
  CHECK(lines == Strings{"one", "err", "two", "three"});
  CHECK(cap.stdout_text() == "one\ntwo\nthree");
  CHECK(cap.tail() == "one\ntwerr\no\nthree");
}

TEST_CASE("output: the tail keeps the last 4 KiB and stdout is bounded") {
  OutputCapture cap([](std::string_view) {});
  const std::string chunk(1000, 'x');
  for (int i = 0; i < 100; ++i) cap.add_stdout(chunk);
  cap.add_stdout("END");
  CHECK(cap.tail().size() == kOutputTailBytes);
  CHECK(cap.tail().substr(cap.tail().size() - 3) == "END");
  CHECK(cap.stdout_text().size() == kStdoutKeepBytes);
}

TEST_CASE("output: an endless line is logged in pieces") {
  Strings lines;
  OutputCapture cap([&](std::string_view l) { lines.emplace_back(l); });
  cap.add_stdout(std::string(kMaxLogLine * 2 + 5, 'y'));
  CHECK(lines.size() == 2);
  cap.flush();
  CHECK(lines.size() == 3);
  CHECK(lines.back().size() == 5);
}

TEST_CASE("options: env STOPRETRYMAX=N in ha.cf sets the stop retry count, default 10") {
  conf::Config c = config();
  const AgentDirs dirs = default_agent_dirs("/etc/ha.d");
  CHECK(runner_options_for(c, dirs, LaunchStrategy::kFork).stop_retry_max == 10);
  c.ha_cf.env = {{"STOPRETRYMAX", "3"}};
  CHECK(runner_options_for(c, dirs, LaunchStrategy::kFork).stop_retry_max == 3);
  c.ha_cf.env = {{"STOPRETRYMAX", "x3"}};
  CHECK(runner_options_for(c, dirs, LaunchStrategy::kFork).stop_retry_max == 10);
}

TEST_CASE("options: the runner options carry the agent environment and the strategy") {
  const conf::Config c = config();
  const RunnerOptions o =
      runner_options_for(c, default_agent_dirs("/etc/ha.d"), LaunchStrategy::kSystemdScope);
  CHECK(o.environment == agent_environment(c));
  CHECK(o.strategy == LaunchStrategy::kSystemdScope);
  CHECK(o.stop_retry_interval == std::chrono::seconds(1));
}
