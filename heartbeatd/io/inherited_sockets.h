// Sockets systemd passes to heartbeatd (socket activation, sd_listen_fds):
// how heartbeatd, started as `hacluster` with no capabilities, still
// listens on udpport 694 (architecture.md, Processes and trust).
//
// Each inherited UDP socket stands for the receive socket of one or more
// media. It matches a medium when its family and bound address and port are
// the ones the medium's receive socket would bind, and either
//   - it is bound to the medium's interface (socket unit BindToDevice=), or
//   - it is bound to no device and its FileDescriptorName= is the
//     interface name; heartbeatd then sets SO_BINDTODEVICE itself, or
//   - it is bound to no device and named kSharedSocketName ("udp", as in
//     the packaged vigil-heartbeatd-udp.socket, which cannot know the
//     interfaces): it is shared by every such medium, whatever its
//     interface, and each datagram is given to the link it arrived on
//     (IP_PKTINFO / IPV6_RECVPKTINFO; udp_medium.h).
// Device beats name, name beats shared. One inherited socket may serve
// several media (two ucast lines on one interface).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"
#include "heartbeatd/io/socket_address.h"
#include "heartbeatd/io/socket_spec.h"

namespace vigil::io {

inline constexpr const char* kSharedSocketName = "udp";

struct InheritedSocketInfo {
  std::string name;             // FileDescriptorName=, "unknown" if unnamed
  int family = AF_UNSPEC;
  bool datagram = false;        // SOCK_DGRAM
  std::optional<SocketAddress> bound;  // getsockname
  std::string device;           // SO_BINDTODEVICE, empty if none
};

struct InheritedSocket {
  UniqueFd fd;
  InheritedSocketInfo info;
};

// Takes every descriptor passed by systemd (and unsets LISTEN_FDS etc. so
// children do not see them), marks them close-on-exec and non-blocking,
// and describes them. None passed: an empty vector.
Result<std::vector<InheritedSocket>> take_inherited_sockets();

// Describes an open socket (used by take_inherited_sockets; for tests).
InheritedSocketInfo describe_socket(int fd, std::string name);

struct ReceiveWant {
  std::string link_name;
  SocketSpec spec;  // the receive socket the medium would open itself
};

struct InheritedMatch {
  std::optional<std::size_t> socket;  // index into `have`; nullopt: open one
  bool set_device = false;            // matched by name: SO_BINDTODEVICE needed
  bool shared = false;                // kSharedSocketName: tell links by arrival
};

struct MatchResult {
  std::vector<InheritedMatch> for_want;  // one per `want`, same order
  std::vector<std::size_t> unused;       // datagram sockets no medium wants
};

MatchResult match_inherited(const std::vector<InheritedSocketInfo>& have,
                            const std::vector<ReceiveWant>& want);

}  // namespace vigil::io
