// mcast IF GROUP PORT TTL LOOP (heartbeat-compat.md §2.4 mcast row).
#include <fmt/format.h>

#include "heartbeatd/io/media_plans.h"

namespace vigil::io {

Result<MediumPlan> plan_mcast(const conf::Medium& m, const InterfaceInfo& iface) {
  auto group = SocketAddress::parse(m.address, m.port);
  if (!group || !group->is_ipv4() || !group->is_multicast())
    return Error{fmt::format("mcast {}: [{}] is not an IPv4 multicast group", m.interface,
                             m.address)};
  MediumPlan plan;
  plan.kind = m.kind;
  plan.link_name = iface.name;
  plan.destination = *group;

  plan.send.family = AF_INET;
  plan.send.device = m.interface;
  plan.send.multicast_ifindex = iface.index;
  plan.send.multicast_hops = m.ttl;
  plan.send.multicast_loop = m.loop;

  plan.receive.family = AF_INET;
  plan.receive.device = m.interface;
  plan.receive.reuse_addr = true;
  // Bound to the group: this socket hears that group only.
  plan.receive.bind_to = *group;
  plan.receive.join = MulticastMembership{*group, iface.index};

  plan.started_text =
      fmt::format("UDP multicast heartbeat started for group {} port {} interface {} (ttl={} loop={})",
                  group->host(), m.port, m.interface, m.ttl, m.loop ? 1 : 0);
  return plan;
}

}  // namespace vigil::io
