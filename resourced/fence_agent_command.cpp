#include "resourced/fence_agent_command.h"

#include <fmt/format.h>

namespace vigil::resourced {

Command fence_agent_command(const conf::FenceAgent& agent, const std::string& agent_dir,
                            const std::vector<std::string>& environment) {
  Command cmd;
  cmd.path = agent_dir + "/" + agent.agent;
  cmd.argv = {cmd.path};
  cmd.env = environment;
  cmd.stdin_text = conf::fence_agent_stdin(agent);
  cmd.running_text =
      fmt::format("Running {} action={} for node {} (its options on stdin, not logged)", cmd.path,
                  conf::fence_agent_action(agent), agent.node);
  return cmd;
}

}  // namespace vigil::resourced
