// bcast IF (heartbeat-compat.md §2.4 bcast row).
#include <fmt/format.h>

#include "heartbeatd/io/media_plans.h"

namespace vigil::io {

Result<MediumPlan> plan_bcast(const conf::Medium& m, std::uint16_t udpport,
                              const InterfaceInfo& iface) {
  if (!iface.broadcast)
    return Error{fmt::format("bcast {}: interface has no IPv4 broadcast address", m.interface)};
  const std::uint16_t port = medium_port(m, udpport);
  MediumPlan plan;
  plan.kind = m.kind;
  plan.link_name = m.interface;
  plan.destination = SocketAddress::ipv4(*iface.broadcast, port);

  plan.send.family = AF_INET;
  plan.send.device = m.interface;
  plan.send.broadcast = true;
  // A broadcast must never leave by another interface through a route.
  plan.send.dont_route = true;

  plan.receive.family = AF_INET;
  plan.receive.device = m.interface;
  plan.receive.reuse_addr = true;  // several media may listen on udpport
  plan.receive.bind_to = SocketAddress::ipv4_any(port);

  // heartbeat prints the local port and the configured one (§6.2 step 1).
  plan.started_text = fmt::format("UDP Broadcast heartbeat started on port {} ({}) interface {}",
                                  port, port, m.interface);
  return plan;
}

}  // namespace vigil::io
