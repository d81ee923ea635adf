#include "resourced/event_command.h"

#include <fmt/format.h>

#include <algorithm>

namespace vigil::resourced {

namespace {

bool sets(const std::vector<std::string>& env, const std::string& name) {
  return std::any_of(env.begin(), env.end(), [&](const std::string& e) {
    return e.size() > name.size() && e.compare(0, name.size(), name) == 0 && e[name.size()] == '=';
  });
}

}  // namespace

Result<Command> event_command(const std::string& path, proto::ClusterEvent event,
                              const std::vector<proto::EventField>& fields,
                              const std::vector<std::string>& base_env,
                              const std::vector<std::string>& extra) {
  if (std::string why = proto::event_fields_violation(fields); !why.empty()) return Error{why};
  const std::string name(proto::event_name(event));
  Command cmd;
  cmd.path = path;
  cmd.argv = {path, name};
  cmd.env = base_env;
  for (const proto::EventField& f : fields) {
    const std::string var = "HA_" + f.name;
    if (sets(base_env, var)) return Error{fmt::format("field {} would replace {}", f.name, var)};
    cmd.env.push_back(fmt::format("{}={}", var, f.value));
  }
  cmd.env.insert(cmd.env.end(), extra.begin(), extra.end());
  // harc's line (§6.9), with vigil's path.
  cmd.running_text = fmt::format("Running {} {}", path, name);
  return cmd;
}

}  // namespace vigil::resourced
