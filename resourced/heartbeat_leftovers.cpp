#include "resourced/heartbeat_leftovers.h"

#include <fmt/format.h>

#include "resourced/heartbeat_wrappers.h"

namespace vigil::resourced {

HeartbeatLeftovers survey_heartbeat_leftovers(const std::string& resource_d, const FileSystem& fs) {
  HeartbeatLeftovers found;
  found.hto_mapfuncs = fs.is_regular_file(fmt::format("{}/{}", resource_d, kHtoMapfuncs));
  for (const HeartbeatWrapper& w : heartbeat_wrappers()) {
    const std::string path = fmt::format("{}/{}", resource_d, w.name);
    if (!fs.is_regular_file(path)) continue;
    if (is_heartbeat_wrapper_file(path, w, fs))
      found.wrappers.emplace_back(w.name);
    else
      found.edited.emplace_back(w.name);
  }
  return found;
}

std::string describe_heartbeat_leftovers(const HeartbeatLeftovers& found,
                                         const std::string& resource_d) {
  std::string s;
  if (found.hto_mapfuncs || !found.wrappers.empty())
    s = fmt::format(
        "heartbeat's resource.d wrappers: left in {} by a removed heartbeat package (`apt remove`; "
        "{} of them unchanged{}); vigil runs its built-in mapping of each instead, as after "
        "`apt purge`",
        resource_d, found.wrappers.size(), found.hto_mapfuncs ? ", hto-mapfuncs present" : "");
  else
    s = fmt::format(
        "heartbeat's resource.d wrappers: none in {} (heartbeat purged or never installed); "
        "vigil runs its built-in mapping of each",
        resource_d);
  if (!found.edited.empty())
    s += fmt::format(
        "; {} in {} differ{} from heartbeat 3.0.6's wrapper{}: your own, run as scripts",
        fmt::join(found.edited, ", "), resource_d, found.edited.size() == 1 ? "s" : "",
        found.edited.size() == 1 ? "" : "s");
  return s;
}

std::optional<std::string> hto_mapfuncs_warning(const AgentCall& call, bool hto_mapfuncs_here,
                                                const FileSystem& fs) {
  if (call.kind != AgentKind::kHeartbeat || !fs.file_mentions(call.path, std::string(kHtoMapfuncs)))
    return std::nullopt;
  if (!hto_mapfuncs_here)
    return fmt::format(
        "{} sources heartbeat's hto-mapfuncs, which is not here (heartbeat purged): "
        "it will fail; write it as ocf:heartbeat:TYPE::KEY=VALUE... or keep a copy",
        call.path);
  return fmt::format(
      "{} sources heartbeat's hto-mapfuncs, a conffile of the removed heartbeat "
      "package that `apt purge heartbeat` deletes; keep a copy, or write the "
      "resource as ocf:heartbeat:TYPE::KEY=VALUE...",
      call.path);
}

}  // namespace vigil::resourced
