#include "resourced/listen_socket.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/ipc/socket.h"

namespace vigil::resourced {

namespace {

Result<ListenSocket> take_activated(int count) {
  if (count != 1)
    return Error{fmt::format("systemd passed {} sockets; resourced takes exactly one", count)};
  const int fd = SD_LISTEN_FDS_START;
  if (sd_is_socket_unix(fd, SOCK_SEQPACKET, 1, nullptr, 0) <= 0)
    return Error{"the socket systemd passed is not a listening SOCK_SEQPACKET Unix socket"};
  // ipc::Server expects what ipc::listen makes: non-blocking, close-on-exec
  // (agents must never inherit it).
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0 ||
      ::fcntl(fd, F_SETFD, FD_CLOEXEC) != 0)
    return Error{fmt::format("cannot set up the activated socket: {}", std::strerror(errno))};
  return ListenSocket{UniqueFd(fd), true};
}

}  // namespace

Result<ListenSocket> open_listen_socket(const std::string& path, std::optional<gid_t> group) {
  const int count = sd_listen_fds(1);
  if (count < 0)
    return Error{fmt::format("sd_listen_fds: {}", std::strerror(-count))};
  if (count > 0) return take_activated(count);

  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (!dir.empty() && ::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
    return Error{fmt::format("cannot create {}: {}", dir.string(), std::strerror(errno))};
  auto fd = ipc::listen(path, kSocketMode);
  if (!fd) return fd.error();
  if (group && ::chown(path.c_str(), 0, *group) != 0)
    return Error{fmt::format("cannot give {} to group {}: {}", path, *group, std::strerror(errno))};
  return ListenSocket{std::move(*fd), false};
}

}  // namespace vigil::resourced
