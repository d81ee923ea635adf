#include "heartbeatd/io/socket_address.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

#include <fmt/format.h>

namespace vigil::io {

SocketAddress SocketAddress::ipv4(in_addr address, std::uint16_t port) {
  SocketAddress a;
  auto* sin = reinterpret_cast<sockaddr_in*>(&a.storage_);
  sin->sin_family = AF_INET;
  sin->sin_addr = address;
  sin->sin_port = htons(port);
  a.length_ = sizeof(sockaddr_in);
  return a;
}

SocketAddress SocketAddress::ipv4_any(std::uint16_t port) {
  in_addr any{};
  any.s_addr = htonl(INADDR_ANY);
  return ipv4(any, port);
}

SocketAddress SocketAddress::ipv6(const in6_addr& address, std::uint16_t port,
                                  std::uint32_t scope_id) {
  SocketAddress a;
  auto* sin6 = reinterpret_cast<sockaddr_in6*>(&a.storage_);
  sin6->sin6_family = AF_INET6;
  sin6->sin6_addr = address;
  sin6->sin6_port = htons(port);
  sin6->sin6_scope_id = scope_id;
  a.length_ = sizeof(sockaddr_in6);
  return a;
}

SocketAddress SocketAddress::ipv6_any(std::uint16_t port) { return ipv6(in6addr_any, port); }

std::optional<SocketAddress> SocketAddress::from_sockaddr(const sockaddr* sa, socklen_t length) {
  if (sa == nullptr) return std::nullopt;
  if (sa->sa_family == AF_INET && length >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    sockaddr_in sin;
    std::memcpy(&sin, sa, sizeof sin);
    return ipv4(sin.sin_addr, ntohs(sin.sin_port));
  }
  if (sa->sa_family == AF_INET6 && length >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    sockaddr_in6 sin6;
    std::memcpy(&sin6, sa, sizeof sin6);
    return ipv6(sin6.sin6_addr, ntohs(sin6.sin6_port), sin6.sin6_scope_id);
  }
  return std::nullopt;
}

std::optional<SocketAddress> SocketAddress::parse(std::string_view literal, std::uint16_t port) {
  std::string text(literal);
  in_addr a4{};
  if (inet_pton(AF_INET, text.c_str(), &a4) == 1) return ipv4(a4, port);
  std::uint32_t scope = 0;
  if (auto pct = text.find('%'); pct != std::string::npos) {
    const std::string s = text.substr(pct + 1);
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), scope);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    text.resize(pct);
  }
  in6_addr a6{};
  if (inet_pton(AF_INET6, text.c_str(), &a6) == 1) return ipv6(a6, port, scope);
  return std::nullopt;
}

std::uint16_t SocketAddress::port() const {
  if (is_ipv4()) return ntohs(reinterpret_cast<const sockaddr_in*>(&storage_)->sin_port);
  if (is_ipv6()) return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_port);
  return 0;
}

std::uint32_t SocketAddress::scope_id() const {
  return is_ipv6() ? reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_scope_id : 0;
}

in_addr SocketAddress::ipv4_address() const {
  return reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr;
}

const in6_addr& SocketAddress::ipv6_address() const {
  return reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr;
}

bool SocketAddress::is_multicast() const {
  if (is_ipv4()) return IN_MULTICAST(ntohl(ipv4_address().s_addr));
  if (is_ipv6()) return IN6_IS_ADDR_MULTICAST(&ipv6_address());
  return false;
}

bool SocketAddress::is_any() const {
  if (is_ipv4()) return ipv4_address().s_addr == htonl(INADDR_ANY);
  if (is_ipv6()) return IN6_IS_ADDR_UNSPECIFIED(&ipv6_address());
  return false;
}

std::string SocketAddress::host() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (is_ipv4()) {
    const in_addr a = ipv4_address();
    inet_ntop(AF_INET, &a, buf, sizeof buf);
    return buf;
  }
  if (is_ipv6()) {
    inet_ntop(AF_INET6, &ipv6_address(), buf, sizeof buf);
    if (scope_id() != 0) return fmt::format("{}%{}", buf, scope_id());
    return buf;
  }
  return "(none)";
}

std::string SocketAddress::to_string() const {
  if (is_ipv6()) return fmt::format("[{}]:{}", host(), port());
  return fmt::format("{}:{}", host(), port());
}

bool operator==(const SocketAddress& a, const SocketAddress& b) {
  if (a.family() != b.family() || a.port() != b.port()) return false;
  if (a.is_ipv4()) return a.ipv4_address().s_addr == b.ipv4_address().s_addr;
  if (a.is_ipv6())
    return std::memcmp(&a.ipv6_address(), &b.ipv6_address(), sizeof(in6_addr)) == 0 &&
           a.scope_id() == b.scope_id();
  return true;
}

}  // namespace vigil::io
