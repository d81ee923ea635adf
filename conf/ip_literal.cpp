#include "conf/ip_literal.h"

#include <arpa/inet.h>

namespace vigil::conf {

std::optional<in_addr> parse_ipv4(std::string_view text) {
  const std::string s(text);
  in_addr a{};
  if (::inet_pton(AF_INET, s.c_str(), &a) != 1) return std::nullopt;
  return a;
}

std::optional<in6_addr> parse_ipv6(std::string_view text) {
  const std::string s(text);
  in6_addr a{};
  if (::inet_pton(AF_INET6, s.c_str(), &a) != 1) return std::nullopt;
  return a;
}

bool is_interface_name(std::string_view name) {
  // IFNAMSIZ is 16 including the terminating NUL.
  if (name.empty() || name.size() > 15) return false;
  return name.find_first_of("/ \t") == std::string_view::npos;
}

}  // namespace vigil::conf
