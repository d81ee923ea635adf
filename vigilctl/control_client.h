// vigilctl's side of the control socket: one request, one reply, with an
// overall timeout (cl_status's 5 s, heartbeat-compat.md §7.2). Blocking;
// vigilctl has nothing else to do meanwhile.
#pragma once

#include <chrono>
#include <string>

#include "common/proto/control_messages.h"
#include "conf/config.h"

namespace vigil::ctl {

inline constexpr std::chrono::milliseconds kControlTimeout{5000};

// Why no reply came; each maps to its own cl_status exit code.
enum class Failure {
  kNotRunning,  // no socket, or nobody listening on it
  kRefused,     // permission denied on the socket file, or heartbeatd
                // closed the connection without answering (not permitted)
  kTimeout,     // no answer within the timeout
  kProtocol,    // an answer that does not decode, or of the wrong type
};

struct ClientError {
  Failure failure = Failure::kProtocol;
  std::string message;
};

struct Reply {
  bool ok = false;
  proto::control::Message message;  // when ok
  ClientError error;                // when !ok
};

// RUNTIME_DIR/control.sock.
std::string control_socket_path(const conf::Paths& paths);

// Connects, sends `request`, waits for one reply.
Reply ask(const std::string& socket_path, const proto::control::Message& request,
          std::chrono::milliseconds timeout = kControlTimeout);

}  // namespace vigil::ctl
