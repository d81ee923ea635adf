#include "heartbeatd/io/inherited_sockets.h"

#include <fcntl.h>
#include <net/if.h>
#include <sys/socket.h>
#include <systemd/sd-daemon.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

namespace vigil::io {

InheritedSocketInfo describe_socket(int fd, std::string name) {
  InheritedSocketInfo info;
  info.name = std::move(name);
  int value = 0;
  socklen_t len = sizeof value;
  if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &value, &len) == 0) info.family = value;
  len = sizeof value;
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &value, &len) == 0) info.datagram = value == SOCK_DGRAM;
  sockaddr_storage ss{};
  socklen_t ss_len = sizeof ss;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &ss_len) == 0)
    info.bound = SocketAddress::from_sockaddr(reinterpret_cast<sockaddr*>(&ss), ss_len);
  char device[IFNAMSIZ + 1] = {};
  socklen_t dev_len = IFNAMSIZ;
  if (getsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, device, &dev_len) == 0) info.device = device;
  return info;
}

Result<std::vector<InheritedSocket>> take_inherited_sockets() {
  char** names = nullptr;
  const int n = sd_listen_fds_with_names(1, &names);
  if (n < 0) return Error{fmt::format("sd_listen_fds: {}", std::strerror(-n))};
  std::vector<InheritedSocket> out;
  for (int i = 0; i < n; ++i) {
    const int fd = SD_LISTEN_FDS_START + i;
    std::string name = (names != nullptr && names[i] != nullptr) ? names[i] : "unknown";
    if (names != nullptr) std::free(names[i]);
    // Nothing we exec (none today) may inherit the cluster sockets.
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    InheritedSocket s;
    s.info = describe_socket(fd, std::move(name));
    s.fd.reset(fd);
    out.push_back(std::move(s));
  }
  std::free(names);
  return out;
}

namespace {

bool same_binding(const InheritedSocketInfo& have, const SocketSpec& spec) {
  if (!have.datagram || have.family != spec.family || !have.bound || !spec.bind_to) return false;
  return *have.bound == *spec.bind_to;
}

}  // namespace

MatchResult match_inherited(const std::vector<InheritedSocketInfo>& have,
                            const std::vector<ReceiveWant>& want) {
  MatchResult r;
  r.for_want.resize(want.size());
  std::vector<bool> used(have.size(), false);
  for (std::size_t w = 0; w < want.size(); ++w) {
    const auto& spec = want[w].spec;
    std::optional<std::size_t> by_name;
    std::optional<std::size_t> shared;
    for (std::size_t h = 0; h < have.size(); ++h) {
      if (!same_binding(have[h], spec)) continue;
      if (!have[h].device.empty()) {
        if (have[h].device == spec.device) {
          r.for_want[w] = {h, false, false};
          break;
        }
      } else if (spec.device.empty() || have[h].name == want[w].link_name) {
        if (!by_name) by_name = h;
      } else if (have[h].name == kSharedSocketName) {
        if (!shared) shared = h;
      }
    }
    if (!r.for_want[w].socket && by_name) r.for_want[w] = {by_name, !spec.device.empty(), false};
    if (!r.for_want[w].socket && shared) r.for_want[w] = {shared, false, true};
    if (r.for_want[w].socket) used[*r.for_want[w].socket] = true;
  }
  for (std::size_t h = 0; h < have.size(); ++h)
    if (!used[h] && have[h].datagram) r.unused.push_back(h);
  return r;
}

}  // namespace vigil::io
