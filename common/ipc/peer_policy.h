// Who may talk to a vigil IPC server, decided from SO_PEERCRED
// (architecture.md, trust boundaries 2 and 3): root helpers accept only
// heartbeatd's user; heartbeatd's control socket accepts root and the
// haclient group.
#pragma once

#include <sys/types.h>

#include <vector>

#include "common/ipc/socket.h"

namespace vigil::ipc {

struct PeerPolicy {
  std::vector<uid_t> uids;  // a peer with one of these uids is allowed
  std::vector<gid_t> gids;  // ... or with one of these as primary group

  // True if the peer's uid is in `uids` or its primary gid in `gids`. An
  // empty policy permits nobody.
  bool permits(const PeerCredentials& peer) const;
};

}  // namespace vigil::ipc
