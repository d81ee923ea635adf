#include "common/systemd_sockets.h"

#include <fcntl.h>
#include <systemd/sd-daemon.h>

#include <cstdlib>
#include <set>

namespace vigil::systemd {

namespace {

std::set<int>& taken_fds() {
  static std::set<int> taken;
  return taken;
}

}  // namespace

std::optional<UniqueFd> take_listen_fd(std::string_view name) {
  char** names = nullptr;
  // unset_environment = 0: later calls for other names read the same
  // variables. sd_listen_fds sets FD_CLOEXEC on every passed descriptor,
  // so the ones nobody takes do not leak into resource scripts.
  const int count = sd_listen_fds_with_names(0, &names);
  if (count <= 0 || names == nullptr) return std::nullopt;
  std::optional<UniqueFd> found;
  for (int i = 0; i < count; ++i) {
    const int fd = SD_LISTEN_FDS_START + i;
    if (!found && name == names[i] && taken_fds().insert(fd).second) {
      const int flags = fcntl(fd, F_GETFL);
      if (flags >= 0) fcntl(fd, F_SETFL, flags | O_NONBLOCK);
      found.emplace(fd);
    }
    std::free(names[i]);
  }
  std::free(names);
  return found;
}

}  // namespace vigil::systemd
