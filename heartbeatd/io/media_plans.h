// How each UDP medium of ha.cf becomes two sockets (heartbeat-compat.md
// §2.4, bcast/ucast/mcast/ucast6/mcast6 rows). A planner is pure: it takes
// the ha.cf line and what was learnt about the interface and the peer, and
// returns the exact sockets to open, the destination every message is sent
// to, and the line logged when the medium starts (§6.2 step 1). One
// planner per medium kind, each in its own .cpp (bcast.cpp, ucast.cpp, ...).
#pragma once

#include <string>

#include "common/result.h"
#include "conf/config.h"
#include "heartbeatd/io/interface_info.h"
#include "heartbeatd/io/socket_address.h"
#include "heartbeatd/io/socket_spec.h"

namespace vigil::io {

struct MediumPlan {
  conf::MediumKind kind = conf::MediumKind::kBcast;
  std::string link_name;     // = the interface, the name heartbeat logs
  SocketAddress destination;  // every message of this medium goes here
  SocketSpec send;
  SocketSpec receive;
  std::string started_text;  // e.g. "UDP Broadcast heartbeat started on port 694 (694) interface eth1"
};

// The UDP port of a bcast/ucast/ucast6 line: the udpport in force when the
// line was read (conf::Medium::port, §2.6), or `udpport` if the parser left 0.
std::uint16_t medium_port(const conf::Medium& m, std::uint16_t udpport);

// bcast IF: to IF's broadcast address, port udpport. Send: SO_BINDTODEVICE,
// SO_BROADCAST, SO_DONTROUTE. Receive: INADDR_ANY:port, SO_REUSEADDR,
// SO_BINDTODEVICE. Error if IF has no IPv4 broadcast address.
Result<MediumPlan> plan_bcast(const conf::Medium& m, std::uint16_t udpport,
                              const InterfaceInfo& iface);

// ucast IF PEER: to `peer` (resolved by the caller), port udpport, sent out
// of IF (SO_BINDTODEVICE). Receive: INADDR_ANY:port, SO_REUSEADDR,
// SO_REUSEPORT, SO_BINDTODEVICE.
Result<MediumPlan> plan_ucast(const conf::Medium& m, std::uint16_t udpport,
                              const InterfaceInfo& iface, const SocketAddress& peer);

// mcast IF GROUP PORT TTL LOOP: to GROUP:PORT. Send: SO_BINDTODEVICE,
// IP_MULTICAST_IF = IF, IP_MULTICAST_TTL = TTL, IP_MULTICAST_LOOP = LOOP.
// Receive: GROUP:PORT, SO_REUSEADDR, SO_BINDTODEVICE, IP_ADD_MEMBERSHIP of
// GROUP on IF. Error if GROUP is not an IPv4 multicast address.
Result<MediumPlan> plan_mcast(const conf::Medium& m, const InterfaceInfo& iface);

// ucast6 IF PEER6[%scope]: as ucast, over IPv6 (IPV6_V6ONLY).
Result<MediumPlan> plan_ucast6(const conf::Medium& m, std::uint16_t udpport,
                               const InterfaceInfo& iface, const SocketAddress& peer);

// mcast6 IF GROUP PORT HOPS LOOP: as mcast, over IPv6; the group's scope
// is IF. Receive bound to [::]:PORT on IF with IPV6_JOIN_GROUP.
Result<MediumPlan> plan_mcast6(const conf::Medium& m, const InterfaceInfo& iface);

// True for the kinds above (carried over UDP by io); false for serial and
// ping media.
bool is_udp_medium(conf::MediumKind kind);

}  // namespace vigil::io
