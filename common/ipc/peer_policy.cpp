#include "common/ipc/peer_policy.h"

#include <algorithm>

namespace vigil::ipc {

bool PeerPolicy::permits(const PeerCredentials& peer) const {
  return std::find(uids.begin(), uids.end(), peer.uid) != uids.end() ||
         std::find(gids.begin(), gids.end(), peer.gid) != gids.end();
}

}  // namespace vigil::ipc
