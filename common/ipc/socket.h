// Unix SOCK_SEQPACKET sockets carrying one frame per datagram
// (frame_format.h). Every descriptor is created SOCK_CLOEXEC|SOCK_NONBLOCK.
// Thin, blocking-free calls; connection.h and server.h put them on the
// event loop.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/ipc/frame.h"
#include "common/result.h"
#include "common/unique_fd.h"

namespace vigil::ipc {

// Who is at the other end, as the kernel saw it when the connection was
// made (SO_PEERCRED): for a server, the connecting process; for a client,
// the process that called listen().
struct PeerCredentials {
  pid_t pid = 0;
  uid_t uid = 0;
  gid_t gid = 0;  // primary group only; peer_groups() gives the others
};

// Binds and listens on `path` with permissions `mode` (e.g. 0660). A stale
// socket file left by a dead server is removed; a live one (something
// accepts connections on it) or a path that is not a socket is an error.
Result<UniqueFd> listen(const std::string& path, mode_t mode);

// Connects to `path`. Fails at once if nothing listens or its backlog is
// full.
Result<UniqueFd> connect(const std::string& path);

// Accepts one pending connection; an invalid UniqueFd when none is pending.
Result<UniqueFd> accept(int listen_fd);

Result<PeerCredentials> peer_credentials(int fd);

// The peer's supplementary groups as the kernel recorded them when the
// connection was made (SO_PEERGROUPS, Linux 4.13): race-free, and needs no
// look at the peer's /proc entry (hidden from heartbeatd by the unit's
// ProtectProc=invisible).
Result<std::vector<gid_t>> peer_groups(int fd);

enum class IoStatus {
  kDone,        // the datagram was sent / a frame was received
  kWouldBlock,  // try again when the socket is writable / readable
  kClosed,      // the peer has gone
};

// Sends one datagram (an encoded frame) whole or not at all.
Result<IoStatus> send_datagram(int fd, ByteView datagram);

// encode_frame + send_datagram.
Result<IoStatus> send_frame(int fd, std::uint16_t type, ByteView payload);

struct Received {
  IoStatus status = IoStatus::kWouldBlock;
  Frame frame;  // set when status == kDone
};

// Receives one datagram and decodes it. A datagram larger than
// kMaxFrameSize (seen with MSG_TRUNC, never silently cut) and any frame
// decode_frame rejects are errors: the connection should be closed.
Result<Received> recv_frame(int fd);

}  // namespace vigil::ipc
