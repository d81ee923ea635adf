#include "heartbeatd/io/resolve.h"

#include <net/if.h>
#include <netdb.h>

#include <memory>

#include <fmt/format.h>

namespace vigil::io {
namespace {

Result<SocketAddress> lookup(const std::string& host, int family, std::uint16_t port) {
  addrinfo hints{};
  hints.ai_family = family;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* found = nullptr;
  if (int rc = getaddrinfo(host.c_str(), nullptr, &hints, &found); rc != 0)
    return Error{fmt::format("cannot resolve [{}]: {}", host, gai_strerror(rc))};
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owner(found, freeaddrinfo);
  for (auto* ai = found; ai != nullptr; ai = ai->ai_next) {
    auto a = SocketAddress::from_sockaddr(ai->ai_addr, ai->ai_addrlen);
    if (a && a->family() == family) {
      if (family == AF_INET) return SocketAddress::ipv4(a->ipv4_address(), port);
      return SocketAddress::ipv6(a->ipv6_address(), port, a->scope_id());
    }
  }
  return Error{fmt::format("[{}] has no {} address", host, family == AF_INET ? "IPv4" : "IPv6")};
}

}  // namespace

Result<SocketAddress> resolve_ipv4(const std::string& peer, std::uint16_t port) {
  if (auto literal = SocketAddress::parse(peer, port); literal && literal->is_ipv4())
    return *literal;
  return lookup(peer, AF_INET, port);
}

Result<SocketAddress> resolve_ipv6(const std::string& peer, std::uint16_t port,
                                   std::uint32_t default_scope) {
  std::string host = peer;
  std::uint32_t scope = 0;
  if (auto pct = peer.find('%'); pct != std::string::npos) {
    host = peer.substr(0, pct);
    const std::string name = peer.substr(pct + 1);
    scope = if_nametoindex(name.c_str());
    if (scope == 0) {
      auto numeric = SocketAddress::parse("::%" + name, 0);
      if (!numeric) return Error{fmt::format("[{}]: unknown scope [{}]", peer, name)};
      scope = numeric->scope_id();
    }
  }
  auto found = lookup(host, AF_INET6, port);
  if (!found) return found;
  const in6_addr a = found->ipv6_address();
  if (scope == 0) scope = found->scope_id();
  if (scope == 0 && (IN6_IS_ADDR_LINKLOCAL(&a) || IN6_IS_ADDR_MC_LINKLOCAL(&a)))
    scope = default_scope;
  return SocketAddress::ipv6(a, port, scope);
}

}  // namespace vigil::io
