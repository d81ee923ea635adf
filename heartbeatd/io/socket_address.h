// An IPv4 or IPv6 socket address (address, port, IPv6 scope id), the value
// the transports send to, bind to and report as a datagram's sender.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::io {

class SocketAddress {
 public:
  SocketAddress() = default;  // family AF_UNSPEC: "no address"

  static SocketAddress ipv4(in_addr address, std::uint16_t port);
  static SocketAddress ipv4_any(std::uint16_t port);
  static SocketAddress ipv6(const in6_addr& address, std::uint16_t port,
                            std::uint32_t scope_id = 0);
  static SocketAddress ipv6_any(std::uint16_t port);

  // From what recvfrom/getsockname filled in; nullopt for other families.
  static std::optional<SocketAddress> from_sockaddr(const sockaddr* sa, socklen_t length);

  // A numeric literal: "192.0.2.1", "2001:db8::1", "fe80::1%3" (numeric
  // scope only; interface-name scopes are resolved by resolve.h).
  static std::optional<SocketAddress> parse(std::string_view literal, std::uint16_t port);

  int family() const { return storage_.ss_family; }
  bool is_ipv4() const { return family() == AF_INET; }
  bool is_ipv6() const { return family() == AF_INET6; }
  std::uint16_t port() const;
  std::uint32_t scope_id() const;  // 0 for IPv4
  in_addr ipv4_address() const;    // requires is_ipv4()
  const in6_addr& ipv6_address() const;  // requires is_ipv6()
  bool is_multicast() const;
  bool is_any() const;  // INADDR_ANY / in6addr_any

  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage_); }
  socklen_t size() const { return length_; }

  // "192.0.2.1", "2001:db8::1", "fe80::1%3".
  std::string host() const;
  // "192.0.2.1:694", "[2001:db8::1]:694".
  std::string to_string() const;

  // Same family, address, port and scope id.
  friend bool operator==(const SocketAddress& a, const SocketAddress& b);

 private:
  sockaddr_storage storage_{};
  socklen_t length_ = 0;
};

}  // namespace vigil::io
