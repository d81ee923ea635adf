#include "heartbeatd/control/permission.h"

#include <grp.h>
#include <unistd.h>

#include <algorithm>
#include <string>

namespace vigil::control {

namespace {

bool member(const PeerIdentity& peer, std::optional<gid_t> gid) {
  return gid && (peer.gid == *gid ||
                 std::find(peer.groups.begin(), peer.groups.end(), *gid) != peer.groups.end());
}

}  // namespace

bool permits(const ControlPolicy& policy, const PeerIdentity& peer, Access access) {
  if (access == Access::kCommand && policy.read_only) return false;
  if (peer.uid == 0) return true;
  if (member(peer, policy.admin_gid)) return true;
  if (access == Access::kStatus && member(peer, policy.reader_gid)) return true;
  // heartbeatd's own user may read its status (monitoring run as that
  // user) but not move resources: that needs an administrator.
  return access == Access::kStatus && peer.uid == policy.daemon_uid;
}

PeerIdentity identify(int fd, const ipc::PeerCredentials& peer) {
  PeerIdentity id{peer.uid, peer.gid, {}};
  if (auto groups = ipc::peer_groups(fd)) id.groups = std::move(*groups);
  return id;
}

ControlPolicy default_policy(bool read_only) {
  ControlPolicy p;
  p.daemon_uid = getuid();
  const std::string admin(kAdminGroup);
  if (const group* g = getgrnam(admin.c_str())) p.admin_gid = g->gr_gid;
  const std::string reader(kReaderGroup);
  if (const group* g = getgrnam(reader.c_str())) p.reader_gid = g->gr_gid;
  p.read_only = read_only;
  return p;
}

}  // namespace vigil::control
