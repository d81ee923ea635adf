// mcast6 IF GROUP PORT HOPS LOOP (heartbeat-compat.md §2.4 mcast6 row):
// mcast over IPv6; the group is scoped to IF.
#include <fmt/format.h>

#include "heartbeatd/io/media_plans.h"

namespace vigil::io {

Result<MediumPlan> plan_mcast6(const conf::Medium& m, const InterfaceInfo& iface) {
  auto group = SocketAddress::parse(m.address, m.port);
  if (!group || !group->is_ipv6() || !group->is_multicast())
    return Error{fmt::format("mcast6 {}: [{}] is not an IPv6 multicast group", m.interface,
                             m.address)};
  const auto scope = static_cast<std::uint32_t>(iface.index);
  MediumPlan plan;
  plan.kind = m.kind;
  plan.link_name = iface.name;
  plan.destination = SocketAddress::ipv6(group->ipv6_address(), m.port, scope);

  plan.send.family = AF_INET6;
  plan.send.device = m.interface;
  plan.send.multicast_ifindex = iface.index;
  plan.send.multicast_hops = m.ttl;
  plan.send.multicast_loop = m.loop;

  plan.receive.family = AF_INET6;
  plan.receive.device = m.interface;
  plan.receive.reuse_addr = true;
  plan.receive.bind_to = SocketAddress::ipv6_any(m.port);
  plan.receive.join = MulticastMembership{plan.destination, iface.index};

  plan.started_text = fmt::format(
      "UDP multicast6 heartbeat started for group {} port {} interface {} (hops={} loop={})",
      group->host(), m.port, m.interface, m.ttl, m.loop ? 1 : 0);
  return plan;
}

}  // namespace vigil::io
