// What heartbeat left in resource.d (issue 10 item 2): `apt remove
// heartbeat`, which installing vigil does, keeps its conffiles — the
// resource.d wrappers and hto-mapfuncs among them; `apt purge` removes
// them. vigil resolves both cases alike (agent.h); vigilctl check-config
// says which one it found.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "resourced/agent.h"
#include "resourced/file_system.h"

namespace vigil::resourced {

struct HeartbeatLeftovers {
  bool hto_mapfuncs = false;          // resource.d/hto-mapfuncs exists
  std::vector<std::string> wrappers;  // heartbeat's own wrappers found, unchanged
  std::vector<std::string> edited;    // the user's own files named like a wrapper
};

HeartbeatLeftovers survey_heartbeat_leftovers(const std::string& resource_d, const FileSystem& fs);

// One line for check-config, e.g. "heartbeat's resource.d wrappers: left by
// a removed heartbeat package in DIR (18 unchanged); vigil runs its
// built-in mapping of each instead".
std::string describe_heartbeat_leftovers(const HeartbeatLeftovers& found,
                                         const std::string& resource_d);

// For a resource that runs a script of resource.d (`call` kind kHeartbeat)
// that sources heartbeat's hto-mapfuncs, as users' own wrappers copied
// from heartbeat's do: the warning to give, since `apt purge heartbeat`
// deletes hto-mapfuncs (and it is gone already when `hto_mapfuncs_here` is
// false). Nothing for any other resource.
std::optional<std::string> hto_mapfuncs_warning(const AgentCall& call, bool hto_mapfuncs_here,
                                                const FileSystem& fs);

}  // namespace vigil::resourced
