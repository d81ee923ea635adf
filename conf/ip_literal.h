// Address literal checks shared by ha.cf media and haresources IP specs.
#pragma once

#include <netinet/in.h>

#include <optional>
#include <string>
#include <string_view>

namespace vigil::conf {

// Dotted-quad IPv4 (inet_pton rules: exactly four decimal parts).
std::optional<in_addr> parse_ipv4(std::string_view text);
std::optional<in6_addr> parse_ipv6(std::string_view text);

// A Linux interface name: 1–15 bytes, no '/', no blanks.
bool is_interface_name(std::string_view name);

}  // namespace vigil::conf
