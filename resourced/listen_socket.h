// resourced.sock: the socket heartbeatd connects to. Either systemd passed
// it (socket activation, sd_listen_fds: one SOCK_SEQPACKET Unix listening
// socket; its unit sets path, mode and group) or resourced creates it
// itself at `path` with mode 0660, owned by root and, when `group` is
// given, by heartbeatd's group — the file permissions are a first gate,
// the PeerPolicy on every connection (server.h) is the real one.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "common/result.h"
#include "common/unique_fd.h"

namespace vigil::resourced {

inline constexpr mode_t kSocketMode = 0660;

struct ListenSocket {
  UniqueFd fd;
  bool activated = false;  // from systemd
};

// Creates the socket's directory (0755) when missing.
Result<ListenSocket> open_listen_socket(const std::string& path, std::optional<gid_t> group);

}  // namespace vigil::resourced
