// agent_tool start|stop|status RESOURCE-TOKEN [options]
//
// Runs one action on one haresources resource token through resourced's
// library (resolve_agent + AgentRunner on an EventLoop) and prints the
// result as "key: value" lines, then the output tail: the agents tested
// without resourced's IPC server in between (the wrapper oracle compares
// them with heartbeat's own wrappers), and manual checks.
//
// Options: the common ones (--config-dir, --node-name, ...), and
//   --timeout MS              per agent run (default 20000)
//   --resource-d DIR          (default CONFIG_DIR/resource.d)
//   --init-d DIR              (default /etc/init.d)
//   --ocf-root DIR            (default /usr/lib/ocf)
//   --stop-retries N          (default 10, HA_STOPRETRYMAX)
//   --stop-retry-interval MS  (default 1000)
//   --systemd-scope           run under systemd-run --scope (default: plain fork)
// If CONFIG_DIR/ha.cf exists the configuration is loaded (its env lines,
// logging settings and node name reach the agent); otherwise defaults.
//
// Exit: 0 when the action succeeded (status: and the resource runs),
// 1 otherwise, 2 on a usage or configuration error.
#include <fmt/format.h>
#include <sys/utsname.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "common/event_loop.h"
#include "conf/haresources.h"
#include "conf/load.h"
#include "conf/options.h"
#include "resourced/agent.h"
#include "resourced/agent_environment.h"
#include "resourced/agent_runner.h"

using namespace vigil;
using namespace vigil::resourced;

namespace {

int usage(const std::string& why) {
  std::fprintf(stderr,
               "agent_tool: %s\nusage: agent_tool start|stop|status RESOURCE-TOKEN [options]\n",
               why.c_str());
  return 2;
}

std::optional<long> number(const std::string& s) {
  char* end = nullptr;
  const long v = std::strtol(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || v < 0) return std::nullopt;
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  auto opts = conf::parse_common_options(argc, argv);
  if (!opts) return usage(opts.error().message);
  std::vector<std::string> words;
  long timeout_ms = 20000;
  RunnerOptions runner_options;
  std::optional<std::string> resource_d, init_d, ocf_root;
  const auto& rest = opts->rest;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const std::string& a = rest[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= rest.size()) return std::nullopt;
      return rest[++i];
    };
    auto num = [&]() -> std::optional<long> {
      auto v = value();
      return v ? number(*v) : std::nullopt;
    };
    if (a == "--timeout") {
      auto v = num();
      if (!v) return usage("--timeout needs milliseconds");
      timeout_ms = *v;
    } else if (a == "--resource-d" || a == "--init-d" || a == "--ocf-root") {
      auto v = value();
      if (!v) return usage(a + " needs a directory");
      (a == "--resource-d" ? resource_d : a == "--init-d" ? init_d : ocf_root) = *v;
    } else if (a == "--stop-retries") {
      auto v = num();
      if (!v) return usage("--stop-retries needs a count");
      runner_options.stop_retry_max = static_cast<int>(*v);
    } else if (a == "--stop-retry-interval") {
      auto v = num();
      if (!v) return usage("--stop-retry-interval needs milliseconds");
      runner_options.stop_retry_interval = std::chrono::milliseconds(*v);
    } else if (a == "--systemd-scope") {
      runner_options.strategy = LaunchStrategy::kSystemdScope;
    } else if (a.rfind("--", 0) == 0) {
      return usage("unknown option " + a);
    } else {
      words.push_back(a);
    }
  }
  if (words.size() != 2) return usage("expected an action and one resource token");
  Action action;
  if (words[0] == "start")
    action = Action::kStart;
  else if (words[0] == "stop")
    action = Action::kStop;
  else if (words[0] == "status")
    action = Action::kStatus;
  else
    return usage("unknown action " + words[0]);

  auto resource = conf::parse_resource(words[1]);
  if (!resource) return usage(words[1] + ": " + resource.error().message);

  conf::Config config;
  config.paths = opts->paths;
  std::string group = resource->text;
  if (std::filesystem::exists(conf::config_path(opts->paths.config_dir, "ha.cf"))) {
    auto loaded = conf::load_config(conf::LoadOptions{opts->paths, opts->node_name});
    if (!loaded) return usage(loaded.error().message);
    config = std::move(loaded->config);
    for (const auto& g : config.groups)
      for (const auto& r : g.resources)
        if (r.text == resource->text) group = g.key();
  } else {
    utsname u{};
    ::uname(&u);
    config.local_node = opts->node_name ? *opts->node_name : u.nodename;
  }

  AgentDirs dirs = default_agent_dirs(config.paths.config_dir);
  if (resource_d) dirs.resource_d = *resource_d;
  if (init_d) dirs.init_d = *init_d;
  if (ocf_root) dirs.ocf_root = *ocf_root;
  auto call = resolve_agent(*resource, group, dirs, RealFileSystem());
  if (!call) {
    std::fprintf(stderr, "agent_tool: ERROR: %s\n", call.error().message.c_str());
    return 1;
  }
  runner_options.environment = agent_environment(config, dirs.ocf_root);

  EventLoop loop;
  AgentRunner runner(loop, runner_options);
  std::optional<ActionResult> result;
  runner.run(*call, action, std::chrono::milliseconds(timeout_ms), [&](const ActionResult& r) {
    result = r;
    loop.stop();
  });
  while (!result) (void)loop.run_once();

  const ActionResult& r = *result;
  const auto yes = [](bool b) { return b ? "yes" : "no"; };
  std::fputs(fmt::format("action: {}\nresource: {}\nagent: {}\nsucceeded: {}\nrunning: {}\n"
                         "exit_code: {}\nsignal: {}\ntimed_out: {}\nruns: {}\nduration_ms: {}\n"
                         "message: {}\noutput:\n{}",
                         action_word(action), call->resource, call->path, yes(r.succeeded),
                         yes(r.running), r.exit_code, r.signal, yes(r.timed_out), r.runs,
                         std::chrono::duration_cast<std::chrono::milliseconds>(r.duration).count(),
                         r.message, r.output_tail)
                 .c_str(),
             stdout);
  const bool ok = r.succeeded && (action != Action::kStatus || r.running);
  return ok ? 0 : 1;
}
