// Agents writing to output files instead of pipes (agent_executor.h,
// "Output files"): so a daemon a script started without redirecting its
// output survives resourced going away.
#include <catch2/catch.hpp>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include "common/event_loop.h"
#include "common/timer.h"
#include "resourced/agent_runner.h"
#include "resourced/file_system.h"
#include "server_config.h"
#include "temp_tree.h"

using namespace vigil;
using namespace vigil::resourced;
using namespace vigil::resourced::testing;
using namespace std::chrono_literals;

namespace {

struct Rig {
  TempTree tmp;
  conf::Config config = config_with({{"svc"}});
  AgentDirs dirs;
  RunnerOptions options;
  EventLoop loop;

  Rig() {
    dirs.resource_d = tmp.mkdir("resource.d");
    dirs.init_d = tmp.path("no-init.d");
    options = runner_options_for(config, dirs, LaunchStrategy::kFork);
    options.output_dir = tmp.mkdir("agents");
  }

  ActionResult run(AgentRunner& runner, Action action) {
    auto call = resolve_agent(config.groups[0].resources[0], "svc", dirs, RealFileSystem());
    REQUIRE(call);
    std::optional<ActionResult> result;
    runner.run(*call, action, 10s, [&](const ActionResult& r) { result = r; });
    Timer tick(loop, [] {});
    while (!result) {
      tick.arm_after(10ms);
      (void)loop.run_once();
    }
    return *result;
  }

  std::string read(const std::string& rel) const {
    std::ifstream in(tmp.path(rel));
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
};

bool alive(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("State:", 0) == 0) return line.find('Z') == std::string::npos;
  return false;
}

}  // namespace

TEST_CASE("output files: stdout decides the status and both streams reach the tail") {
  Rig rig;
  rig.tmp.script("resource.d/svc", "echo 'svc is running'\necho 'a warning' >&2\n");
  AgentRunner runner(rig.loop, rig.options);
  const ActionResult r = rig.run(runner, Action::kStatus);
  CHECK(r.running);
  CHECK(r.output_tail.find("svc is running") != std::string::npos);
  CHECK(r.output_tail.find("a warning") != std::string::npos);
  CHECK(rig.read("agents/svc.out") == "svc is running\n");
}

TEST_CASE("output files: each run truncates the files of its resource") {
  Rig rig;
  rig.tmp.script("resource.d/svc", "echo \"run $1\"\n");
  AgentRunner runner(rig.loop, rig.options);
  (void)rig.run(runner, Action::kStop);
  const ActionResult r = rig.run(runner, Action::kStatus);
  CHECK(rig.read("agents/svc.out") == "run status\n");
  CHECK(r.output_tail == "run status\n");
}

TEST_CASE("output files: a daemon that kept the script's stdout outlives the runner") {
  Rig rig;
  const std::string pidfile = rig.tmp.path("daemon.pid");
  rig.tmp.script("resource.d/svc",
                 "case \"$1\" in\n"
                 "  status) echo stopped ;;\n"
                 "  start) (while :; do echo tick; sleep 0.05; done) & echo $! > " + pidfile +
                     " ;;\n"
                 "esac\n");
  auto runner = std::make_unique<AgentRunner>(rig.loop, rig.options);
  REQUIRE(rig.run(*runner, Action::kStart).succeeded);
  runner.reset();  // resourced exits (or restarts)
  const pid_t pid = std::stoi(rig.read("daemon.pid"));
  const auto before = rig.read("agents/svc.out").size();
  std::this_thread::sleep_for(400ms);
  const bool still_alive = alive(pid);
  const auto after = rig.read("agents/svc.out").size();
  ::kill(-pid, SIGKILL);
  ::kill(pid, SIGKILL);
  CHECK(still_alive);
  CHECK(after > before);
}
