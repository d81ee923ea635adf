#include "common/ipc/socket.h"

#include <fmt/format.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/ipc/frame_format.h"

namespace vigil::ipc {

namespace {

constexpr int kListenBacklog = 16;
constexpr int kSocketFlags = SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK;

Error errno_error(std::string_view what, const std::string& path) {
  return Error{fmt::format("{} {}: {}", what, path, std::strerror(errno))};
}

Result<sockaddr_un> unix_address(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof(addr.sun_path)) {
    return Error{fmt::format("socket path '{}' is empty or too long", path)};
  }
  std::memcpy(addr.sun_path, path.data(), path.size());
  return addr;
}

int connect_fd(int fd, const sockaddr_un& addr) {
  int rc;
  do {
    rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr));
  } while (rc != 0 && errno == EINTR);
  return rc;
}

// A socket file nobody accepts on is left over from a crash; one somebody
// accepts on belongs to a running server we must not steal from.
Status remove_stale_socket(const std::string& path, const sockaddr_un& addr) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return ok_status();
    return errno_error("cannot examine", path);
  }
  if (!S_ISSOCK(st.st_mode)) {
    return Error{fmt::format("{} exists and is not a socket; not removing it", path)};
  }
  UniqueFd probe(::socket(AF_UNIX, kSocketFlags, 0));
  if (!probe) return errno_error("cannot create a socket to probe", path);
  if (connect_fd(probe.get(), addr) == 0 || errno == EAGAIN) {
    return Error{fmt::format("{} is in use by a running server", path)};
  }
  if (unlink(path.c_str()) != 0 && errno != ENOENT) return errno_error("cannot remove", path);
  return ok_status();
}

}  // namespace

Result<UniqueFd> listen(const std::string& path, mode_t mode) {
  auto addr = unix_address(path);
  if (!addr) return addr.error();
  if (Status s = remove_stale_socket(path, *addr); !s) return s.error();

  UniqueFd fd(::socket(AF_UNIX, kSocketFlags, 0));
  if (!fd) return errno_error("cannot create socket for", path);
  // bind() creates the file with the umask applied; narrowing the umask
  // around it means the socket is never reachable with wider permissions
  // than `mode`, and chmod then widens it to exactly `mode`.
  const mode_t old_umask = umask(static_cast<mode_t>(~mode & 0777));
  const int rc = ::bind(fd.get(), reinterpret_cast<const sockaddr*>(&*addr), sizeof(*addr));
  umask(old_umask);
  if (rc != 0) return errno_error("cannot bind", path);
  if (chmod(path.c_str(), mode) != 0) return errno_error("cannot set permissions of", path);
  if (::listen(fd.get(), kListenBacklog) != 0) return errno_error("cannot listen on", path);
  return fd;
}

Result<UniqueFd> connect(const std::string& path) {
  auto addr = unix_address(path);
  if (!addr) return addr.error();
  UniqueFd fd(::socket(AF_UNIX, kSocketFlags, 0));
  if (!fd) return errno_error("cannot create socket for", path);
  if (connect_fd(fd.get(), *addr) != 0) return errno_error("cannot connect to", path);
  return fd;
}

Result<UniqueFd> accept(int listen_fd) {
  for (;;) {
    const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd >= 0) return UniqueFd(fd);
    if (errno == EINTR) continue;
    // A client that gave up before we accepted is not our error.
    if (errno == EAGAIN || errno == ECONNABORTED) return UniqueFd();
    return Error{fmt::format("accept failed: {}", std::strerror(errno))};
  }
}

Result<PeerCredentials> peer_credentials(int fd) {
  ucred cred{};
  socklen_t len = sizeof(cred);
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || len != sizeof(cred)) {
    return Error{fmt::format("cannot read peer credentials: {}", std::strerror(errno))};
  }
  return PeerCredentials{cred.pid, cred.uid, cred.gid};
}

Result<std::vector<gid_t>> peer_groups(int fd) {
  // The kernel answers ERANGE with the size it needs; NGROUPS_MAX (65536)
  // bounds it.
  std::vector<gid_t> groups(32);
  for (int attempt = 0; attempt < 3; ++attempt) {
    socklen_t len = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
    if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &len) == 0) {
      groups.resize(len / sizeof(gid_t));
      return groups;
    }
    if (errno != ERANGE || len / sizeof(gid_t) > 65536)
      return Error{fmt::format("cannot read peer groups: {}", std::strerror(errno))};
    groups.resize(len / sizeof(gid_t));
  }
  return Error{"cannot read peer groups: their number keeps changing"};
}

Result<IoStatus> send_datagram(int fd, ByteView datagram) {
  for (;;) {
    const ssize_t n = ::send(fd, datagram.data(), datagram.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0) {
      // SOCK_SEQPACKET sends a record whole or fails; a short count would
      // be a kernel contract break, not something to retry.
      if (static_cast<std::size_t>(n) != datagram.size()) return Error{"short IPC send"};
      return IoStatus::kDone;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN) return IoStatus::kWouldBlock;
    if (errno == EPIPE || errno == ECONNRESET || errno == ENOTCONN) return IoStatus::kClosed;
    return Error{fmt::format("IPC send failed: {}", std::strerror(errno))};
  }
}

Result<IoStatus> send_frame(int fd, std::uint16_t type, ByteView payload) {
  auto datagram = encode_frame(type, payload);
  if (!datagram) return datagram.error();
  return send_datagram(fd, *datagram);
}

Result<Received> recv_frame(int fd) {
  Bytes buffer(kMaxFrameSize);
  iovec iov{buffer.data(), buffer.size()};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  ssize_t n;
  do {
    // MSG_TRUNC makes the kernel return the datagram's real length, so an
    // oversize frame is seen as such instead of arriving cut to size.
    n = ::recvmsg(fd, &msg, MSG_TRUNC | MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EAGAIN) return Received{IoStatus::kWouldBlock, {}};
    if (errno == ECONNRESET) return Received{IoStatus::kClosed, {}};
    return Error{fmt::format("IPC receive failed: {}", std::strerror(errno))};
  }
  // Every frame has a header, so an empty read is the peer's shutdown.
  if (n == 0) return Received{IoStatus::kClosed, {}};
  if ((msg.msg_flags & MSG_TRUNC) != 0 || static_cast<std::size_t>(n) > buffer.size()) {
    return Error{
        fmt::format("IPC datagram of {} bytes exceeds the frame limit of {}", n, kMaxFrameSize)};
  }
  auto frame = decode_frame(ByteView(buffer.data(), static_cast<std::size_t>(n)));
  if (!frame) return frame.error();
  return Received{IoStatus::kDone, std::move(*frame)};
}

}  // namespace vigil::ipc
