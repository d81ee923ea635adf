// ucast IF PEER (heartbeat-compat.md §2.4 ucast row).
#include <fmt/format.h>

#include "heartbeatd/io/media_plans.h"

namespace vigil::io {

Result<MediumPlan> plan_ucast(const conf::Medium& m, std::uint16_t udpport,
                              const InterfaceInfo& iface, const SocketAddress& peer) {
  if (!peer.is_ipv4() || peer.is_multicast() || peer.is_any())
    return Error{fmt::format("ucast {} {}: not an IPv4 unicast address", m.interface, m.address)};
  const std::uint16_t port = medium_port(m, udpport);
  MediumPlan plan;
  plan.kind = m.kind;
  plan.link_name = iface.name;
  plan.destination = SocketAddress::ipv4(peer.ipv4_address(), port);

  plan.send.family = AF_INET;
  plan.send.device = m.interface;

  plan.receive.family = AF_INET;
  plan.receive.device = m.interface;
  plan.receive.reuse_addr = true;
  // One ucast line per peer, all listening on udpport of the same interface.
  plan.receive.reuse_port = true;
  plan.receive.bind_to = SocketAddress::ipv4_any(port);

  plan.started_text = fmt::format("ucast: started on port {} interface {} to {}", port,
                                  m.interface, plan.destination.host());
  return plan;
}

}  // namespace vigil::io
