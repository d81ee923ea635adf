#include "common/ipc/helper_access.h"

#include <grp.h>
#include <pwd.h>

#include <fmt/format.h>

#include "common/log.h"

namespace vigil::ipc {

Result<HelperAccess> helper_access(std::string_view daemon, const std::string& heartbeat_user,
                                   const std::optional<std::string>& heartbeat_group) {
  HelperAccess access;
  access.policy.uids.push_back(0);
  if (const passwd* pw = ::getpwnam(heartbeat_user.c_str())) {
    access.policy.uids.push_back(pw->pw_uid);
    access.socket_group = pw->pw_gid;
  } else {
    log::warn(fmt::format("{}: heartbeat user \"{}\" does not exist; only root may connect",
                          daemon, heartbeat_user));
  }
  if (heartbeat_group) {
    const group* gr = ::getgrnam(heartbeat_group->c_str());
    if (gr == nullptr) return Error{fmt::format("group \"{}\" does not exist", *heartbeat_group)};
    access.socket_group = gr->gr_gid;
  }
  return access;
}

}  // namespace vigil::ipc
