#include "resourced/launch_strategy.h"

#include <fmt/format.h>
#include <systemd/sd-daemon.h>

namespace vigil::resourced {

LaunchStrategy detect_launch_strategy(const FileSystem& fs, const std::string& systemd_run) {
  if (sd_booted() > 0 && fs.is_executable_file(systemd_run)) return LaunchStrategy::kSystemdScope;
  return LaunchStrategy::kFork;
}

Command apply_launch_strategy(Command cmd, LaunchStrategy strategy, const AgentCall& call,
                              Action action, const std::string& systemd_run) {
  if (strategy == LaunchStrategy::kFork) return cmd;
  std::vector<std::string> argv = {
      systemd_run,
      "--scope",
      "--quiet",
      "--collect",
      "--no-ask-password",
      fmt::format("--description=vigil resource {} {}", call.resource, action_word(action)),
      "--",
  };
  argv.insert(argv.end(), cmd.argv.begin(), cmd.argv.end());
  cmd.argv = std::move(argv);
  cmd.path = systemd_run;
  return cmd;
}

}  // namespace vigil::resourced
