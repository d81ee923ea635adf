// ipd.sock: the socket heartbeatd connects to. Either systemd passed it
// (socket activation, FileDescriptorName=ipd in vigil-ipd.socket: a
// SOCK_SEQPACKET Unix listening socket; the unit sets path, mode and
// owner) or ipd creates it itself at `path` with mode 0660, owned by ipd's user (root)
// and, when `group` is given, by heartbeatd's group. The file permissions
// are a first gate; the PeerPolicy on every connection (server.h) is the
// real one.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "common/result.h"
#include "common/unique_fd.h"

namespace vigil::ipd {

inline constexpr mode_t kSocketMode = 0660;
// FileDescriptorName= of the passed socket.
inline constexpr const char* kActivatedSocketName = "ipd";

struct ListenSocket {
  UniqueFd fd;
  bool activated = false;  // from systemd
};

// Creates the socket's directory (0755) when missing. A passed socket that
// is not a listening SOCK_SEQPACKET Unix socket is an Error (a .socket
// unit with ListenStream= instead of ListenSequentialPacket=).
Result<ListenSocket> open_listen_socket(const std::string& path, std::optional<gid_t> group);

}  // namespace vigil::ipd
