// Matching the sockets systemd passes to the media of ha.cf.
#include <catch2/catch.hpp>

#include "heartbeatd/io/inherited_sockets.h"

using namespace vigil::io;

namespace {

InheritedSocketInfo udp(std::string name, std::uint16_t port, std::string device = {}) {
  InheritedSocketInfo i;
  i.name = std::move(name);
  i.family = AF_INET;
  i.datagram = true;
  i.bound = SocketAddress::ipv4_any(port);
  i.device = std::move(device);
  return i;
}

ReceiveWant want(std::string device, std::uint16_t port = 694) {
  ReceiveWant w;
  w.link_name = device;
  w.spec.family = AF_INET;
  w.spec.device = device;
  w.spec.bind_to = SocketAddress::ipv4_any(port);
  return w;
}

}  // namespace

TEST_CASE("inherited: a socket bound to the medium's device and port serves it") {
  auto r = match_inherited({udp("unknown", 694, "eth1")}, {want("eth1")});
  REQUIRE(r.for_want[0].socket == std::optional<std::size_t>(0));
  CHECK_FALSE(r.for_want[0].set_device);
  CHECK(r.unused.empty());
}

TEST_CASE("inherited: a socket on no device named after the interface serves it, device set by us") {
  auto r = match_inherited({udp("eth1", 694)}, {want("eth1")});
  REQUIRE(r.for_want[0].socket == std::optional<std::size_t>(0));
  CHECK(r.for_want[0].set_device);
}

TEST_CASE("inherited: an unnamed socket on no device does not serve a device-bound medium") {
  auto r = match_inherited({udp("unknown", 694)}, {want("eth1")});
  CHECK_FALSE(r.for_want[0].socket.has_value());
  CHECK(r.unused == std::vector<std::size_t>{0});
}

TEST_CASE("inherited: a socket on another port or device is not used") {
  auto r = match_inherited({udp("eth1", 695, "eth1"), udp("x", 694, "eth2")}, {want("eth1")});
  CHECK_FALSE(r.for_want[0].socket.has_value());
  CHECK(r.unused.size() == 2);
}

TEST_CASE("inherited: a match by device is preferred over a match by name") {
  auto r = match_inherited({udp("eth1", 694), udp("other", 694, "eth1")}, {want("eth1")});
  CHECK(r.for_want[0].socket == std::optional<std::size_t>(1));
  CHECK(r.unused == std::vector<std::size_t>{0});
}

TEST_CASE("inherited: one socket serves two media on the same interface and port") {
  auto r = match_inherited({udp("unknown", 694, "eth1")}, {want("eth1"), want("eth1")});
  CHECK(r.for_want[0].socket == std::optional<std::size_t>(0));
  CHECK(r.for_want[1].socket == std::optional<std::size_t>(0));
}

TEST_CASE("inherited: a stream socket is neither matched nor reported unused") {
  InheritedSocketInfo control = udp("control", 694, "eth1");
  control.datagram = false;
  auto r = match_inherited({control}, {want("eth1")});
  CHECK_FALSE(r.for_want[0].socket.has_value());
  CHECK(r.unused.empty());
}

TEST_CASE("inherited: an IPv6 socket does not serve an IPv4 medium") {
  InheritedSocketInfo v6 = udp("eth1", 694, "eth1");
  v6.family = AF_INET6;
  v6.bound = SocketAddress::ipv6_any(694);
  auto r = match_inherited({v6}, {want("eth1")});
  CHECK_FALSE(r.for_want[0].socket.has_value());
}

TEST_CASE("inherited: the packaged socket named \"udp\" on no device is shared by media of any interface") {
  auto r = match_inherited({udp("udp", 694)}, {want("eth1"), want("eth2")});
  for (std::size_t w : {0u, 1u}) {
    REQUIRE(r.for_want[w].socket == std::optional<std::size_t>(0));
    CHECK(r.for_want[w].shared);
    CHECK_FALSE(r.for_want[w].set_device);  // one socket cannot be bound to two devices
  }
  CHECK(r.unused.empty());
}

TEST_CASE("inherited: a socket named after the interface is preferred over the shared one") {
  auto r = match_inherited({udp("udp", 694), udp("eth1", 694)}, {want("eth1")});
  CHECK(r.for_want[0].socket == std::optional<std::size_t>(1));
  CHECK_FALSE(r.for_want[0].shared);
  CHECK(r.unused == std::vector<std::size_t>{0});
}

TEST_CASE("inherited: the shared socket serves only media bound to its address and port") {
  auto r = match_inherited({udp("udp", 695)}, {want("eth1")});
  CHECK_FALSE(r.for_want[0].socket.has_value());
  CHECK(r.unused == std::vector<std::size_t>{0});
}
