#include "heartbeatd/io/socket_spec.h"

#include <net/if.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace vigil::io {
namespace {

Error os_error(std::string_view what) {
  return Error{fmt::format("{}: {}", what, std::strerror(errno))};
}

Status set_int(int fd, int level, int name, int value, std::string_view what) {
  if (setsockopt(fd, level, name, &value, sizeof value) != 0) return os_error(what);
  return ok_status();
}

Status set_device(int fd, const std::string& device) {
  if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, device.c_str(),
                 static_cast<socklen_t>(device.size() + 1)) != 0)
    return os_error(fmt::format("SO_BINDTODEVICE {}", device));
  return ok_status();
}

Status apply_multicast(int fd, const SocketSpec& spec) {
  const bool v6 = spec.family == AF_INET6;
  if (spec.multicast_ifindex != 0) {
    if (v6) {
      if (auto s = set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, spec.multicast_ifindex,
                           "IPV6_MULTICAST_IF");
          !s)
        return s;
    } else {
      ip_mreqn req{};
      req.imr_ifindex = spec.multicast_ifindex;
      if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &req, sizeof req) != 0)
        return os_error("IP_MULTICAST_IF");
    }
  }
  if (spec.multicast_hops) {
    if (auto s = v6 ? set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, *spec.multicast_hops,
                              "IPV6_MULTICAST_HOPS")
                    : set_int(fd, IPPROTO_IP, IP_MULTICAST_TTL, *spec.multicast_hops,
                              "IP_MULTICAST_TTL");
        !s)
      return s;
  }
  if (spec.multicast_loop) {
    const int loop = *spec.multicast_loop ? 1 : 0;
    if (auto s = v6 ? set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, loop, "IPV6_MULTICAST_LOOP")
                    : set_int(fd, IPPROTO_IP, IP_MULTICAST_LOOP, loop, "IP_MULTICAST_LOOP");
        !s)
      return s;
  }
  if (spec.bind_to) {
    // A receiving socket hears only the groups it joined itself: without
    // this, a bcast socket on udpport would also get the datagrams of an
    // mcast medium on the same port (another copy of every message).
    if (auto s = v6 ? set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, 0, "IPV6_MULTICAST_ALL")
                    : set_int(fd, IPPROTO_IP, IP_MULTICAST_ALL, 0, "IP_MULTICAST_ALL");
        !s)
      return s;
  }
  if (spec.join) {
    const auto& group = spec.join->group;
    if (v6) {
      ipv6_mreq req{};
      req.ipv6mr_multiaddr = group.ipv6_address();
      req.ipv6mr_interface = static_cast<unsigned>(spec.join->ifindex);
      if (setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &req, sizeof req) != 0)
        return os_error(fmt::format("IPV6_JOIN_GROUP {}", group.host()));
    } else {
      ip_mreqn req{};
      req.imr_multiaddr = group.ipv4_address();
      req.imr_ifindex = spec.join->ifindex;
      if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &req, sizeof req) != 0)
        return os_error(fmt::format("IP_ADD_MEMBERSHIP {}", group.host()));
    }
  }
  return ok_status();
}

}  // namespace

Result<UniqueFd> open_socket(const SocketSpec& spec) {
  UniqueFd fd(socket(spec.family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP));
  if (!fd) return os_error("socket");
  const int s = fd.get();
  if (spec.family == AF_INET6) {
    // An IPv6 medium hears IPv6 only; IPv4 media have their own sockets.
    if (auto r = set_int(s, IPPROTO_IPV6, IPV6_V6ONLY, 1, "IPV6_V6ONLY"); !r) return r.error();
  }
  if (spec.reuse_addr)
    if (auto r = set_int(s, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR"); !r) return r.error();
  if (spec.reuse_port)
    if (auto r = set_int(s, SOL_SOCKET, SO_REUSEPORT, 1, "SO_REUSEPORT"); !r) return r.error();
  if (spec.broadcast)
    if (auto r = set_int(s, SOL_SOCKET, SO_BROADCAST, 1, "SO_BROADCAST"); !r) return r.error();
  if (spec.dont_route)
    if (auto r = set_int(s, SOL_SOCKET, SO_DONTROUTE, 1, "SO_DONTROUTE"); !r) return r.error();
  if (!spec.device.empty())
    if (auto r = set_device(s, spec.device); !r) return r.error();
  if (spec.bind_to && bind(s, spec.bind_to->get(), spec.bind_to->size()) != 0)
    return os_error(fmt::format("bind {}", spec.bind_to->to_string()));
  if (auto r = apply_multicast(s, spec); !r) return r.error();
  return fd;
}

Status finish_inherited_socket(int fd, const SocketSpec& spec, bool set_dev) {
  if (set_dev && !spec.device.empty())
    if (auto r = set_device(fd, spec.device); !r) return r;
  return apply_multicast(fd, spec);
}

}  // namespace vigil::io
