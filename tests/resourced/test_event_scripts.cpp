// rc.d event scripts: which resourced runs (event_scripts.h), what they are
// run with (event_command.h), and that they run one at a time in order
// (event_script_runner.h). heartbeat-compat.md §6.9.
#include <algorithm>
#include <catch2/catch.hpp>

#include "../common/loop_helpers.h"
#include "common/event_loop.h"
#include "common/log.h"
#include "fake_file_system.h"
#include "quiet_log.h"
#include "resourced/event_command.h"
#include "resourced/event_script_runner.h"
#include "resourced/event_scripts.h"
#include "temp_tree.h"

using namespace vigil;
using namespace vigil::resourced;
using namespace vigil::resourced::testing;
using proto::ClusterEvent;

namespace {

const std::string kRcD = "/etc/ha.d/rc.d";
// heartbeat 3.0.6's rc.d/status, as Debian installed it.
const std::string kHeartbeatStatus =
    "1f1d6edbf0dee327cca9d43a047cd9265ede139654e906531e5563217295b4a5";

}  // namespace

TEST_CASE("rc.d survey: an executable script named after an event runs for that event") {
  FakeFileSystem fs;
  fs.executable(kRcD + "/ifstat").executable(kRcD + "/stonith").executable(kRcD + "/README");
  const EventScriptSurvey s = survey_event_scripts(kRcD, fs);
  REQUIRE(s.scripts.size() == 2);
  CHECK(event_script_for(s, ClusterEvent::kIfstat) == kRcD + "/ifstat");
  CHECK(event_script_for(s, ClusterEvent::kStonith) == kRcD + "/stonith");
  CHECK_FALSE(event_script_for(s, ClusterEvent::kStatus));
}

TEST_CASE("rc.d survey: heartbeat's own status script, left by apt remove, is not run") {
  FakeFileSystem fs;
  fs.executable_with_hash(kRcD + "/status", kHeartbeatStatus);
  const EventScriptSurvey s = survey_event_scripts(kRcD, fs);
  CHECK(s.scripts.empty());
  CHECK(s.heartbeats_own == std::vector<std::string>{"status"});
  CHECK(describe_event_scripts(s, kRcD) ==
        "rc.d event scripts in /etc/ha.d/rc.d: none; heartbeat's own, left by a removed "
        "heartbeat package (not run: vigil does their work itself): status");
}

TEST_CASE("rc.d survey: an edited status script is the administrator's and runs") {
  FakeFileSystem fs;
  fs.executable_with_hash(kRcD + "/status", std::string(64, 'e'));
  const EventScriptSurvey s = survey_event_scripts(kRcD, fs);
  CHECK(event_script_for(s, ClusterEvent::kStatus) == kRcD + "/status");
}

TEST_CASE("rc.d survey: a script that is not executable is named and not run") {
  FakeFileSystem fs;
  fs.regular(kRcD + "/ifstat");
  const EventScriptSurvey s = survey_event_scripts(kRcD, fs);
  CHECK(s.scripts.empty());
  CHECK(s.not_executable == std::vector<std::string>{"ifstat"});
}

TEST_CASE("event command: argv is the script and the event, fields become HA_ variables") {
  auto cmd =
      event_command("/etc/ha.d/rc.d/status", ClusterEvent::kStatus,
                    {{"t", "status"}, {"src", "node2"}, {"st", "dead"}, {"OSTATUS", "active"}},
                    {"PATH=/bin", "HA_CURHOST=node1"});
  REQUIRE(cmd.ok());
  CHECK(cmd->argv == std::vector<std::string>{"/etc/ha.d/rc.d/status", "status"});
  CHECK(cmd->env == std::vector<std::string>{"PATH=/bin", "HA_CURHOST=node1", "HA_t=status",
                                             "HA_src=node2", "HA_st=dead", "HA_OSTATUS=active"});
  CHECK(cmd->running_text == "Running /etc/ha.d/rc.d/status status");
}

TEST_CASE("event command: a field that would replace one of resourced's variables is refused") {
  auto cmd = event_command("/x/status", ClusterEvent::kStatus, {{"FUNCS", "/tmp/evil"}},
                           {"HA_FUNCS=/etc/ha.d/shellfuncs"});
  REQUIRE_FALSE(cmd.ok());
  CHECK(cmd.error().message == "field FUNCS would replace HA_FUNCS");
}

TEST_CASE("event command: a value with a newline never reaches the environment") {
  CHECK_FALSE(event_command("/x/status", ClusterEvent::kStatus, {{"src", "a\nHA_x=y"}}, {}).ok());
}

TEST_CASE("event scripts run one at a time, in the order the events came") {
  quiet_log();
  TempTree tree;
  // Each run appends "start N", sleeps a little, appends "end N": overlap
  // would interleave the lines.
  const std::string script = tree.script(
      "rc.d/ifstat", "echo \"start $HA_n\" >> " + tree.path("out") +
                         "; sleep 0.05; echo \"end $HA_n $1\" >> " + tree.path("out") + "\n");
  EventLoop loop;
  EventScriptRunner runner(loop, std::chrono::seconds(10));
  for (int i = 1; i <= 3; ++i)
    runner.submit(*event_command(script, ClusterEvent::kIfstat, {{"n", std::to_string(i)}},
                                 {"PATH=/usr/bin:/bin"}));
  REQUIRE(test::run_until(loop, [&] { return runner.pending() == 0; }));
  CHECK(tree.read("out") ==
        "start 1\nend 1 ifstat\nstart 2\nend 2 ifstat\nstart 3\nend 3 ifstat\n");
}

TEST_CASE("a failing event script is logged and the next one still runs") {
  quiet_log();
  TempTree tree;
  const std::string bad = tree.script("rc.d/stonith", "exit 3\n");
  const std::string good = tree.script("rc.d/ifstat", "echo ran >> " + tree.path("out") + "\n");
  EventLoop loop;
  EventScriptRunner runner(loop, std::chrono::seconds(10));
  runner.submit(*event_command(bad, ClusterEvent::kStonith, {}, {}));
  runner.submit(*event_command(good, ClusterEvent::kIfstat, {}, {}));
  REQUIRE(test::run_until(loop, [&] { return runner.pending() == 0; }));
  CHECK(tree.read("out") == "ran\n");
}
