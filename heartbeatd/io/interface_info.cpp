#include "heartbeatd/io/interface_info.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "common/unique_fd.h"

namespace vigil::io {
namespace {

std::optional<in_addr> ioctl_address(int fd, const std::string& name, unsigned long request) {
  ifreq req{};
  std::strncpy(req.ifr_name, name.c_str(), IFNAMSIZ - 1);
  req.ifr_addr.sa_family = AF_INET;
  if (ioctl(fd, request, &req) != 0 || req.ifr_addr.sa_family != AF_INET) return std::nullopt;
  sockaddr_in sin;
  std::memcpy(&sin, &req.ifr_addr, sizeof sin);
  return sin.sin_addr;
}

}  // namespace

Result<InterfaceInfo> query_interface(const std::string& name) {
  if (name.empty() || name.size() >= IFNAMSIZ)
    return Error{fmt::format("interface name [{}] is not valid", name)};
  InterfaceInfo info;
  info.name = name;
  info.index = static_cast<int>(if_nametoindex(name.c_str()));
  if (info.index == 0)
    return Error{fmt::format("interface {}: {}", name, std::strerror(errno))};
  UniqueFd fd(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd) return Error{fmt::format("socket: {}", std::strerror(errno))};
  info.ipv4 = ioctl_address(fd.get(), name, SIOCGIFADDR);
  ifreq flags{};
  std::strncpy(flags.ifr_name, name.c_str(), IFNAMSIZ - 1);
  if (ioctl(fd.get(), SIOCGIFFLAGS, &flags) == 0 && (flags.ifr_flags & IFF_BROADCAST) != 0)
    info.broadcast = ioctl_address(fd.get(), name, SIOCGIFBRDADDR);
  if (info.broadcast && info.broadcast->s_addr == 0) info.broadcast.reset();
  return info;
}

}  // namespace vigil::io
