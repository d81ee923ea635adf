#include "heartbeatd/ctl/command.h"

namespace vigil::ctl {

const std::vector<Command>& commands() {
  static const std::vector<Command> kCommands = {
      {"check-config", "check-config",
       "read ha.cf, haresources and authkeys; print warnings and every error, or the normalised configuration",
       run_check_config},
  };
  return kCommands;
}

}  // namespace vigil::ctl
