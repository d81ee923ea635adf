// One `fence_agent NODE AGENT [KEY=VALUE...]` line of vigil.cf (issue 14):
// to fence NODE, resourced runs AGENT from Debian's fence-agents
// (/usr/sbin/fence_ipmilan, fence_virsh, ...) and writes its options on
// the agent's stdin, one `key=value` per line, as fence-agents read them
// (and as pacemaker's fencer passes them). Nothing here is a path or a
// command line: AGENT is a plain name matching fence_[a-z0-9_]+, resolved
// by resourced in its own agent directory; heartbeatd's fence task still
// names only the node (resourced_messages.h, TaskKind::kFence).
//
// The action is `reboot` unless the line says `action=off`: heartbeat's
// STONITH always resets (`stonith -T reset`, §6.4) and pacemaker's default
// stonith-action is reboot too, so a fenced node comes back and rejoins
// as a v1 user expects; `off` is for nodes that must stay down until a
// human looks. No other action is accepted (status, monitor, on... fence
// nothing).
//
// Passwords: an option whose key contains "passw" (passwd, password,
// snmp_priv_passwd...) is never logged or printed (vigilctl check-config
// shows `(hidden)`). `verbose` and `debug_file` are refused: with them an
// agent prints or writes its commands, password included, and resourced
// logs an agent's output.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::conf {

struct FenceAgent {
  std::string node;   // the node this line fences (checked against ha.cf at load)
  std::string agent;  // e.g. fence_ipmilan
  std::vector<std::pair<std::string, std::string>> options;  // as written, in order
  int line = 0;                                              // in vigil.cf, for errors
  bool operator==(const FenceAgent&) const = default;
};

// Parses the value of a fence_agent line (what follows the directive).
// Empty on success; else what was expected, naming the field at fault.
std::string parse_fence_agent(std::string_view value, FenceAgent& out);

// `reboot` or the line's `action=off`.
std::string fence_agent_action(const FenceAgent& agent);

// The agent's stdin: `action=ACTION` then every other option, one
// `key=value` per line.
std::string fence_agent_stdin(const FenceAgent& agent);

// The line as vigilctl check-config prints it (without the directive),
// every password shown as `(hidden)`.
std::string show_fence_agent(const FenceAgent& agent);

// Whether an option's value is a secret never logged or printed.
bool fence_option_secret(std::string_view key);

}  // namespace vigil::conf
