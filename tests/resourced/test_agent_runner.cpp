// Real scripts in a temporary tree, run through AgentRunner on a real
// EventLoop (heartbeat-compat.md §3.2–§3.5).
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>

#include "resourced/server_reply.h"
#include "runner_harness.h"

using namespace vigil;
using namespace vigil::resourced;
using namespace vigil::resourced::testing;
using namespace std::chrono_literals;

namespace {

// A well-behaved heartbeat script whose state is a file; it logs each
// start and stop it performs to $DIR/calls.
std::string state_script(const std::string& dir) {
  return "S=" + dir +
         "/state\n"
         "case \"$1\" in\n"
         "  start) echo start >> " +
         dir +
         "/calls; touch $S; exit 0;;\n"
         "  stop) echo stop >> " +
         dir +
         "/calls; rm -f $S; exit 0;;\n"
         "  status) if [ -f $S ]; then echo running; else echo stopped; fi; exit 0;;\n"
         "esac\nexit 1\n";
}

int count_lines(const std::string& text, const std::string& line) {
  int n = 0;
  std::size_t pos = 0;
  const std::string needle = line + "\n";
  while ((pos = text.find(needle, pos)) != std::string::npos) {
    ++n;
    pos += needle.size();
  }
  return n;
}

}  // namespace

TEST_CASE("runner: a start that exits 0 succeeds after the status check said stopped") {
  RunnerHarness h;
  h.tree.script("resource.d/svc", state_script(h.tree.root()));
  auto r = h.run(h.call("svc"), Action::kStart);
  REQUIRE(r);
  CHECK(r->succeeded);
  CHECK(r->running);
  CHECK(r->exit_code == 0);
  CHECK(r->runs == 2);
  CHECK(h.tree.read("calls") == "start\n");
}

TEST_CASE("runner: a failing start fails with heartbeat's return-code text and its output") {
  RunnerHarness h;
  const std::string path = h.tree.script(
      "resource.d/bad",
      "[ \"$1\" = status ] && { echo stopped; exit 0; }\necho cannot bind >&2\nexit 3\n");
  auto r = h.run(h.call("bad"), Action::kStart);
  REQUIRE(r);
  CHECK_FALSE(r->succeeded);
  CHECK(r->exit_code == 3);
  CHECK(r->message == "Return code 3 from " + path);
  CHECK(r->output_tail == "cannot bind\n");
}

TEST_CASE("runner: a hung agent is killed at its timeout together with its process group") {
  RunnerHarness h;
  h.tree.script("resource.d/hang",
                "[ \"$1\" = status ] && { echo stopped; exit 0; }\n"
                "sleep 300 &\necho $! > " +
                    h.tree.path("grandchild.pid") +
                    "\n"
                    "echo $$ > " +
                    h.tree.path("agent.pid") +
                    "\n"
                    "sleep 300\n");
  const auto started = std::chrono::steady_clock::now();
  auto r = h.run(h.call("hang"), Action::kStart, 300ms);
  REQUIRE(r);
  CHECK(std::chrono::steady_clock::now() - started < 5s);
  CHECK_FALSE(r->succeeded);
  CHECK(r->timed_out);
  CHECK(r->message.find("timed out after 300 ms") != std::string::npos);
  const pid_t agent = read_pid(h.tree.path("agent.pid"));
  const pid_t grandchild = read_pid(h.tree.path("grandchild.pid"));
  KillOnExit k1(agent), k2(grandchild);
  REQUIRE(agent > 0);
  REQUIRE(grandchild > 0);
  CHECK(wait_gone(agent, 3s));
  CHECK(wait_gone(grandchild, 3s));
}

TEST_CASE("runner: a status that hangs times out and counts as maybe running") {
  RunnerHarness h;
  h.tree.script("resource.d/slowstat", "exec sleep 300\n");
  auto r = h.run(h.call("slowstat"), Action::kStatus, 200ms);
  REQUIRE(r);
  CHECK_FALSE(r->succeeded);
  CHECK(r->timed_out);
  CHECK(r->running);
  // As a health check's answer: a program killed at its timeout.
  CHECK(check_run_for(*r) == proto::resourced::CheckRun::kProgramTimedOut);
}

TEST_CASE("runner: a second start of a running resource succeeds without running start again") {
  RunnerHarness h;
  h.tree.script("resource.d/svc", state_script(h.tree.root()));
  const AgentCall c = h.call("svc");
  auto first = h.run(c, Action::kStart);
  auto second = h.run(c, Action::kStart);
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->succeeded);
  CHECK(second->succeeded);
  CHECK(second->running);
  CHECK(second->runs == 1);
  CHECK(count_lines(h.tree.read("calls"), "start") == 1);
}

TEST_CASE("runner: a second stop of a stopped resource succeeds") {
  RunnerHarness h;
  h.tree.script("resource.d/svc", state_script(h.tree.root()));
  const AgentCall c = h.call("svc");
  REQUIRE(h.run(c, Action::kStart)->succeeded);
  auto first = h.run(c, Action::kStop);
  auto second = h.run(c, Action::kStop);
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->succeeded);
  CHECK_FALSE(first->running);
  CHECK(second->succeeded);
  CHECK_FALSE(second->running);
  CHECK(count_lines(h.tree.read("calls"), "stop") == 2);
}

TEST_CASE("runner: a stop that fails once succeeds on its retry") {
  RunnerHarness h;
  const std::string n = h.tree.path("n");
  h.tree.script("resource.d/flaky",
                "[ \"$1\" = stop ] || exit 0\n"
                "echo x >> " +
                    n +
                    "\n"
                    "[ $(wc -l < " +
                    n + ") -ge 2 ]\n");
  auto r = h.run(h.call("flaky"), Action::kStop);
  REQUIRE(r);
  CHECK(r->succeeded);
  CHECK(r->runs == 2);
  CHECK(h.tree.read("n") == "x\nx\n");
}

TEST_CASE("runner: a stop that keeps failing while status says running fails with running set") {
  RunnerHarness h;  // stop_retry_max = 2: three stops, then the status test
  h.tree.script("resource.d/stuck",
                "[ \"$1\" = status ] && { echo running; exit 0; }\n"
                "echo stop >> " +
                    h.tree.path("calls") + "\nexit 1\n");
  auto r = h.run(h.call("stuck"), Action::kStop);
  REQUIRE(r);
  CHECK_FALSE(r->succeeded);
  CHECK(r->running);
  CHECK(r->runs == 4);
  CHECK(r->exit_code == 1);
  CHECK(count_lines(h.tree.read("calls"), "stop") == 3);
}

TEST_CASE(
    "runner: a failing stop of a resource that is not running counts as stopped (not "
    "LSB-compliant)") {
  RunnerHarness h;
  h.options.stop_retry_max = 0;
  h.make_runner();
  h.tree.script("resource.d/nonlsb", "[ \"$1\" = status ] && { echo stopped; exit 0; }\nexit 1\n");
  auto r = h.run(h.call("nonlsb"), Action::kStop);
  REQUIRE(r);
  CHECK(r->succeeded);
  CHECK_FALSE(r->running);
  CHECK(r->runs == 2);
}

TEST_CASE("runner: stop retries are spaced by the retry interval") {
  RunnerHarness h;
  h.options.stop_retry_max = 3;
  h.options.stop_retry_interval = 100ms;
  h.make_runner();
  h.tree.script("resource.d/stuck", "[ \"$1\" = status ] && { echo running; exit 0; }\nexit 1\n");
  auto r = h.run(h.call("stuck"), Action::kStop);
  REQUIRE(r);
  CHECK(r->runs == 5);
  CHECK(r->duration >= 300ms);
}

TEST_CASE("runner: status reads stdout text only; exit code and stderr are ignored") {
  RunnerHarness h;
  h.tree.script("resource.d/a", "echo 'daemon is running'\nexit 3\n");
  h.tree.script("resource.d/b", "echo 'daemon is not running'\nexit 0\n");
  h.tree.script("resource.d/c", "echo running >&2\necho stopped\nexit 0\n");
  auto a = h.run(h.call("a"), Action::kStatus);
  auto b = h.run(h.call("b"), Action::kStatus);
  auto c = h.run(h.call("c"), Action::kStatus);
  REQUIRE((a && b && c));
  CHECK(a->succeeded);
  CHECK(a->running);
  CHECK(b->succeeded);
  CHECK_FALSE(b->running);
  CHECK_FALSE(c->running);
}

TEST_CASE("runner: :: arguments arrive in order before the action") {
  RunnerHarness h;
  h.tree.script("resource.d/args",
                "for a in \"$@\"; do echo \"[$a]\"; done > " + h.tree.path("args.out") + "\n");
  auto r = h.run(h.call("args", {"/dev/drbd0", "/data", "ext3"}), Action::kStatus);
  REQUIRE(r);
  CHECK(h.tree.read("args.out") == "[/dev/drbd0]\n[/data]\n[ext3]\n[status]\n");
}

TEST_CASE("runner: agents see heartbeat's HA_ variables and none of resourced's environment") {
  RunnerHarness h;
  ::setenv("VIGIL_RESOURCED_TEST_SECRET", "leak", 1);
  ::setenv("LD_PRELOAD", "", 1);
  h.tree.script("resource.d/env", "env > " + h.tree.path("env.out") + "\n");
  auto r = h.run(h.call("env"), Action::kStatus);
  ::unsetenv("VIGIL_RESOURCED_TEST_SECRET");
  ::unsetenv("LD_PRELOAD");
  REQUIRE(r);
  const std::string env = h.tree.read("env.out");
  const std::vector<std::string> expected = {"HA_DIR=" + h.tree.root(),
                                             "HA_FUNCS=" + h.tree.root() + "/shellfuncs",
                                             "HA_CURHOST=node1",
                                             "HA_LOGD=yes",
                                             "OCF_ROOT=/usr/lib/ocf",
                                             "HA_TESTVAR=hello",
                                             std::string("PATH=") + kAgentPath};
  for (const std::string& e : expected) {
    INFO(e);
    CHECK(env.find(e + "\n") != std::string::npos);
  }
  CHECK(env.find("HA_DATEFMT=%Y/%m/%d_%T\t") != std::string::npos);
  for (const char* absent : {"VIGIL_RESOURCED_TEST_SECRET", "LD_PRELOAD", "HOME=", "TERM="}) {
    INFO(absent);
    CHECK(env.find(absent) == std::string::npos);
  }
}

TEST_CASE("runner: agents run in their own session and process group, from /") {
  RunnerHarness h;
  h.tree.script("resource.d/ids", "echo $$ > " + h.tree.path("pid") +
                                      "\n"
                                      "ps -o sid= -o pgid= -p $$ > " +
                                      h.tree.path("ids") +
                                      " 2>/dev/null\n"
                                      "pwd > " +
                                      h.tree.path("cwd") + "\n");
  auto r = h.run(h.call("ids"), Action::kStatus);
  REQUIRE(r);
  const long pid = read_pid(h.tree.path("pid"));
  CHECK(h.tree.read("cwd") == "/\n");
  const std::string ids = h.tree.read("ids");
  if (ids.empty()) {
    WARN("ps is not installed; session and group checked through the service test only");
    return;
  }
  long sid = 0, pgid = 0;
  std::sscanf(ids.c_str(), "%ld %ld", &sid, &pgid);
  CHECK(sid == pid);
  CHECK(pgid == pid);
}

TEST_CASE("runner: a service started by a script survives the runner being destroyed") {
  RunnerHarness h;
  h.tree.script("resource.d/daemon",
                "[ \"$1\" = status ] && { echo stopped; exit 0; }\n"
                "sleep 300 > /dev/null 2>&1 &\necho $! > " +
                    h.tree.path("svc.pid") + "\n");
  auto r = h.run(h.call("daemon"), Action::kStart);
  REQUIRE(r);
  CHECK(r->succeeded);
  const pid_t svc = read_pid(h.tree.path("svc.pid"));
  KillOnExit cleanup(svc);
  REQUIRE(svc > 0);
  h.runner.reset();
  std::this_thread::sleep_for(100ms);
  CHECK_FALSE(process_gone(svc));
  CHECK(::getsid(svc) != ::getsid(0));
  CHECK(::getpgid(svc) != ::getpgrp());
}

TEST_CASE(
    "runner: a start completes when the script exits even if its daemon keeps the output pipe") {
  RunnerHarness h;
  h.tree.script("resource.d/leaky",
                "[ \"$1\" = status ] && { echo stopped; exit 0; }\n"
                "sleep 300 &\necho $! > " +
                    h.tree.path("svc.pid") + "\necho started\n");
  const auto started = std::chrono::steady_clock::now();
  auto r = h.run(h.call("leaky"), Action::kStart, 20s);
  const pid_t svc = read_pid(h.tree.path("svc.pid"));
  KillOnExit cleanup(svc);
  REQUIRE(r);
  CHECK(r->succeeded);
  CHECK(r->output_tail == "started\n");
  CHECK(std::chrono::steady_clock::now() - started < 5s);
}

TEST_CASE("runner: the event loop keeps serving a timer while a slow agent runs") {
  RunnerHarness h;
  h.tree.script("resource.d/slow", "sleep 1\necho running\n");
  int ticks = 0;
  std::function<void()> on_tick;
  Timer ticker(h.loop, [&] { on_tick(); });
  on_tick = [&] {
    ++ticks;
    ticker.arm_after(50ms);
  };
  ticker.arm_after(50ms);
  auto r = h.run(h.call("slow"), Action::kStatus);
  REQUIRE(r);
  CHECK(r->running);
  CHECK(ticks >= 10);
}

TEST_CASE("runner: an agent that cannot be executed fails with code 127 and the reason") {
  RunnerHarness h;
  h.tree.file("resource.d/broken", "#!/nonexistent/interpreter\n", 0755);
  auto r = h.run(h.call("broken"), Action::kStart);
  REQUIRE(r);
  CHECK_FALSE(r->succeeded);
  CHECK(r->exit_code == 127);
  CHECK(r->output_tail.find("cannot execute") != std::string::npos);
}

TEST_CASE("runner: the result carries the last 4 KiB of output") {
  RunnerHarness h;
  h.tree.script("resource.d/chatty",
                "i=0\nwhile [ $i -lt 2000 ]; do echo line$i; i=$((i+1)); done\necho LAST\n");
  auto r = h.run(h.call("chatty"), Action::kStatus);
  REQUIRE(r);
  CHECK(r->output_tail.size() == 4096);
  CHECK(r->output_tail.substr(r->output_tail.size() - 5) == "LAST\n");
}

TEST_CASE("runner: completions arrive from the loop, never inside run()") {
  RunnerHarness h;
  h.tree.script("resource.d/svc", "echo running\n");
  bool called = false;
  h.runner->run(h.call("svc"), Action::kStatus, 10s, [&](const ActionResult&) { called = true; });
  CHECK_FALSE(called);
  CHECK(h.runner->in_flight() == 1);
  Timer guard(h.loop, [&] { h.loop.stop(); });
  guard.arm_after(10s);
  while (!called && guard.armed()) (void)h.loop.run_once();
  CHECK(called);
  CHECK(h.runner->in_flight() == 0);
}

namespace {

bool has_field(const log::CapturedEvent& e, const std::string& name, const std::string& value) {
  for (const auto& [n, v] : e.fields)
    if (n == name && v == value) return true;
  return false;
}

const log::CapturedEvent* find_event(const log::ScopedCapture& cap, const std::string& text) {
  for (const auto& e : cap.events())
    if (e.text == text) return &e;
  return nullptr;
}

}  // namespace

TEST_CASE(
    "runner: start and stop are logged as heartbeat's Running line, tagged with group and "
    "resource") {
  RunnerHarness h;
  const std::string path = h.tree.script("resource.d/svc", state_script(h.tree.root()));
  log::ScopedCapture cap;
  REQUIRE(h.run(h.call("svc"), Action::kStart)->succeeded);
  REQUIRE(h.run(h.call("svc", {"a1"}), Action::kStop)->succeeded);
  const log::CapturedEvent* start = find_event(cap, "Running " + path + "  start");
  REQUIRE(start != nullptr);
  CHECK(start->priority == log::Priority::kInfo);
  CHECK(has_field(*start, "VIGIL_GROUP", "group1"));
  CHECK(has_field(*start, "VIGIL_RESOURCE", "svc"));
  CHECK(find_event(cap, "Running " + path + " a1 stop") != nullptr);
  // heartbeat does not log its status checks as Running lines at info.
  for (const auto& e : cap.events())
    if (e.text == "Running " + path + "  status") CHECK(e.priority == log::Priority::kDebug);
}

TEST_CASE("runner: agent output is logged line by line under the resource name") {
  RunnerHarness h;
  h.tree.script("resource.d/talk", "echo hello\necho oops >&2\n");
  log::ScopedCapture cap;
  auto r = h.run(h.call("talk", {"x"}), Action::kStatus);
  REQUIRE(r);
  const std::string tag = "talk::x[";
  int found = 0;
  for (const auto& e : cap.events()) {
    if (e.text.rfind(tag, 0) != 0) continue;
    if (e.text.find("]: hello") != std::string::npos ||
        e.text.find("]: oops") != std::string::npos) {
      ++found;
      CHECK(has_field(e, "VIGIL_RESOURCE", "talk::x"));
    }
  }
  CHECK(found == 2);
}

TEST_CASE("runner: a failing stop logs its return code and each retry as heartbeat does") {
  RunnerHarness h;
  const std::string path = h.tree.script(
      "resource.d/stuck", "[ \"$1\" = status ] && { echo running; exit 0; }\nexit 2\n");
  log::ScopedCapture cap;
  auto r = h.run(h.call("stuck"), Action::kStop);
  REQUIRE(r);
  int retries = 0, codes = 0;
  for (const auto& e : cap.events()) {
    if (e.text == "Retrying failed stop operation [stuck]") ++retries;
    if (e.text == "Return code 2 from " + path && e.priority == log::Priority::kError) ++codes;
  }
  CHECK(retries == 2);
  CHECK(codes == 3);
}

TEST_CASE("runner: a failing stop of a stopped resource logs the not-LSB-compliant warnings") {
  RunnerHarness h;
  h.options.stop_retry_max = 0;
  h.make_runner();
  h.tree.script("resource.d/nonlsb", "[ \"$1\" = status ] && { echo stopped; exit 0; }\nexit 1\n");
  log::ScopedCapture cap;
  REQUIRE(h.run(h.call("nonlsb"), Action::kStop));
  CHECK(cap.contains("Resource script for nonlsb probably not LSB-compliant."));
  CHECK(cap.contains("MUST succeed on a stop when already stopped"));
  CHECK(cap.contains("Machine reboot narrowly avoided!"));
}
