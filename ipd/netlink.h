// libnl-route glue shared by AddressManager and NetlinkWatcher: owning
// pointers for libnl objects and the conversions from libnl's objects to
// ipd's plain data (kernel_state.h). Internal to ipd/.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/result.h"
#include "ipd/kernel_state.h"

struct nl_sock;
struct nl_cache;
struct nl_addr;
struct rtnl_addr;
struct rtnl_link;

namespace vigil::ipd::netlink {

struct SockFree {
  void operator()(nl_sock* s) const;
};
struct CacheFree {
  void operator()(nl_cache* c) const;
};
struct AddrPut {
  void operator()(nl_addr* a) const;
};
struct RtnlAddrPut {
  void operator()(rtnl_addr* a) const;
};

using Socket = std::unique_ptr<nl_sock, SockFree>;
using Cache = std::unique_ptr<nl_cache, CacheFree>;
using Addr = std::unique_ptr<nl_addr, AddrPut>;
using RtnlAddr = std::unique_ptr<rtnl_addr, RtnlAddrPut>;

// A NETLINK_ROUTE socket, connected.
Result<Socket> connect_route();

// "what: libnl's message for err" (err is libnl's negative code).
Error error(const std::string& what, int err);

LinkInfo to_link_info(rtnl_link* link);
// nullopt for an address without a local address or of another family.
std::optional<AddressInfo> to_address_info(rtnl_addr* addr);

// An nl_addr holding `address`, with prefix length `prefix_len`.
Addr to_nl_addr(const IpAddress& address, int prefix_len);

}  // namespace vigil::ipd::netlink
