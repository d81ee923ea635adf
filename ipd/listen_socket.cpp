#include "ipd/listen_socket.h"

#include <fmt/format.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/ipc/socket.h"
#include "common/systemd_sockets.h"

namespace vigil::ipd {

Result<ListenSocket> open_listen_socket(const std::string& path, std::optional<gid_t> group) {
  if (auto passed = systemd::take_listen_fd(kActivatedSocketName)) {
    if (sd_is_socket_unix(passed->get(), SOCK_SEQPACKET, 1, nullptr, 0) <= 0)
      return Error{
          fmt::format("the socket systemd passed as \"{}\" is not a listening "
                      "SOCK_SEQPACKET Unix socket (ListenSequentialPacket=)",
                      kActivatedSocketName)};
    return ListenSocket{std::move(*passed), true};
  }
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (!dir.empty() && ::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
    return Error{fmt::format("cannot create {}: {}", dir.string(), std::strerror(errno))};
  auto fd = ipc::listen(path, kSocketMode);
  if (!fd) return fd.error();
  if (group && ::chown(path.c_str(), static_cast<uid_t>(-1), *group) != 0)
    return Error{fmt::format("cannot give {} to group {}: {}", path, *group, std::strerror(errno))};
  return ListenSocket{std::move(*fd), false};
}

}  // namespace vigil::ipd
