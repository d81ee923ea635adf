// vigil-exporter's command line, parsed without side effects so that a
// test can check it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace vigil::exporter {

// heartbeatd's read-only socket as vigil-heartbeatd-status.socket places it.
inline constexpr const char* kDefaultStatusSocket = "/run/vigil-status/status.sock";

struct Options {
  std::string status_socket = kDefaultStatusSocket;  // --status-socket PATH
  // --listen ADDRESS:PORT ([v6]:port for IPv6); empty: the socket systemd
  // passes (vigil-exporter.socket), which is how the package runs it.
  std::string listen;
  bool help = false;
  bool version = false;
};

Result<Options> parse_options(const std::vector<std::string>& args);

// "127.0.0.1:9874" -> {"127.0.0.1", 9874}; "[::1]:9874" -> {"::1", 9874}.
struct HostPort {
  std::string host;
  std::uint16_t port = 0;
};
Result<HostPort> parse_listen(const std::string& text);

}  // namespace vigil::exporter
