// An EventLoop, an AgentRunner and a temporary agent tree, with a blocking
// helper that runs the loop until one action completes.
#pragma once

#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "common/event_loop.h"
#include "common/log.h"
#include "common/timer.h"
#include "conf/config.h"
#include "resourced/agent.h"
#include "resourced/agent_environment.h"
#include "resourced/agent_runner.h"
#include "temp_tree.h"

namespace vigil::resourced::testing {

class RunnerHarness {
 public:
  RunnerHarness() {
    // Agent output would drown the test report; tests read the log
    // through log::ScopedCapture instead.
    log::LogConfig quiet;
    quiet.force_backend = log::Backend::kNone;
    (void)log::init(quiet);
    dirs.resource_d = tree.mkdir("resource.d");
    dirs.init_d = tree.mkdir("init.d");
    conf::Config config;
    config.paths.config_dir = tree.root();
    config.local_node = "node1";
    config.ha_cf.env = {{"TESTVAR", "hello"}};
    options.environment = agent_environment(config);
    options.stop_retry_max = 2;
    options.stop_retry_interval = std::chrono::milliseconds(20);
    make_runner();
  }

  void make_runner() { runner = std::make_unique<AgentRunner>(loop, options); }

  AgentCall call(const std::string& name, std::vector<std::string> args = {}) const {
    conf::Resource r;
    r.name = name;
    r.args = std::move(args);
    r.text = name;
    for (const auto& a : r.args) r.text += "::" + a;
    auto c = resolve_agent(r, "group1", dirs, RealFileSystem());
    if (!c) throw std::runtime_error(c.error().message);
    return *c;
  }

  // Runs the loop until `action` completes (or 60 s pass: then nullopt).
  std::optional<ActionResult> run(const AgentCall& c, Action action,
                                  Duration timeout = std::chrono::seconds(10)) {
    std::optional<ActionResult> out;
    runner->run(c, action, timeout, [&](const ActionResult& r) {
      out = r;
      loop.stop();
    });
    Timer guard(loop, [&] { loop.stop(); });
    guard.arm_after(std::chrono::seconds(60));
    while (!out && guard.armed()) (void)loop.run_once();
    return out;
  }

  TempTree tree;
  EventLoop loop;
  AgentDirs dirs;
  RunnerOptions options;
  std::unique_ptr<AgentRunner> runner;
};

// A process is gone when it no longer exists or is a zombie waiting for
// its (new) parent: either way it no longer runs.
inline bool process_gone(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return true;
  std::string line;
  std::getline(stat, line);
  const auto paren = line.rfind(')');
  return paren == std::string::npos || line.size() < paren + 3 || line[paren + 2] == 'Z';
}

inline bool wait_gone(pid_t pid, std::chrono::milliseconds max) {
  const auto end = std::chrono::steady_clock::now() + max;
  while (std::chrono::steady_clock::now() < end) {
    if (process_gone(pid)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return process_gone(pid);
}

inline pid_t read_pid(const std::string& path) {
  std::ifstream in(path);
  long pid = -1;
  in >> pid;
  return static_cast<pid_t>(pid);
}

// Kills a process a test's script started (by its pid, never by name).
struct KillOnExit {
  explicit KillOnExit(pid_t p) : pid(p) {}
  ~KillOnExit() {
    if (pid > 0) ::kill(pid, SIGKILL);
  }
  pid_t pid;
};

}  // namespace vigil::resourced::testing
