// vigilctl check-config: the configuration as every vigil process will load
// it. Warnings and errors go to stderr, the normalised configuration to
// stdout; exit 1 if there is any error, so it can guard a restart.
#include <iostream>

#include "conf/load.h"
#include "conf/print.h"
#include "heartbeatd/ctl/command.h"

namespace vigil::ctl {

int run_check_config(const conf::CommonOptions& options, const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::cerr << "vigilctl check-config: unexpected argument [" << args.front()
              << "]; expected: vigilctl check-config [--config-dir DIR] [--node-name NAME]\n";
    return kExitUsage;
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
  return kExitOk;
}

}  // namespace vigil::ctl
