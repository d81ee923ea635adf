#include "vigilctl/control_client.h"

#include <fmt/format.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>

#include "common/ipc/socket.h"
#include "common/unique_fd.h"

namespace vigil::ctl {

namespace ctlmsg = proto::control;
using Clock = std::chrono::steady_clock;

namespace {

// heartbeatd closes a connection it does not permit without a word, at
// accept or at a request the peer may not make; we see it either while
// sending or while waiting.
constexpr std::string_view kRefusedText =
    "heartbeatd closed the connection without answering: not permitted (root or group haclient "
    "needed)";

Reply failed(Failure f, std::string message) {
  Reply r;
  r.error = {f, std::move(message)};
  return r;
}

// Milliseconds left until `deadline`, at least 0.
int left_ms(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

// Waits for `events` on fd; false on timeout.
bool wait_for(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    const int rc = ::poll(&p, 1, left_ms(deadline));
    if (rc > 0) return true;
    if (rc == 0) return false;
    if (errno != EINTR) return false;
  }
}

}  // namespace

std::string control_socket_path(const conf::Paths& paths) {
  return paths.runtime_dir + "/control.sock";
}

Reply ask(const std::string& path, const ctlmsg::Message& request,
          std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path)
    return failed(Failure::kProtocol, fmt::format("socket path too long: {}", path));
  std::memcpy(addr.sun_path, path.data(), path.size());

  UniqueFd fd(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd.valid())
    return failed(Failure::kProtocol, fmt::format("socket: {}", std::strerror(errno)));
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    const int e = errno;
    if (e == ENOENT || e == ECONNREFUSED || e == ENOTDIR)
      return failed(Failure::kNotRunning,
                    fmt::format("heartbeatd is not running (no control socket at {})", path));
    if (e == EACCES || e == EPERM)
      return failed(Failure::kRefused,
                    fmt::format("permission denied on {}: not permitted (root or group "
                                "haclient needed)",
                                path));
    if (e == EAGAIN)
      return failed(Failure::kTimeout, fmt::format("heartbeatd is not accepting on {}", path));
    return failed(Failure::kProtocol, fmt::format("connect {}: {}", path, std::strerror(e)));
  }

  auto frame = ctlmsg::encode(request);
  if (!frame) return failed(Failure::kProtocol, frame.error().message);
  for (;;) {
    auto sent = ipc::send_datagram(fd.get(), *frame);
    if (!sent) return failed(Failure::kProtocol, sent.error().message);
    if (*sent == ipc::IoStatus::kDone) break;
    if (*sent == ipc::IoStatus::kClosed)
      return failed(Failure::kRefused, std::string(kRefusedText));
    if (!wait_for(fd.get(), POLLOUT, deadline))
      return failed(Failure::kTimeout, "timed out sending to heartbeatd");
  }
  for (;;) {
    if (!wait_for(fd.get(), POLLIN, deadline))
      return failed(Failure::kTimeout, "timed out waiting for heartbeatd's answer");
    auto got = ipc::recv_frame(fd.get());
    if (!got) return failed(Failure::kProtocol, got.error().message);
    if (got->status == ipc::IoStatus::kWouldBlock) continue;
    if (got->status == ipc::IoStatus::kClosed)
      return failed(Failure::kRefused, std::string(kRefusedText));
    auto message = ctlmsg::decode(got->frame);
    if (!message)
      return failed(Failure::kProtocol,
                    "malformed answer from heartbeatd: " + message.error().message);
    Reply r;
    r.ok = true;
    r.message = std::move(*message);
    return r;
  }
}

}  // namespace vigil::ctl
