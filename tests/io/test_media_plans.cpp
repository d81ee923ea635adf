// The sockets each ha.cf medium line becomes (heartbeat-compat.md §2.4)
// and the start lines it logs (§6.2 step 1).
#include <arpa/inet.h>

#include <catch2/catch.hpp>

#include "heartbeatd/io/media_plans.h"

using namespace vigil;
using namespace vigil::io;

namespace {

in_addr v4(const char* text) {
  in_addr a{};
  inet_pton(AF_INET, text, &a);
  return a;
}

InterfaceInfo eth1() {
  InterfaceInfo i;
  i.name = "eth1";
  i.index = 7;
  i.ipv4 = v4("192.0.2.1");
  i.broadcast = v4("192.0.2.255");
  return i;
}

conf::Medium line(conf::MediumKind kind, std::string address = {}, std::uint16_t port = 694) {
  conf::Medium m;
  m.kind = kind;
  m.interface = "eth1";
  m.address = std::move(address);
  m.port = port;
  return m;
}

}  // namespace

TEST_CASE("bcast: sends to the interface's broadcast address on udpport") {
  auto plan = plan_bcast(line(conf::MediumKind::kBcast), 694, eth1());
  REQUIRE(plan.ok());
  CHECK(plan->destination.to_string() == "192.0.2.255:694");
  CHECK(plan->link_name == "eth1");
}

TEST_CASE("bcast: the send socket is bound to the device with SO_BROADCAST and SO_DONTROUTE") {
  auto plan = plan_bcast(line(conf::MediumKind::kBcast), 694, eth1());
  REQUIRE(plan.ok());
  CHECK(plan->send.device == "eth1");
  CHECK(plan->send.broadcast);
  CHECK(plan->send.dont_route);
  CHECK_FALSE(plan->send.bind_to.has_value());
}

TEST_CASE("bcast: receives on INADDR_ANY:udpport with SO_REUSEADDR on the device only") {
  auto plan = plan_bcast(line(conf::MediumKind::kBcast), 694, eth1());
  REQUIRE(plan.ok());
  REQUIRE(plan->receive.bind_to.has_value());
  CHECK(plan->receive.bind_to->to_string() == "0.0.0.0:694");
  CHECK(plan->receive.reuse_addr);
  CHECK_FALSE(plan->receive.reuse_port);
  CHECK(plan->receive.device == "eth1");
}

TEST_CASE("bcast: logs heartbeat's start line") {
  auto plan = plan_bcast(line(conf::MediumKind::kBcast), 694, eth1());
  REQUIRE(plan.ok());
  CHECK(plan->started_text == "UDP Broadcast heartbeat started on port 694 (694) interface eth1");
}

TEST_CASE("bcast: an interface without a broadcast address is an error naming it") {
  InterfaceInfo i = eth1();
  i.broadcast.reset();
  auto plan = plan_bcast(line(conf::MediumKind::kBcast), 694, i);
  REQUIRE_FALSE(plan.ok());
  CHECK_THAT(plan.error().message, Catch::Contains("eth1"));
}

TEST_CASE("medium port: the udpport captured with the line wins over the final udpport") {
  auto plan = plan_bcast(line(conf::MediumKind::kBcast, {}, 1694), 694, eth1());
  REQUIRE(plan.ok());
  CHECK(plan->destination.port() == 1694);
  CHECK(medium_port(line(conf::MediumKind::kBcast, {}, 0), 695) == 695);
}

TEST_CASE("ucast: sends to the peer on udpport out of the interface") {
  auto peer = SocketAddress::parse("192.0.2.2", 0);
  auto plan = plan_ucast(line(conf::MediumKind::kUcast, "192.0.2.2"), 694, eth1(), *peer);
  REQUIRE(plan.ok());
  CHECK(plan->destination.to_string() == "192.0.2.2:694");
  CHECK(plan->send.device == "eth1");
  CHECK_FALSE(plan->send.broadcast);
}

TEST_CASE("ucast: receives on INADDR_ANY:udpport with SO_REUSEADDR and SO_REUSEPORT") {
  auto peer = SocketAddress::parse("192.0.2.2", 0);
  auto plan = plan_ucast(line(conf::MediumKind::kUcast, "192.0.2.2"), 694, eth1(), *peer);
  REQUIRE(plan.ok());
  CHECK(plan->receive.bind_to->to_string() == "0.0.0.0:694");
  CHECK(plan->receive.reuse_addr);
  CHECK(plan->receive.reuse_port);
  CHECK(plan->receive.device == "eth1");
}

TEST_CASE("ucast: logs heartbeat's start line with the peer address") {
  conf::Medium m = line(conf::MediumKind::kUcast, "127.0.0.1");
  m.interface = "lo";
  InterfaceInfo lo = eth1();
  lo.name = "lo";
  auto plan = plan_ucast(m, 694, lo, *SocketAddress::parse("127.0.0.1", 0));
  REQUIRE(plan.ok());
  CHECK(plan->started_text == "ucast: started on port 694 interface lo to 127.0.0.1");
}

TEST_CASE("ucast: a broadcast-range or multicast peer is refused") {
  auto group = SocketAddress::parse("239.1.1.1", 0);
  CHECK_FALSE(plan_ucast(line(conf::MediumKind::kUcast, "239.1.1.1"), 694, eth1(), *group).ok());
}

TEST_CASE("mcast: sends to GROUP:PORT with the configured interface, TTL and loop") {
  conf::Medium m = line(conf::MediumKind::kMcast, "239.0.0.42", 1694);
  m.ttl = 3;
  m.loop = true;
  auto plan = plan_mcast(m, eth1());
  REQUIRE(plan.ok());
  CHECK(plan->destination.to_string() == "239.0.0.42:1694");
  CHECK(plan->send.multicast_ifindex == 7);
  CHECK(plan->send.multicast_hops == 3);
  CHECK(plan->send.multicast_loop == true);
  CHECK(plan->send.device == "eth1");
}

TEST_CASE("mcast: receives bound to the group and joins it on the interface") {
  auto plan = plan_mcast(line(conf::MediumKind::kMcast, "239.0.0.42", 1694), eth1());
  REQUIRE(plan.ok());
  CHECK(plan->receive.bind_to->to_string() == "239.0.0.42:1694");
  REQUIRE(plan->receive.join.has_value());
  CHECK(plan->receive.join->group.host() == "239.0.0.42");
  CHECK(plan->receive.join->ifindex == 7);
  CHECK(plan->receive.reuse_addr);
}

TEST_CASE("mcast: logs group, port, interface, ttl and loop") {
  conf::Medium m = line(conf::MediumKind::kMcast, "225.0.0.1", 694);
  m.ttl = 1;
  auto plan = plan_mcast(m, eth1());
  REQUIRE(plan.ok());
  CHECK(plan->started_text ==
        "UDP multicast heartbeat started for group 225.0.0.1 port 694 interface eth1 (ttl=1 loop=0)");
}

TEST_CASE("mcast: a unicast group address is an error") {
  CHECK_FALSE(plan_mcast(line(conf::MediumKind::kMcast, "192.0.2.9"), eth1()).ok());
}

TEST_CASE("ucast6: an IPv6-only socket pair to the peer on udpport") {
  auto peer = SocketAddress::parse("2001:db8::2", 0);
  auto plan = plan_ucast6(line(conf::MediumKind::kUcast6, "2001:db8::2"), 694, eth1(), *peer);
  REQUIRE(plan.ok());
  CHECK(plan->destination.to_string() == "[2001:db8::2]:694");
  CHECK(plan->send.family == AF_INET6);
  CHECK(plan->receive.bind_to->to_string() == "[::]:694");
  CHECK(plan->receive.reuse_port);
  CHECK(plan->started_text == "ucast6: started on port 694 interface eth1 to 2001:db8::2");
}

TEST_CASE("mcast6: the group gets the interface as scope and is joined there") {
  conf::Medium m = line(conf::MediumKind::kMcast6, "ff02::1:694", 1694);
  m.ttl = 2;
  auto plan = plan_mcast6(m, eth1());
  REQUIRE(plan.ok());
  CHECK(plan->destination.scope_id() == 7);
  CHECK(plan->destination.port() == 1694);
  CHECK(plan->send.multicast_hops == 2);
  REQUIRE(plan->receive.join.has_value());
  CHECK(plan->receive.join->ifindex == 7);
}

TEST_CASE("media kinds: only the five UDP kinds are opened by io") {
  CHECK(is_udp_medium(conf::MediumKind::kBcast));
  CHECK(is_udp_medium(conf::MediumKind::kMcast6));
  CHECK_FALSE(is_udp_medium(conf::MediumKind::kSerial));
  CHECK_FALSE(is_udp_medium(conf::MediumKind::kPing));
}
