#include "resourced/agent.h"

#include <fmt/format.h>

namespace vigil::resourced {

namespace {

constexpr std::string_view kOcfPrefix = "ocf:";
constexpr std::string_view kSystemdPrefix = "systemd:";

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// A name that is used as one path component. heartbeat never checked this;
// vigil refuses "../x" so that a token can only ever name a file inside the
// agent directories.
bool is_path_component(std::string_view s) {
  return !s.empty() && s != "." && s != ".." && s.find('/') == std::string_view::npos &&
         s.find('\0') == std::string_view::npos;
}

bool is_reskey_name(std::string_view s) {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (!alpha && !(digit && i > 0)) return false;
  }
  return true;
}

std::vector<std::string> non_empty(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const std::string& a : args)
    if (!a.empty()) out.push_back(a);
  return out;
}

Result<AgentCall> resolve_wrapper(const HeartbeatWrapper& wrapper,
                                  const std::vector<std::string>& args, AgentCall call,
                                  const AgentDirs& dirs, const FileSystem& fs) {
  auto params = map_wrapper_arguments(wrapper, args, fs);
  if (!params) return params.error();
  call.kind = AgentKind::kOcf;
  call.heartbeat_wrapper = wrapper.name;
  call.ocf_provider = "heartbeat";
  call.ocf_type = wrapper.ocf_type;
  call.ocf_instance = ocf_instance_name(call.resource);
  call.ocf_params = std::move(params).value();
  call.path = fmt::format("{}/resource.d/heartbeat/{}", dirs.ocf_root, wrapper.ocf_type);
  if (!fs.is_executable_file(call.path))
    return Error{fmt::format(
        "Cannot locate resource script {}: heartbeat's {} wrapper runs the OCF agent {}, which "
        "is not installed (Debian and Fedora package resource-agents)",
        wrapper.name, wrapper.name, call.path)};
  return call;
}

Result<AgentCall> resolve_script(const conf::Resource& r, AgentCall call, const AgentDirs& dirs,
                                 const FileSystem& fs) {
  if (!is_path_component(r.name))
    return Error{fmt::format("Cannot locate resource script {}", r.name)};
  const std::vector<std::string> args = non_empty(r.args);
  const HeartbeatWrapper* wrapper = find_heartbeat_wrapper(r.name);
  // §3.2: resource.d first, then init.d; a file that is not an executable
  // regular file is passed over, not an error. heartbeat's own wrappers
  // lived in resource.d, so the built-in ones come before init.d, and the
  // wrapper file itself (a conffile the removed package left) counts as
  // absent: removed and purged resolve alike.
  if (!dirs.resource_d.empty()) {
    std::string path = dirs.resource_d + "/" + r.name;
    if (fs.is_executable_file(path) &&
        (wrapper == nullptr || !is_heartbeat_wrapper_file(path, *wrapper, fs))) {
      call.kind = AgentKind::kHeartbeat;
      call.path = std::move(path);
      call.args = args;
      return call;
    }
  }
  if (wrapper != nullptr) return resolve_wrapper(*wrapper, args, std::move(call), dirs, fs);
  if (!dirs.init_d.empty()) {
    std::string path = dirs.init_d + "/" + r.name;
    if (fs.is_executable_file(path)) {
      call.kind = AgentKind::kLsb;
      call.path = std::move(path);
      call.args = args;
      return call;
    }
  }
  // drbddisk was never heartbeat's: drbd-utils installs it in resource.d.
  if (r.name == "drbddisk")
    return Error{
        "Cannot locate resource script drbddisk: drbd-utils installs it in resource.d "
        "(/etc/ha.d/resource.d/drbddisk)"};
  return Error{fmt::format("Cannot locate resource script {}", r.name)};
}

Result<AgentCall> resolve_ocf(const conf::Resource& r, AgentCall call, const AgentDirs& dirs,
                              const FileSystem& fs) {
  const std::string_view spec = std::string_view(r.name).substr(kOcfPrefix.size());
  const auto colon = spec.find(':');
  if (colon == std::string_view::npos)
    return Error{fmt::format("{}: expected ocf:PROVIDER:TYPE[::KEY=VALUE...]", r.text)};
  const std::string_view provider = spec.substr(0, colon);
  const std::string_view type = spec.substr(colon + 1);
  if (!is_path_component(provider) || !is_path_component(type) ||
      type.find(':') != std::string_view::npos)
    return Error{fmt::format("{}: expected ocf:PROVIDER:TYPE[::KEY=VALUE...]", r.text)};
  for (const std::string& arg : r.args) {
    const auto eq = arg.find('=');
    const std::string_view key = std::string_view(arg).substr(0, eq);
    if (eq == std::string::npos || !is_reskey_name(key))
      return Error{fmt::format("{}: OCF parameter \"{}\" is not KEY=VALUE", r.text, arg)};
    call.ocf_params.emplace_back(std::string(key), arg.substr(eq + 1));
  }
  call.kind = AgentKind::kOcf;
  call.ocf_provider = provider;
  call.ocf_type = type;
  call.ocf_instance = ocf_instance_name(r.text);
  call.path = fmt::format("{}/resource.d/{}/{}", dirs.ocf_root, provider, type);
  if (!fs.is_executable_file(call.path))
    return Error{fmt::format("Cannot locate resource script {}", r.name)};
  return call;
}

Result<AgentCall> resolve_systemd(const conf::Resource& r, AgentCall call, const AgentDirs& dirs) {
  std::string unit = r.name.substr(kSystemdPrefix.size());
  // Unit names are [A-Za-z0-9:_.\@-]; anything else (blanks cannot occur)
  // would be taken by systemctl as an option or a glob.
  bool valid = !unit.empty() && unit.front() != '-' && r.args.empty();
  for (char c : unit) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == ':' || c == '_' || c == '.' || c == '\\' || c == '@' || c == '-';
    valid = valid && ok;
  }
  if (!valid) return Error{fmt::format("{}: expected systemd:UNIT with no arguments", r.text)};
  if (unit.find('.') == std::string::npos) unit += ".service";
  call.kind = AgentKind::kSystemd;
  call.unit = std::move(unit);
  call.path = dirs.systemctl;
  return call;
}

}  // namespace

AgentDirs default_agent_dirs(const std::string& config_dir) {
  AgentDirs dirs;
  dirs.resource_d = config_dir + "/resource.d";
  return dirs;
}

std::string ocf_instance_name(std::string_view token) {
  std::string out(token);
  for (char& c : out) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '.' || c == '-';
    if (!keep) c = '_';
  }
  return out;
}

bool is_heartbeat_wrapper_file(const std::string& path, const HeartbeatWrapper& wrapper,
                               const FileSystem& fs) {
  const auto hash = fs.sha256_of(path);
  return hash && *hash == wrapper.sha256;
}

Result<AgentCall> resolve_agent(const conf::Resource& resource, std::string_view group,
                                const AgentDirs& dirs, const FileSystem& fs) {
  AgentCall call;
  call.resource = resource.text.empty() ? resource.name : resource.text;
  call.group = group;
  if (starts_with(resource.name, kOcfPrefix))
    return resolve_ocf(resource, std::move(call), dirs, fs);
  if (starts_with(resource.name, kSystemdPrefix))
    return resolve_systemd(resource, std::move(call), dirs);
  return resolve_script(resource, std::move(call), dirs, fs);
}

}  // namespace vigil::resourced
