// What heartbeat left in resource.d (issue 10 item 2): `apt remove
// heartbeat`, which installing vigil does, keeps its conffiles — the
// resource.d wrappers and hto-mapfuncs among them; `apt purge` removes
// them. vigil resolves both cases alike (agent.h); vigilctl check-config
// says which one it found.
#pragma once

#include <string>
#include <vector>

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

}  // namespace vigil::resourced
