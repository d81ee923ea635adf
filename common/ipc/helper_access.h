// Who may talk to a root helper (ipd, resourced) and who owns its socket:
// root, plus heartbeatd's user when that user exists (its primary group
// then owns the socket, unless --heartbeat-group names another). Both
// helpers decide this the same way, so it is decided here.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

#include "common/ipc/peer_policy.h"
#include "common/result.h"

namespace vigil::ipc {

struct HelperAccess {
  PeerPolicy policy;                 // root and heartbeatd's uid
  std::optional<gid_t> socket_group; // group the socket is chown'ed to
};

// A missing heartbeat user is a warning (logged with `daemon` as prefix:
// only root may connect); a missing heartbeat group is an error, because
// the admin asked for it by name.
Result<HelperAccess> helper_access(std::string_view daemon, const std::string& heartbeat_user,
                                   const std::optional<std::string>& heartbeat_group);

}  // namespace vigil::ipc
