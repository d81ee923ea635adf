// What is executed for each kind and action, and what the exit means.
#include <algorithm>
#include <catch2/catch.hpp>

#include "fake_file_system.h"
#include "resourced/agent_command.h"
#include "resourced/launch_strategy.h"
#include "resourced/ocf.h"

using namespace vigil::resourced;
using Strings = std::vector<std::string>;

namespace {

AgentCall script_call(Strings args) {
  AgentCall c;
  c.kind = AgentKind::kHeartbeat;
  c.resource = "dummyB";
  c.path = "/etc/ha.d/resource.d/dummyB";
  c.args = std::move(args);
  return c;
}

AgentCall ocf_call() {
  AgentCall c;
  c.kind = AgentKind::kOcf;
  c.resource = "ocf:heartbeat:Dummy::state=/run/x";
  c.path = "/usr/lib/ocf/resource.d/heartbeat/Dummy";
  c.ocf_provider = "heartbeat";
  c.ocf_type = "Dummy";
  c.ocf_instance = "inst";
  c.ocf_params = {{"state", "/run/x"}, {"fake", "1"}};
  return c;
}

AgentCall systemd_call() {
  AgentCall c;
  c.kind = AgentKind::kSystemd;
  c.resource = "systemd:nginx";
  c.path = "/usr/bin/systemctl";
  c.unit = "nginx.service";
  return c;
}

bool has(const Strings& env, const std::string& entry) {
  return std::find(env.begin(), env.end(), entry) != env.end();
}

const std::chrono::milliseconds kTimeout{20000};

}  // namespace

TEST_CASE("command: heartbeat scripts get their arguments first and the action last") {
  const Command c =
      build_command(script_call({"a1", "a2"}), Action::kStop, {"PATH=/bin"}, kTimeout);
  CHECK(c.path == "/etc/ha.d/resource.d/dummyB");
  CHECK(c.argv == Strings{"/etc/ha.d/resource.d/dummyB", "a1", "a2", "stop"});
  CHECK(c.env == Strings{"PATH=/bin"});
}

TEST_CASE("command: the Running line has two blanks when there are no arguments") {
  CHECK(build_command(script_call({}), Action::kStart, {}, kTimeout).running_text ==
        "Running /etc/ha.d/resource.d/dummyB  start");
  CHECK(build_command(script_call({"10.77.94.50"}), Action::kStart, {}, kTimeout).running_text ==
        "Running /etc/ha.d/resource.d/dummyB 10.77.94.50 start");
  CHECK(build_command(script_call({"a", "b"}), Action::kStatus, {}, kTimeout).running_text ==
        "Running /etc/ha.d/resource.d/dummyB a b status");
}

TEST_CASE("command: OCF agents get start, stop and monitor with OCF_RESKEY_ parameters") {
  const Strings base = {"PATH=/bin", "OCF_ROOT=/usr/lib/ocf"};
  CHECK(build_command(ocf_call(), Action::kStart, base, kTimeout).argv.back() == "start");
  CHECK(build_command(ocf_call(), Action::kStop, base, kTimeout).argv.back() == "stop");
  const Command c = build_command(ocf_call(), Action::kStatus, base, kTimeout);
  CHECK(c.argv == Strings{"/usr/lib/ocf/resource.d/heartbeat/Dummy", "monitor"});
  for (const char* e :
       {"PATH=/bin", "OCF_ROOT=/usr/lib/ocf", "OCF_RA_VERSION_MAJOR=1", "OCF_RA_VERSION_MINOR=0",
        "OCF_RESOURCE_INSTANCE=inst", "OCF_RESOURCE_TYPE=Dummy", "OCF_RESOURCE_PROVIDER=heartbeat",
        "OCF_RESKEY_CRM_meta_timeout=20000", "OCF_RESKEY_state=/run/x", "OCF_RESKEY_fake=1"}) {
    INFO(e);
    CHECK(has(c.env, e));
  }
  CHECK(c.running_text ==
        "Running /usr/lib/ocf/resource.d/heartbeat/Dummy state=/run/x fake=1 monitor");
}

TEST_CASE("command: systemd units go through systemctl start, stop and is-active") {
  CHECK(build_command(systemd_call(), Action::kStart, {}, kTimeout).argv ==
        Strings{"/usr/bin/systemctl", "--no-ask-password", "start", "--", "nginx.service"});
  CHECK(build_command(systemd_call(), Action::kStop, {}, kTimeout).argv ==
        Strings{"/usr/bin/systemctl", "--no-ask-password", "stop", "--", "nginx.service"});
  CHECK(build_command(systemd_call(), Action::kStatus, {}, kTimeout).argv ==
        Strings{"/usr/bin/systemctl", "--no-ask-password", "--quiet", "is-active", "--",
                "nginx.service"});
}

TEST_CASE("exit: heartbeat status ignores the exit code; the text decides") {
  const AgentCall c = script_call({});
  CHECK(interpret_exit(c, Action::kStatus, 0, "stopped").running == false);
  CHECK(interpret_exit(c, Action::kStatus, 3, "running").running == true);
  CHECK(interpret_exit(c, Action::kStatus, 1, "").succeeded == true);
}

TEST_CASE("exit: heartbeat start and stop succeed on exit 0 only") {
  const AgentCall c = script_call({});
  CHECK(interpret_exit(c, Action::kStart, 0, "").succeeded);
  CHECK_FALSE(interpret_exit(c, Action::kStart, 1, "").succeeded);
  CHECK(interpret_exit(c, Action::kStop, 0, "").succeeded);
  CHECK_FALSE(interpret_exit(c, Action::kStop, 7, "").succeeded);
}

TEST_CASE("exit: OCF monitor 0 and 8 are running, 7 is stopped, errors are unknown") {
  const AgentCall c = ocf_call();
  struct Row {
    int rc;
    bool succeeded, running;
  };
  const Row rows[] = {{ocf::kSuccess, true, true},        {ocf::kRunningMaster, true, true},
                      {ocf::kNotRunning, true, false},    {ocf::kErrGeneric, false, true},
                      {ocf::kErrConfigured, false, true}, {ocf::kErrInstalled, false, true}};
  for (const Row& r : rows) {
    INFO("rc " << r.rc);
    const Verdict v = interpret_exit(c, Action::kStatus, r.rc, "running");
    CHECK(v.succeeded == r.succeeded);
    CHECK(v.running == r.running);
  }
}

TEST_CASE("exit: an OCF stop that finds the resource not running has succeeded") {
  const AgentCall c = ocf_call();
  CHECK(interpret_exit(c, Action::kStop, ocf::kSuccess, "").succeeded);
  CHECK(interpret_exit(c, Action::kStop, ocf::kNotRunning, "").succeeded);
  CHECK_FALSE(interpret_exit(c, Action::kStop, ocf::kErrGeneric, "").succeeded);
  CHECK_FALSE(interpret_exit(c, Action::kStart, ocf::kNotRunning, "").succeeded);
}

TEST_CASE("exit: systemctl is-active 0 is running, 3 and 4 stopped, others unknown") {
  const AgentCall c = systemd_call();
  CHECK(interpret_exit(c, Action::kStatus, 0, "").running);
  CHECK_FALSE(interpret_exit(c, Action::kStatus, 3, "").running);
  CHECK(interpret_exit(c, Action::kStatus, 3, "").succeeded);
  CHECK_FALSE(interpret_exit(c, Action::kStatus, 4, "").running);
  CHECK_FALSE(interpret_exit(c, Action::kStatus, 1, "").succeeded);
  CHECK(interpret_exit(c, Action::kStatus, 1, "").running);
}

TEST_CASE("launch: the fork strategy runs the command unchanged") {
  const Command c = build_command(script_call({"a"}), Action::kStart, {"X=1"}, kTimeout);
  const Command l =
      apply_launch_strategy(c, LaunchStrategy::kFork, script_call({"a"}), Action::kStart);
  CHECK(l.path == c.path);
  CHECK(l.argv == c.argv);
  CHECK(l.env == c.env);
}

TEST_CASE("launch: the systemd strategy wraps the agent in systemd-run --scope") {
  const AgentCall call = script_call({"a"});
  const Command c = build_command(call, Action::kStart, {"X=1"}, kTimeout);
  const Command l = apply_launch_strategy(c, LaunchStrategy::kSystemdScope, call, Action::kStart,
                                          "/usr/bin/systemd-run");
  CHECK(l.path == "/usr/bin/systemd-run");
  CHECK(l.argv == Strings{"/usr/bin/systemd-run", "--scope", "--quiet", "--collect",
                          "--no-ask-password", "--description=vigil resource dummyB start", "--",
                          "/etc/ha.d/resource.d/dummyB", "a", "start"});
  CHECK(l.env == Strings{"X=1"});
  CHECK(l.running_text == c.running_text);
}

TEST_CASE("launch: without systemd as init the fork strategy is chosen") {
  // This test machine has no systemd as PID 1; where it has, sd_booted()
  // is true and the scope is chosen when systemd-run is executable.
  vigil::resourced::testing::FakeFileSystem none;
  CHECK(detect_launch_strategy(none, "/usr/bin/systemd-run") == LaunchStrategy::kFork);
}
