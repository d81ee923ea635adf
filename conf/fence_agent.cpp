#include "conf/fence_agent.h"

#include <fmt/format.h>

#include <algorithm>

#include "conf/text.h"

namespace vigil::conf {

namespace {

bool lower_or_digit(char c) { return (c >= 'a' && c <= 'z') || is_digit(c) || c == '_'; }

// fence-agents' own names: fence_ipmilan, fence_virsh, fence_scsi...
// Never a path: resourced finds it in its agent directory.
bool agent_name_valid(std::string_view v) {
  return v.size() > 6 && v.size() <= 64 && v.substr(0, 6) == "fence_" &&
         std::all_of(v.begin() + 6, v.end(), lower_or_digit);
}

// fence-agents' option names are lower case words joined by '_'
// (ipaddr, login, passwd_script, identity_file...).
bool key_valid(std::string_view k) {
  return !k.empty() && k.size() <= 64 && k[0] >= 'a' && k[0] <= 'z' &&
         std::all_of(k.begin(), k.end(), lower_or_digit);
}

std::vector<std::string_view> words(std::string_view v) {
  std::vector<std::string_view> out;
  while (!(v = trim(v)).empty()) {
    const auto end = std::find_if(v.begin(), v.end(), is_blank);
    const auto n = static_cast<std::size_t>(end - v.begin());
    out.push_back(v.substr(0, n));
    v = v.substr(n);
  }
  return out;
}

}  // namespace

bool fence_option_secret(std::string_view key) {
  return key.find("passw") != std::string_view::npos;
}

std::string parse_fence_agent(std::string_view value, FenceAgent& out) {
  const auto w = words(value);
  if (w.size() < 2)
    return "expected `fence_agent NODE AGENT [KEY=VALUE...]` (the node to fence, a fence-agents "
           "name such as fence_ipmilan, its options)";
  FenceAgent a;
  a.node = lower(w[0]);
  if (!agent_name_valid(w[1]))
    return fmt::format(
        "agent [{}]: expected a fence-agents name matching fence_[a-z0-9_]+ (at "
        "most 64 characters; no path: resourced runs it from /usr/sbin)",
        w[1]);
  a.agent = std::string(w[1]);
  for (std::size_t i = 2; i < w.size(); ++i) {
    const auto eq = w[i].find('=');
    const std::string_view key = w[i].substr(0, eq);
    if (eq == std::string_view::npos || eq + 1 == w[i].size() || !key_valid(key))
      return fmt::format(
          "option {} [{}]: expected KEY=VALUE (a key of lower-case letters, digits and '_', "
          "a value without blanks)",
          i - 1, fence_option_secret(key) ? std::string(key) + "=(hidden)" : std::string(w[i]));
    const std::string_view val = w[i].substr(eq + 1);
    if (key == "verbose" || key == "debug_file")
      return fmt::format(
          "option {}: refused: with it the agent prints or writes its commands, "
          "passwords included, and resourced logs an agent's output",
          key);
    if (key == "action" && val != "reboot" && val != "off")
      return fmt::format("option action [{}]: expected reboot (the default) or off", val);
    if (std::any_of(a.options.begin(), a.options.end(),
                    [&](const auto& o) { return o.first == key; }))
      return fmt::format("option {} given twice: expected each key once", key);
    a.options.emplace_back(std::string(key), std::string(val));
  }
  out = std::move(a);
  return {};
}

std::string fence_agent_action(const FenceAgent& agent) {
  for (const auto& [k, v] : agent.options)
    if (k == "action") return v;
  return "reboot";
}

std::string fence_agent_stdin(const FenceAgent& agent) {
  std::string s = "action=" + fence_agent_action(agent) + "\n";
  for (const auto& [k, v] : agent.options)
    if (k != "action") s += k + "=" + v + "\n";
  return s;
}

std::string show_fence_agent(const FenceAgent& agent) {
  std::string s = agent.node + " " + agent.agent;
  for (const auto& [k, v] : agent.options)
    s += " " + k + "=" + (fence_option_secret(k) ? std::string("(hidden)") : v);
  return s;
}

}  // namespace vigil::conf
