// Who may use heartbeatd's control socket (architecture.md, trust boundary
// 3): the status is readable by root, heartbeatd's own user and members of
// the `haclient` group; standby and takeover, which move resources, need
// root or `haclient` membership.
//
// SO_PEERCRED carries the peer's uid and primary gid only. Supplementary
// groups are read from the `Groups:` line of /proc/<pid>/status of the
// peer pid SO_PEERCRED reported, right after accept(), and used only if
// that file's real uid is the SO_PEERCRED uid: should the peer have exited
// and its pid been reused, another user's groups are never borrowed. A
// peer that already exited is judged on its uid and primary gid alone.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string_view>
#include <vector>

#include "common/ipc/socket.h"
#include "common/result.h"

namespace vigil::control {

struct ControlPolicy {
  uid_t daemon_uid = 0;            // heartbeatd's own user: status only
  std::optional<gid_t> admin_gid;  // haclient; unset when the group does not exist
};

struct PeerIdentity {
  uid_t uid = 0;
  gid_t gid = 0;              // primary, from SO_PEERCRED
  std::vector<gid_t> groups;  // supplementary, from /proc/<pid>/status
};

enum class Access {
  kStatus,   // StatusRequest
  kCommand,  // Standby, Takeover
};

inline constexpr std::string_view kAdminGroup = "haclient";

// The decision, pure.
bool permits(const ControlPolicy& policy, const PeerIdentity& peer, Access access);

// The gids of the `Groups:` line of a /proc/<pid>/status text (an empty
// line: none). Error if the line is missing or holds a non-number.
Result<std::vector<gid_t>> parse_proc_groups(std::string_view proc_status);

// The supplementary groups of a /proc/<pid>/status text, if its real uid
// (first field of `Uid:`) is `uid`; otherwise, or if unparsable, none.
std::vector<gid_t> proc_groups_for(std::string_view proc_status, uid_t uid);

// The peer as SO_PEERCRED saw it plus its supplementary groups from /proc
// (none if the process has gone or /proc is unreadable).
PeerIdentity identify(const ipc::PeerCredentials& peer);

// root, our own uid, and the gid of `haclient` if that group exists.
ControlPolicy default_policy();

}  // namespace vigil::control
