// Who may use heartbeatd's control sockets (architecture.md, trust boundary
// 3): the status, events and metrics are readable by root, heartbeatd's own
// user and members of `haclient` or `haclient-ro`; standby and takeover,
// which move resources, need root or `haclient` membership, and are never
// accepted on the read-only socket (status.sock, for monitoring such as
// vigil-exporter) whoever asks.
//
// SO_PEERCRED carries the peer's uid and primary gid; SO_PEERGROUPS its
// supplementary groups, both as the kernel saw them at connect(). (Reading
// /proc/<pid>/status instead would race with pid reuse, and the unit's
// ProtectProc=invisible hides other users' processes from heartbeatd.)
#pragma once

#include <sys/types.h>

#include <optional>
#include <string_view>
#include <vector>

#include "common/ipc/socket.h"
#include "common/result.h"

namespace vigil::control {

struct ControlPolicy {
  uid_t daemon_uid = 0;             // heartbeatd's own user: status only
  std::optional<gid_t> admin_gid;   // haclient; unset when the group does not exist
  std::optional<gid_t> reader_gid;  // haclient-ro: read only; unset when it does not exist
  bool read_only = false;           // the read-only socket: no command for anyone
};

struct PeerIdentity {
  uid_t uid = 0;
  gid_t gid = 0;              // primary, from SO_PEERCRED
  std::vector<gid_t> groups;  // supplementary, from SO_PEERGROUPS
};

enum class Access {
  kStatus,   // StatusRequest, EventsRequest, MetricsRequest
  kCommand,  // Standby, Takeover
};

inline constexpr std::string_view kAdminGroup = "haclient";
inline constexpr std::string_view kReaderGroup = "haclient-ro";

// The decision, pure.
bool permits(const ControlPolicy& policy, const PeerIdentity& peer, Access access);

// The peer as SO_PEERCRED saw it plus its supplementary groups
// (SO_PEERGROUPS on `fd`; none if the kernel cannot tell).
PeerIdentity identify(int fd, const ipc::PeerCredentials& peer);

// root, our own uid, and the gids of `haclient` and `haclient-ro` if those
// groups exist; `read_only` for the read-only socket.
ControlPolicy default_policy(bool read_only = false);

}  // namespace vigil::control
