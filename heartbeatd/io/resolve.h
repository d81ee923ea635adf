// ucast/ucast6 peers are an address literal or a host name (heartbeat
// resolved them with gethostbyname; heartbeat-compat.md §2.4 ucast).
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"
#include "heartbeatd/io/socket_address.h"

namespace vigil::io {

// The first IPv4 address of `peer` (literal or name), with `port`.
Result<SocketAddress> resolve_ipv4(const std::string& peer, std::uint16_t port);

// The first IPv6 address of `peer`; "ADDR%SCOPE" takes an interface name or
// number as scope. A link-local address without a scope gets
// `default_scope` (the medium's interface index).
Result<SocketAddress> resolve_ipv6(const std::string& peer, std::uint16_t port,
                                   std::uint32_t default_scope);

}  // namespace vigil::io
