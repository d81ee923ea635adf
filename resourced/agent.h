// Which program runs a haresources resource, and with what (heartbeat-
// compat.md §3.1, §3.2). resourced only ever runs resources it resolved
// itself from its own copy of haresources; nothing here comes from a
// message.
//
// Resource token forms (the token is split on "::" by the haresources
// parser into conf::Resource::name and ::args):
//
//   NAME[::ARG...]                      heartbeat script (§3.2): the first
//                                       of
//                                       1. RESOURCE_D/NAME, an executable
//                                          regular file that is not
//                                          heartbeat's own wrapper;
//                                       2. heartbeat's NAME wrapper, built in
//                                          (heartbeat_wrappers.h): the OCF
//                                          agent ocf:heartbeat:TYPE with the
//                                          parameters the wrapper would set;
//                                       3. INIT_D/NAME (an LSB script);
//                                       run as `PATH ARG... start|stop|status`.
//                                       Empty ARGs are dropped, as
//                                       ResourceManager's unquoted expansion
//                                       drops them. Not found: "Cannot
//                                       locate resource script NAME".
//                                       heartbeat's wrapper left behind in
//                                       resource.d by `apt remove heartbeat`
//                                       is recognised by its content and
//                                       resolves as if it had been purged.
//
//   ocf:PROVIDER:TYPE[::KEY=VALUE...]   OCF resource agent (vigil's own
//                                       syntax; heartbeat v1 reached OCF
//                                       agents only through resource.d
//                                       wrappers). Runs OCF_ROOT/resource.d/
//                                       PROVIDER/TYPE with `start`, `stop`,
//                                       `monitor`; each KEY=VALUE becomes
//                                       OCF_RESKEY_KEY=VALUE. KEY is
//                                       [A-Za-z_][A-Za-z0-9_]*; VALUE may be
//                                       empty and may contain "=" but, as
//                                       every haresources argument, no blank.
//                                       Example: ocf:heartbeat:Dummy::state=/run/d.state
//
//   systemd:UNIT                        a systemd unit, through systemctl
//                                       start/stop/is-active (health checks:
//                                       over the bus, agent_command.h says
//                                       why). A UNIT without
//                                       a "." gets ".service". No arguments.
//                                       Example: systemd:nginx
//
// "ocf:" and "systemd:" cannot be heartbeat script names in practice (a
// resource.d script called "ocf:x" would have been unreachable anyway, as
// heartbeat splits nothing on ":"), so the prefixes are unambiguous.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "conf/config.h"
#include "resourced/file_system.h"
#include "resourced/heartbeat_wrappers.h"

namespace vigil::resourced {

enum class AgentKind {
  kHeartbeat,  // found in resource.d
  kLsb,        // found in init.d
  kOcf,
  kSystemd,
};

// Where agents are looked up. Defaults: CONFIG_DIR/resource.d, /etc/init.d,
// /usr/lib/ocf; tests point them at a temporary tree.
struct AgentDirs {
  std::string resource_d;
  std::string init_d = "/etc/init.d";
  std::string ocf_root = "/usr/lib/ocf";
  std::string systemctl = "/usr/bin/systemctl";
};

// The default directories for a configuration directory (/etc/ha.d).
AgentDirs default_agent_dirs(const std::string& config_dir);

// One resolved resource: everything needed to run any action on it.
struct AgentCall {
  AgentKind kind = AgentKind::kHeartbeat;
  std::string resource;           // the token as written in haresources (log label)
  std::string group;              // the key of its group (log field VIGIL_GROUP)
  std::string path;               // absolute path of the program to execute
  std::vector<std::string> args;  // heartbeat/LSB: the "::" arguments

  // OCF only.
  std::string ocf_provider;
  std::string ocf_type;
  std::string ocf_instance;  // OCF_RESOURCE_INSTANCE, see ocf_instance_name
  std::vector<std::pair<std::string, std::string>> ocf_params;  // KEY, VALUE in order

  // systemd only: the full unit name ("nginx.service").
  std::string unit;

  // Set when NAME is heartbeat's wrapper of that name, run through the
  // built-in mapping (kind kOcf): the wrapper's name.
  std::string heartbeat_wrapper;
};

// Resolves `resource` (of the group whose key is `group`). Pure apart from
// `fs`. This is the one place that decides how a resource runs: resourced
// runs what it returns, vigilctl check-config prints it. Errors: "Cannot
// locate resource script NAME" (heartbeat's text, §3.2) with the reason
// after a colon when there is one, or a description of a malformed
// ocf:/systemd: token or of arguments heartbeat's wrapper refuses.
Result<AgentCall> resolve_agent(const conf::Resource& resource, std::string_view group,
                                const AgentDirs& dirs, const FileSystem& fs);

// OCF_RESOURCE_INSTANCE for a token: the token with every character outside
// [A-Za-z0-9_.-] replaced by "_" — stable across restarts and nodes, unique
// per distinct token, and safe inside the file names agents derive from it
// (Dummy's default state file is $HA_RSCTMP/Dummy-$OCF_RESOURCE_INSTANCE.state).
std::string ocf_instance_name(std::string_view token);

// True if `path` is heartbeat's own `wrapper` script, as heartbeat 3.0.6
// installed it (not edited): left behind by `apt remove heartbeat`.
bool is_heartbeat_wrapper_file(const std::string& path, const HeartbeatWrapper& wrapper,
                               const FileSystem& fs);

}  // namespace vigil::resourced
