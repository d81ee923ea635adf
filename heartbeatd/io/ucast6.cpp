// ucast6 IF PEER6[%scope] (heartbeat-compat.md §2.4 ucast6 row): ucast over IPv6.
#include <fmt/format.h>

#include "heartbeatd/io/media_plans.h"

namespace vigil::io {

Result<MediumPlan> plan_ucast6(const conf::Medium& m, std::uint16_t udpport,
                               const InterfaceInfo& iface, const SocketAddress& peer) {
  if (!peer.is_ipv6() || peer.is_multicast() || peer.is_any())
    return Error{fmt::format("ucast6 {} {}: not an IPv6 unicast address", m.interface, m.address)};
  const std::uint16_t port = medium_port(m, udpport);
  MediumPlan plan;
  plan.kind = m.kind;
  plan.link_name = iface.name;
  plan.destination = SocketAddress::ipv6(peer.ipv6_address(), port, peer.scope_id());

  plan.send.family = AF_INET6;
  plan.send.device = m.interface;

  plan.receive.family = AF_INET6;
  plan.receive.device = m.interface;
  plan.receive.reuse_addr = true;
  plan.receive.reuse_port = true;
  plan.receive.bind_to = SocketAddress::ipv6_any(port);

  plan.started_text = fmt::format("ucast6: started on port {} interface {} to {}", port,
                                  m.interface, plan.destination.host());
  return plan;
}

}  // namespace vigil::io
