// heartbeatd runs unprivileged (architecture.md, Processes and trust).
//
// Started as root, it opens its media first and then becomes the
// `hacluster` user (or --user NAME): supplementary groups of that user,
// its gid, its uid; every capability set emptied (bounding set too, while
// still root), PR_SET_NO_NEW_PRIVS. Started as that user by systemd, it
// takes its sockets from the socket unit or binds with CAP_NET_BIND_SERVICE
// alone, then drops every capability. Either way the result is verified
// from /proc/self/status: CapEff, CapPrm and CapAmb all 0, and a return to
// uid 0 impossible.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace vigil::io {

inline constexpr std::string_view kDefaultUser = "hacluster";

struct UserIds {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
};

// The passwd entry of `name`. Error (with what to do about it) if there is
// none.
Result<UserIds> lookup_user(const std::string& name);

// The capability masks of a /proc/PID/status text (hex fields CapInh,
// CapPrm, CapEff, CapBnd, CapAmb). Error if one is missing or malformed.
struct CapabilitySets {
  std::uint64_t inheritable = 0;
  std::uint64_t permitted = 0;
  std::uint64_t effective = 0;
  std::uint64_t bounding = 0;
  std::uint64_t ambient = 0;
};
Result<CapabilitySets> parse_capabilities(std::string_view proc_status);

// Reads /proc/self/status.
Result<CapabilitySets> own_capabilities();

// As root: drops the bounding set, becomes `user`, then
// drop_all_capabilities(). Error if not root.
Status become_user(const UserIds& user);

// Clears the ambient, effective, permitted and inheritable sets (libcap),
// sets PR_SET_NO_NEW_PRIVS, and verifies with own_capabilities().
Status drop_all_capabilities();

// The policy of heartbeatd: as root, become_user(lookup_user(user_name));
// otherwise, drop_all_capabilities() and stay who we are (an explicit
// --user other than ourselves is then an error). `user_name` empty means
// kDefaultUser. Logs what it did.
Status drop_privileges(const std::string& user_name);

}  // namespace vigil::io
