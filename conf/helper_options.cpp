#include "conf/helper_options.h"

#include <fmt/format.h>

namespace vigil::conf {

Result<HelperOptions> parse_helper_options(const std::vector<std::string>& rest,
                                           const std::string& program) {
  HelperOptions own;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    std::string a = rest[i];
    std::optional<std::string> value;
    if (auto eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = a.substr(eq + 1);
      a = a.substr(0, eq);
    }
    const bool drbdadm = a == "--drbdadm" && program == "resourced";
    const bool agent_dir = a == "--fence-agent-dir" && program == "resourced";
    if (a != "--heartbeat-user" && a != "--heartbeat-group" && !drbdadm && !agent_dir)
      return Error{fmt::format("unexpected argument \"{}\"; see {} --help", rest[i], program)};
    const char* what = drbdadm || agent_dir ? " needs a path" : " needs a name";
    if (!value) {
      if (i + 1 >= rest.size()) return Error{a + what};
      value = rest[++i];
    }
    if (value->empty()) return Error{a + what};
    if (drbdadm || agent_dir) {
      if ((*value)[0] != '/') return Error{a + " needs an absolute path"};
      (drbdadm ? own.drbdadm : own.fence_agent_dir) = *value;
      continue;
    }
    (a == "--heartbeat-user" ? own.heartbeat_user : own.heartbeat_group.emplace()) = *value;
  }
  return own;
}

}  // namespace vigil::conf
