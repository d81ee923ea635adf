#include "ipd/address_manager.h"

#include <linux/if_addr.h>
#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <sys/socket.h>

#include "common/log.h"
#include "ipd/sysctl.h"

namespace vigil::ipd {

Result<std::unique_ptr<AddressManager>> AddressManager::open() {
  auto sock = netlink::connect_route();
  if (!sock) return sock.error();
  return std::unique_ptr<AddressManager>(new AddressManager(std::move(sock).value()));
}

Result<std::vector<AddressInfo>> AddressManager::list() {
  nl_cache* raw = nullptr;
  if (const int err = rtnl_addr_alloc_cache(sock_.get(), &raw); err < 0)
    return netlink::error("reading addresses", err);
  const netlink::Cache cache(raw);
  std::vector<AddressInfo> out;
  for (nl_object* o = nl_cache_get_first(raw); o != nullptr; o = nl_cache_get_next(o))
    if (auto a = netlink::to_address_info(reinterpret_cast<rtnl_addr*>(o))) out.push_back(*a);
  return out;
}

Result<KernelState> AddressManager::read_state() {
  KernelState state;
  nl_cache* raw = nullptr;
  if (const int err = rtnl_link_alloc_cache(sock_.get(), AF_UNSPEC, &raw); err < 0)
    return netlink::error("reading links", err);
  const netlink::Cache links(raw);
  for (nl_object* o = nl_cache_get_first(raw); o != nullptr; o = nl_cache_get_next(o))
    state.links.push_back(netlink::to_link_info(reinterpret_cast<rtnl_link*>(o)));
  auto addresses = list();
  if (!addresses) return addresses.error();
  state.addresses = std::move(addresses).value();
  return state;
}

namespace {

Result<netlink::RtnlAddr> request_for(const ResolvedVip& vip, int prefix_len) {
  netlink::RtnlAddr a(rtnl_addr_alloc());
  auto local = netlink::to_nl_addr(vip.address, prefix_len);
  if (!a || !local) return Error{"out of memory"};
  rtnl_addr_set_ifindex(a.get(), vip.ifindex);
  rtnl_addr_set_family(a.get(), vip.address.is_v4() ? AF_INET : AF_INET6);
  if (const int err = rtnl_addr_set_local(a.get(), local.get()); err < 0)
    return netlink::error(vip.describe(), err);
  rtnl_addr_set_prefixlen(a.get(), prefix_len);
  return a;
}

}  // namespace

Result<AddOutcome> AddressManager::add(const ResolvedVip& vip) {
  auto present = list();
  if (!present) return present.error();
  for (const auto& a : *present) {
    if (!(a.address == vip.address)) continue;
    if (a.ifindex == vip.ifindex && a.prefix_len == vip.prefix_len)
      return AddOutcome::kAlreadyPresent;
    return Error{"adding " + vip.describe() + ": " + vip.address.to_string() +
                 " is already configured with prefix " + std::to_string(a.prefix_len) +
                 " on ifindex " + std::to_string(a.ifindex)};
  }

  auto req = request_for(vip, vip.prefix_len);
  if (!req) return req.error();
  rtnl_addr* a = req->get();
  if (vip.broadcast) {
    auto b = netlink::to_nl_addr(*vip.broadcast, 32);
    if (!b) return Error{"out of memory"};
    if (const int err = rtnl_addr_set_broadcast(a, b.get()); err < 0)
      return netlink::error(vip.describe(), err);
  }
  if (!vip.label.empty())
    if (const int err = rtnl_addr_set_label(a, vip.label.c_str()); err < 0)
      return netlink::error(vip.describe() + " label " + vip.label, err);
  // Without NODAD a fresh IPv6 VIP is tentative for about a second and
  // cannot be used as a source; the previous owner is gone or going, and a
  // duplicate left in `dadfailed` would be unreachable (field-notes A6).
  if (!vip.address.is_v4()) rtnl_addr_set_flags(a, IFA_F_NODAD);

  const int err = rtnl_addr_add(sock_.get(), a, NLM_F_CREATE | NLM_F_EXCL);
  if (err == -NLE_EXIST) return AddOutcome::kAlreadyPresent;  // raced with another adder
  if (err < 0) return netlink::error("adding " + vip.describe(), err);
  return AddOutcome::kAdded;
}

Result<RemoveOutcome> AddressManager::remove(const ResolvedVip& vip) {
  auto present = list();
  if (!present) return present.error();
  const AddressInfo* found = nullptr;
  for (const auto& a : *present)
    if (a.ifindex == vip.ifindex && a.address == vip.address) found = &a;
  if (found == nullptr) return RemoveOutcome::kAlreadyAbsent;

  if (vip.address.is_v4() && (found->flags & IFA_F_SECONDARY) == 0)
    if (const Status st = enable_promote_secondaries(vip.interface); !st)
      log::warn("removing " + vip.describe() + ": " + st.error().message +
                "; other addresses of its subnet may go with it");

  auto req = request_for(vip, found->prefix_len);
  if (!req) return req.error();
  const int err = rtnl_addr_delete(sock_.get(), req->get(), 0);
  if (err == -NLE_NOADDR || err == -NLE_OBJ_NOTFOUND) return RemoveOutcome::kAlreadyAbsent;
  if (err < 0) return netlink::error("removing " + vip.describe(), err);
  return RemoveOutcome::kRemoved;
}

}  // namespace vigil::ipd
