// vigilctl check-config: the configuration as every vigil process will load
// it, and how each resource will run on this machine. Warnings and errors
// go to stderr, the normalised configuration to stdout; exit 1 if there is
// any error, so it can guard a restart. A resource that resolves to nothing
// here is a warning (FILE:LINE), not an error: the other node may be the one
// that has it, and heartbeat too only found out at the first takeover.
#include <filesystem>
#include <iostream>

#include "conf/diagnostics.h"
#include "conf/load.h"
#include "conf/print.h"
#include "resourced/agent.h"
#include "resourced/agent_description.h"
#include "resourced/event_scripts.h"
#include "resourced/heartbeat_leftovers.h"
#include "vigilctl/command.h"

namespace vigil::ctl {

namespace {

constexpr const char* kUsage =
    "expected: vigilctl check-config [--config-dir DIR] [--node-name NAME] [--init-dir DIR] "
    "[--ocf-root DIR]";

// The resolution section: resourced's own lookup (resourced/agent.h), run
// here against the same directories resourced uses.
void print_resolutions(const conf::Config& config, const resourced::AgentDirs& dirs) {
  const resourced::RealFileSystem fs;
  const std::string haresources = config.paths.config_dir + "/haresources";
  std::cout << "# ---- how each resource runs on this machine ----\n";
  const resourced::HeartbeatLeftovers leftovers =
      resourced::survey_heartbeat_leftovers(dirs.resource_d, fs);
  std::cout << "# " << resourced::describe_heartbeat_leftovers(leftovers, dirs.resource_d) << "\n";
  for (const conf::ResourceGroup& g : config.groups) {
    for (const conf::Resource& r : g.resources) {
      if (r.is_ip()) {
        std::cout << r.text << " -> " << resourced::describe_ip_resource(r) << "\n";
        continue;
      }
      auto call = resourced::resolve_agent(r, g.key(), dirs, fs);
      if (call) {
        std::cout << r.text << " -> " << resourced::describe_agent_call(*call) << "\n";
        if (auto w = resourced::hto_mapfuncs_warning(*call, leftovers.hto_mapfuncs, fs))
          std::cerr << "WARN: " << conf::place(haresources, g.line) << *w << "\n";
        continue;
      }
      std::cout << r.text << " -> nothing on this machine\n";
      std::cerr << "WARN: " << conf::place(haresources, g.line) << r.text
                << " resolves to nothing on this machine: " << call.error().message << "\n";
    }
  }
}

// What resourced runs for cluster events (§6.9): the rc.d scripts it would
// find, and the notify hook of vigil.cf. Said only when there is an rc.d
// directory or a hook, so that a configuration without either reads as it
// did before vigil had them.
void print_event_hooks(const conf::Config& config) {
  const resourced::RealFileSystem fs;
  const std::string rc_d = config.paths.config_dir + "/rc.d";
  std::error_code ec;
  if (std::filesystem::is_directory(rc_d, ec))
    std::cout << "# "
              << resourced::describe_event_scripts(resourced::survey_event_scripts(rc_d, fs), rc_d)
              << "\n";
  if (!config.vigil_cf.notify_hook) return;
  const std::string hook = config.paths.config_dir + "/notify.d/" + *config.vigil_cf.notify_hook;
  if (fs.is_executable_file(hook)) {
    std::cout << "# notify hook: " << hook << "\n";
    return;
  }
  std::cout << "# notify hook: " << hook << " (not an executable file here)\n";
  std::cerr << "WARN: " << config.paths.config_dir << "/vigil.cf: notify_hook " << hook
            << " is not an executable file; events wait in the spool until it is\n";
}

}  // namespace

int run_check_config(const conf::CommonOptions& options, const std::vector<std::string>& args) {
  resourced::AgentDirs dirs = resourced::default_agent_dirs(options.paths.config_dir);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const bool known = args[i] == "--init-dir" || args[i] == "--ocf-root";
    if (!known || i + 1 == args.size() || args[i + 1].empty()) {
      std::cerr << "vigilctl check-config: unexpected argument [" << args[i] << "]; " << kUsage
                << "\n";
      return kExitUsage;
    }
    (args[i] == "--init-dir" ? dirs.init_d : dirs.ocf_root) = args[i + 1];
    ++i;
  }
  const conf::LoadReport report = conf::load_config_report({options.paths, options.node_name});
  for (const auto& w : report.warnings) std::cerr << "WARN: " << w << "\n";
  for (const auto& e : report.errors) std::cerr << "ERROR: " << e << "\n";
  if (!report.config) {
    std::cerr << "vigilctl: configuration has " << report.errors.size() << " error"
              << (report.errors.size() == 1 ? "" : "s") << "\n";
    return kExitFailed;
  }
  std::cout << conf::print_config(*report.config);
  if (report.config->vigil_cf.present) std::cout << conf::print_vigil_cf(report.config->vigil_cf);
  print_resolutions(*report.config, dirs);
  print_event_hooks(*report.config);
  return kExitOk;
}

}  // namespace vigil::ctl
