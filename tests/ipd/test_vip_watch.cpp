// Which kernel changes become events (ipd/vip_watch.h).
#include <catch2/catch.hpp>

#include "ipd/vip_watch.h"

using namespace vigil::ipd;

namespace {

IpAddress ip(const char* text) { return *IpAddress::parse(text); }

LinkInfo link(int ifindex, const char* name, bool up, bool carrier) {
  LinkInfo l;
  l.ifindex = ifindex;
  l.name = name;
  l.admin_up = up;
  l.carrier = carrier;
  return l;
}

ResolvedVip vip_on_eth1() {
  ResolvedVip v;
  v.address = ip("10.0.0.7");
  v.prefix_len = 24;
  v.ifindex = 3;
  v.interface = "eth1";
  return v;
}

AddressChange removal(const char* address, int ifindex) {
  AddressChange c;
  c.removed = true;
  c.address.ifindex = ifindex;
  c.address.address = ip(address);
  c.address.prefix_len = 24;
  return c;
}

VipWatch watching_eth1() {
  VipWatch w;
  KernelState k;
  k.links = {link(3, "eth1", true, true), link(4, "eth2", true, false)};
  w.reset(k);
  w.manage(vip_on_eth1());
  return w;
}

}  // namespace

TEST_CASE("watch: a managed VIP removed by someone else is an event naming it") {
  auto w = watching_eth1();
  const auto e = w.on_change(removal("10.0.0.7", 3));
  REQUIRE(e);
  CHECK(e->kind == WatchEvent::Kind::kVipRemoved);
  CHECK(e->address == ip("10.0.0.7"));
  CHECK(e->interface == "eth1");
  CHECK(e->describe() == "vip-removed 10.0.0.7 eth1");
  CHECK(std::string(e->event_id()) == "vip-removed");
}

TEST_CASE("watch: an address we do not manage disappearing is no event") {
  auto w = watching_eth1();
  CHECK_FALSE(w.on_change(removal("10.0.0.8", 3)));
}

TEST_CASE("watch: the same address removed from another interface is no event") {
  auto w = watching_eth1();
  CHECK_FALSE(w.on_change(removal("10.0.0.7", 4)));
}

TEST_CASE("watch: a VIP released by ipd itself (unmanaged first) raises nothing") {
  auto w = watching_eth1();
  w.unmanage(ip("10.0.0.7"));
  CHECK_FALSE(w.on_change(removal("10.0.0.7", 3)));
}

TEST_CASE("watch: an address added is no event") {
  auto w = watching_eth1();
  auto c = removal("10.0.0.7", 3);
  c.removed = false;
  CHECK_FALSE(w.on_change(c));
}

TEST_CASE("watch: losing carrier on a usable link is a link-down event") {
  auto w = watching_eth1();
  const auto e = w.on_change(LinkChange{false, link(3, "eth1", true, false)});
  REQUIRE(e);
  CHECK(e->kind == WatchEvent::Kind::kLinkDown);
  CHECK(e->describe() == "link-down eth1");
}

TEST_CASE("watch: a link gaining carrier is a link-up event") {
  auto w = watching_eth1();
  const auto e = w.on_change(LinkChange{false, link(4, "eth2", true, true)});
  REQUIRE(e);
  CHECK(e->kind == WatchEvent::Kind::kLinkUp);
}

TEST_CASE("watch: a link change that leaves it usable is no event") {
  auto w = watching_eth1();
  CHECK_FALSE(w.on_change(LinkChange{false, link(3, "eth1", true, true)}));
}

TEST_CASE("watch: a link down reported twice is one event") {
  auto w = watching_eth1();
  CHECK(w.on_change(LinkChange{false, link(3, "eth1", false, false)}));
  CHECK_FALSE(w.on_change(LinkChange{false, link(3, "eth1", false, false)}));
}

TEST_CASE("watch: a usable link that vanishes is a link-down event") {
  auto w = watching_eth1();
  const auto e = w.on_change(LinkChange{true, link(3, "eth1", true, true)});
  REQUIRE(e);
  CHECK(e->kind == WatchEvent::Kind::kLinkDown);
}

TEST_CASE("watch: a new link is a baseline, not an event") {
  auto w = watching_eth1();
  CHECK_FALSE(w.on_change(LinkChange{false, link(9, "eth9", true, true)}));
}

TEST_CASE("watch: lost notifications ask for a resync") {
  auto w = watching_eth1();
  const auto e = w.on_change(ChangesLost{});
  REQUIRE(e);
  CHECK(e->kind == WatchEvent::Kind::kResyncNeeded);
}
