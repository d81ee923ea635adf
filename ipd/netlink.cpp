#include "ipd/netlink.h"

#include <linux/if.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <sys/socket.h>

#include <algorithm>

namespace vigil::ipd::netlink {

void SockFree::operator()(nl_sock* s) const { nl_socket_free(s); }
void CacheFree::operator()(nl_cache* c) const { nl_cache_free(c); }
void AddrPut::operator()(nl_addr* a) const { nl_addr_put(a); }
void RtnlAddrPut::operator()(rtnl_addr* a) const { rtnl_addr_put(a); }

Error error(const std::string& what, int err) { return Error{what + ": " + nl_geterror(err)}; }

Result<Socket> connect_route() {
  Socket sock(nl_socket_alloc());
  if (!sock) return Error{"netlink: cannot allocate a socket"};
  if (const int err = nl_connect(sock.get(), NETLINK_ROUTE); err < 0)
    return error("netlink connect", err);
  return sock;
}

LinkInfo to_link_info(rtnl_link* link) {
  LinkInfo info;
  info.ifindex = rtnl_link_get_ifindex(link);
  if (const char* name = rtnl_link_get_name(link)) info.name = name;
  const unsigned flags = rtnl_link_get_flags(link);
  info.admin_up = (flags & IFF_UP) != 0;
  info.carrier = (flags & IFF_LOWER_UP) != 0;
  if (nl_addr* mac = rtnl_link_get_addr(link); mac != nullptr && nl_addr_get_len(mac) == 6) {
    const auto* b = static_cast<const std::uint8_t*>(nl_addr_get_binary_addr(mac));
    std::copy(b, b + 6, info.mac.begin());
    info.has_mac = true;
  }
  return info;
}

std::optional<AddressInfo> to_address_info(rtnl_addr* addr) {
  nl_addr* local = rtnl_addr_get_local(addr);
  if (local == nullptr) return std::nullopt;
  const auto ip = IpAddress::from_bytes(
      static_cast<const std::uint8_t*>(nl_addr_get_binary_addr(local)), nl_addr_get_len(local));
  if (!ip) return std::nullopt;
  AddressInfo info;
  info.ifindex = rtnl_addr_get_ifindex(addr);
  info.address = *ip;
  info.prefix_len = rtnl_addr_get_prefixlen(addr);
  info.flags = rtnl_addr_get_flags(addr);
  if (nl_addr* b = rtnl_addr_get_broadcast(addr); b != nullptr)
    info.broadcast = IpAddress::from_bytes(
        static_cast<const std::uint8_t*>(nl_addr_get_binary_addr(b)), nl_addr_get_len(b));
  if (const char* label = rtnl_addr_get_label(addr)) info.label = label;
  return info;
}

Addr to_nl_addr(const IpAddress& address, int prefix_len) {
  Addr a(nl_addr_build(address.is_v4() ? AF_INET : AF_INET6, address.data(), address.size()));
  if (a) nl_addr_set_prefixlen(a.get(), prefix_len);
  return a;
}

}  // namespace vigil::ipd::netlink
