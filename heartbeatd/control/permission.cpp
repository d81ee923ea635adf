#include "heartbeatd/control/permission.h"

#include <grp.h>
#include <unistd.h>

#include <algorithm>
#include <string>

namespace vigil::control {

bool permits(const ControlPolicy& policy, const PeerIdentity& peer, Access access) {
  if (peer.uid == 0) return true;
  if (policy.admin_gid) {
    const gid_t g = *policy.admin_gid;
    if (peer.gid == g || std::find(peer.groups.begin(), peer.groups.end(), g) != peer.groups.end())
      return true;
  }
  // heartbeatd's own user may read its status (monitoring run as that
  // user) but not move resources: that needs an administrator.
  return access == Access::kStatus && peer.uid == policy.daemon_uid;
}

PeerIdentity identify(int fd, const ipc::PeerCredentials& peer) {
  PeerIdentity id{peer.uid, peer.gid, {}};
  if (auto groups = ipc::peer_groups(fd)) id.groups = std::move(*groups);
  return id;
}

ControlPolicy default_policy() {
  ControlPolicy p;
  p.daemon_uid = getuid();
  const std::string name(kAdminGroup);
  if (const group* g = getgrnam(name.c_str())) p.admin_gid = g->gr_gid;
  return p;
}

}  // namespace vigil::control
