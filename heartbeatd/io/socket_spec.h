// What one UDP socket of a medium must be: the socket options and the bind
// address, decided from ha.cf by the planners (media_plans.h) and applied
// by open_socket. Keeping the decision a plain value lets tests check the
// exact options of heartbeat-compat.md §2.4 without opening a socket, and
// lets an inherited socket (inherited_sockets.h) be compared with it.
#pragma once

#include <optional>
#include <string>

#include "common/result.h"
#include "common/unique_fd.h"
#include "heartbeatd/io/socket_address.h"

namespace vigil::io {

struct MulticastMembership {
  SocketAddress group;  // the port is ignored
  int ifindex = 0;      // IP_ADD_MEMBERSHIP (ip_mreqn) / IPV6_JOIN_GROUP

  // SocketSpec's == compares it (clang refuses the defaulted one without).
  friend bool operator==(const MulticastMembership&, const MulticastMembership&) = default;
};

struct SocketSpec {
  int family = AF_INET;
  std::string device;          // SO_BINDTODEVICE; empty: any interface
  bool broadcast = false;      // SO_BROADCAST
  bool dont_route = false;     // SO_DONTROUTE
  bool reuse_addr = false;     // SO_REUSEADDR
  bool reuse_port = false;     // SO_REUSEPORT
  std::optional<SocketAddress> bind_to;  // bind(); nullopt: left unbound
  std::optional<MulticastMembership> join;  // receive side of mcast/mcast6
  int multicast_ifindex = 0;   // IP_MULTICAST_IF / IPV6_MULTICAST_IF; 0: unset
  std::optional<int> multicast_hops;   // IP_MULTICAST_TTL / IPV6_MULTICAST_HOPS
  std::optional<bool> multicast_loop;  // IP_MULTICAST_LOOP / IPV6_MULTICAST_LOOP

  friend bool operator==(const SocketSpec&, const SocketSpec&) = default;
};

// Opens a non-blocking, close-on-exec UDP socket and applies `spec`: every
// option, then bind, then the multicast options and membership. A bound
// socket also gets IP_MULTICAST_ALL/IPV6_MULTICAST_ALL off: it hears only
// the groups it joined itself. Errors name the option
// or call that failed and the errno text.
Result<UniqueFd> open_socket(const SocketSpec& spec);

// Applies what an already bound socket (one systemd passed us) still needs:
// SO_BINDTODEVICE when `set_device` and the membership/multicast options.
Status finish_inherited_socket(int fd, const SocketSpec& spec, bool set_device);

}  // namespace vigil::io
