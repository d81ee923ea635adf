// The command for one vigil.cf fence_agent line (conf/fence_agent.h,
// issue 14): AGENT_DIR/AGENT with no arguments, its options on stdin
// (`action=reboot|off` then `key=value` per line, as Debian's fence-agents
// read them), and a running_text that names the agent, the action and the
// node but no option: options hold the device's password (field-notes
// A10). The agent directory is resourced's own (/usr/sbin, or a test's
// --fence-agent-dir), never anything heartbeatd sends.
#pragma once

#include <string>
#include <vector>

#include "conf/fence_agent.h"
#include "resourced/agent_command.h"

namespace vigil::resourced {

inline constexpr const char* kFenceAgentDir = "/usr/sbin";

Command fence_agent_command(const conf::FenceAgent& agent, const std::string& agent_dir,
                            const std::vector<std::string>& environment);

}  // namespace vigil::resourced
