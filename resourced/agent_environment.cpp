#include "resourced/agent_environment.h"

#include <fmt/format.h>

namespace vigil::resourced {

std::vector<std::string> agent_environment(const conf::Config& config,
                                           const std::string& ocf_root) {
  const conf::HaCf& cf = config.ha_cf;
  const std::string& dir = config.paths.config_dir;
  std::vector<std::string> env;
  env.push_back(fmt::format("PATH={}", kAgentPath));
  env.push_back(fmt::format("HA_DIR={}", dir));
  env.push_back(fmt::format("HA_FUNCS={}/shellfuncs", dir));
  env.push_back("HA_DATEFMT=%Y/%m/%d_%T\t");
  env.push_back(fmt::format("OCF_ROOT={}", ocf_root));
  if (cf.logfile) env.push_back(fmt::format("HA_LOGFILE={}", *cf.logfile));
  if (cf.debugfile) env.push_back(fmt::format("HA_DEBUGLOG={}", *cf.debugfile));
  if (cf.logfacility && *cf.logfacility != "none")
    env.push_back(fmt::format("HA_LOGFACILITY={}", *cf.logfacility));
  env.push_back(fmt::format("HA_CURHOST={}", config.local_node));
  if (cf.debug > 0) env.push_back(fmt::format("HA_debug={}", cf.debug));
  env.push_back(fmt::format("HA_LOGD={}", cf.use_logd ? "yes" : "no"));
  if (cf.auto_failback != conf::AutoFailback::kLegacy) env.push_back("HA_NICEFAILBACK=yes");
  for (const auto& [name, value] : cf.env) env.push_back(fmt::format("HA_{}={}", name, value));
  return env;
}

}  // namespace vigil::resourced
