// Resolution of haresources IP entries against a hand-built kernel state
// (heartbeat-compat.md §3.1).
#include <catch2/catch.hpp>

#include "ipd/resolve.h"

using namespace vigil;
using namespace vigil::ipd;

namespace {

IpAddress ip(const char* text) { return *IpAddress::parse(text); }

// lo 127.0.0.1/8; eth0 (ifindex 2) 192.168.1.10/24; eth1 (3) 10.0.0.2/24
// and 10.0.0.130/25; eth2 (4) 2001:db8:1::2/64 and fe80::1/64.
KernelState host() {
  KernelState k;
  k.links = {{1, "lo", true, true, {}, false},
             {2, "eth0", true, true, {0x02, 0, 0, 0, 0, 0x10}, true},
             {3, "eth1", true, true, {0x02, 0, 0, 0, 0, 0x11}, true},
             {4, "eth2", true, true, {0x02, 0, 0, 0, 0, 0x12}, true}};
  k.addresses = {{1, ip("127.0.0.1"), 8, std::nullopt, "lo", 0},
                 {2, ip("192.168.1.10"), 24, ip("192.168.1.255"), "eth0", 0},
                 {3, ip("10.0.0.2"), 24, ip("10.0.0.255"), "eth1", 0},
                 {3, ip("10.0.0.130"), 25, ip("10.0.0.255"), "eth1", 0},
                 {4, ip("2001:db8:1::2"), 64, std::nullopt, "", 0},
                 {4, ip("fe80::1"), 64, std::nullopt, "", 0}};
  return k;
}

conf::IpSpec spec(const char* address, std::optional<int> bits = std::nullopt,
                  std::optional<std::string> nic = std::nullopt,
                  std::optional<std::string> broadcast = std::nullopt,
                  std::optional<std::string> label = std::nullopt) {
  conf::IpSpec s;
  s.address = address;
  s.ipv6 = std::string(address).find(':') != std::string::npos;
  s.cidr_bits = bits;
  s.nic = std::move(nic);
  s.broadcast = std::move(broadcast);
  s.label = std::move(label);
  return s;
}

ResolvedVip must_resolve(const conf::IpSpec& s, VipForm form, const KernelState& k = host()) {
  auto r = resolve_vip(s, form, k);
  INFO((r ? std::string() : r.error().message));
  REQUIRE(r.ok());
  return *r;
}

}  // namespace

TEST_CASE("resolve: a bare IP takes the interface and prefix of the subnet holding it") {
  const auto v = must_resolve(spec("192.168.1.50"), VipForm::kIpAddr);
  CHECK(v.interface == "eth0");
  CHECK(v.ifindex == 2);
  CHECK(v.prefix_len == 24);
}

TEST_CASE("resolve: a bare IPv4 gets the highest address of its subnet as broadcast") {
  const auto v = must_resolve(spec("192.168.1.50"), VipForm::kIpAddr);
  REQUIRE(v.broadcast);
  CHECK(v.broadcast->to_string() == "192.168.1.255");
}

TEST_CASE("resolve: the longest matching subnet wins when several hold the VIP") {
  const auto v = must_resolve(spec("10.0.0.200"), VipForm::kIpAddr);
  CHECK(v.interface == "eth1");
  CHECK(v.prefix_len == 25);
  CHECK(v.broadcast->to_string() == "10.0.0.255");
}

TEST_CASE("resolve: IP/24 keeps the given prefix and finds the interface by subnet") {
  const auto v = must_resolve(spec("192.168.1.50", 26), VipForm::kIpAddr);
  CHECK(v.interface == "eth0");
  CHECK(v.prefix_len == 26);
  CHECK(v.broadcast->to_string() == "192.168.1.63");
}

TEST_CASE("resolve: IP/24/eth1 uses the named interface even when no subnet there holds it") {
  const auto v = must_resolve(spec("172.16.5.9", 24, "eth1"), VipForm::kIpAddr);
  CHECK(v.interface == "eth1");
  CHECK(v.ifindex == 3);
  CHECK(v.prefix_len == 24);
  CHECK(v.broadcast->to_string() == "172.16.5.255");
}

TEST_CASE("resolve: IP/24/eth1/broadcast uses the broadcast as written") {
  const auto v = must_resolve(spec("172.16.5.9", 24, "eth1", "172.16.5.127"), VipForm::kIpAddr);
  CHECK(v.broadcast->to_string() == "172.16.5.127");
}

TEST_CASE("resolve: IP/24/broadcast without a NIC finds the interface by subnet") {
  const auto v =
      must_resolve(spec("192.168.1.50", 24, std::nullopt, "192.168.1.254"), VipForm::kIpAddr);
  CHECK(v.interface == "eth0");
  CHECK(v.broadcast->to_string() == "192.168.1.254");
}

TEST_CASE("resolve: a named NIC without a prefix takes the prefix of its subnet there") {
  const auto v = must_resolve(spec("10.0.0.7", std::nullopt, "eth1"), VipForm::kIpAddr2);
  CHECK(v.prefix_len == 24);
}

TEST_CASE("resolve: a named NIC that does not exist is an error naming it") {
  auto r = resolve_vip(spec("10.0.0.7", 24, "eth9"), VipForm::kIpAddr2, host());
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("eth9"));
}

TEST_CASE("resolve: no subnet holding the VIP and no NIC is an error naming the VIP") {
  auto r = resolve_vip(spec("203.0.113.7"), VipForm::kIpAddr, host());
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::StartsWith("IP 203.0.113.7:"));
}

TEST_CASE("resolve: a named NIC without prefix and without a holding subnet is an error") {
  auto r = resolve_vip(spec("203.0.113.7", std::nullopt, "eth0"), VipForm::kIpAddr2, host());
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("203.0.113.7"));
}

TEST_CASE("resolve: IPaddr2 NIC:label gives the label NIC:label") {
  const auto v = must_resolve(spec("10.0.0.7", 24, "eth1", std::nullopt, "web"), VipForm::kIpAddr2);
  CHECK(v.label == "eth1:web");
}

TEST_CASE("resolve: IPaddr2 without a label leaves the kernel's default label") {
  const auto v = must_resolve(spec("10.0.0.7", 24, "eth1"), VipForm::kIpAddr2);
  CHECK(v.label.empty());
}

TEST_CASE("resolve: IPaddr takes the first free alias label NIC:0, as heartbeat's IPaddr did") {
  const auto v = must_resolve(spec("10.0.0.7"), VipForm::kIpAddr);
  CHECK(v.label == "eth1:0");
}

TEST_CASE("resolve: IPaddr skips alias numbers already in use on that NIC") {
  auto k = host();
  k.addresses.push_back({3, ip("10.0.0.20"), 24, std::nullopt, "eth1:0", 0});
  k.addresses.push_back({3, ip("10.0.0.21"), 24, std::nullopt, "eth1:1", 0});
  const auto v = must_resolve(spec("10.0.0.7"), VipForm::kIpAddr, k);
  CHECK(v.label == "eth1:2");
}

TEST_CASE("resolve: a VIP already configured resolves as it did, keeping its alias label") {
  auto k = host();
  k.addresses.push_back({3, ip("10.0.0.20"), 24, std::nullopt, "eth1:0", 0});
  k.addresses.push_back({3, ip("10.0.0.7"), 25, std::nullopt, "eth1:1", 0});
  const auto v = must_resolve(spec("10.0.0.7"), VipForm::kIpAddr, k);
  CHECK(v.label == "eth1:1");
  CHECK(v.prefix_len == 24);  // from 10.0.0.2/24, not from the VIP's own entry
}

TEST_CASE(
    "resolve: a configured VIP whose subnet has no other address resolves from its own entry") {
  auto k = host();
  k.addresses.push_back({3, ip("172.16.0.9"), 26, ip("172.16.0.63"), "eth1:0", 0});
  const auto v = must_resolve(spec("172.16.0.9"), VipForm::kIpAddr, k);
  CHECK(v.interface == "eth1");
  CHECK(v.prefix_len == 26);
  CHECK(v.label == "eth1:0");
}

TEST_CASE("resolve: a label longer than 15 characters is an error, never truncated") {
  auto r = resolve_vip(spec("10.0.0.7", 24, "eth1", std::nullopt, "averylonglabel"),
                       VipForm::kIpAddr2, host());
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("15"));
}

TEST_CASE("resolve: /32 and /31 VIPs get no broadcast") {
  CHECK_FALSE(must_resolve(spec("10.0.0.7", 32, "eth1"), VipForm::kIpAddr2).broadcast);
  CHECK_FALSE(must_resolve(spec("10.0.0.7", 31, "eth1"), VipForm::kIpAddr2).broadcast);
}

TEST_CASE("resolve: IPv6addr finds the interface by its /64 and has no broadcast or label") {
  const auto v = must_resolve(spec("2001:db8:1::10"), VipForm::kIPv6addr);
  CHECK(v.interface == "eth2");
  CHECK(v.prefix_len == 64);
  CHECK_FALSE(v.broadcast);
  CHECK(v.label.empty());
}

TEST_CASE("resolve: IPv6addr with prefix and NIC uses both as written") {
  const auto v = must_resolve(spec("2001:db8:9::10", 48, "eth0"), VipForm::kIPv6addr);
  CHECK(v.interface == "eth0");
  CHECK(v.prefix_len == 48);
}

TEST_CASE("resolve: IPv6addr with an IPv4 address is an error") {
  CHECK_FALSE(resolve_vip(spec("10.0.0.7"), VipForm::kIPv6addr, host()).ok());
}

TEST_CASE("resolve: a prefix longer than the family allows is an error") {
  CHECK_FALSE(resolve_vip(spec("10.0.0.7", 33, "eth1"), VipForm::kIpAddr2, host()).ok());
}

TEST_CASE(
    "resolve: announcement defaults are heartbeat's: IPaddr 10 x 500 ms, IPaddr2 5 x 200 ms") {
  using std::chrono::milliseconds;
  CHECK(must_resolve(spec("10.0.0.7"), VipForm::kIpAddr).announcement ==
        Announcement{10, milliseconds(500)});
  CHECK(must_resolve(spec("10.0.0.7"), VipForm::kIpAddr2).announcement ==
        Announcement{5, milliseconds(200)});
}

TEST_CASE("resolve: a conf::Resource of kind IPaddr2 resolves with the IPaddr2 rules") {
  conf::Resource r;
  r.kind = conf::ResourceKind::kIpAddr2;
  r.text = "IPaddr2::10.0.0.7/24/eth1:db";
  r.ip = spec("10.0.0.7", 24, "eth1", std::nullopt, "db");
  auto v = resolve_vip(r, host());
  REQUIRE(v.ok());
  CHECK(v->form == VipForm::kIpAddr2);
  CHECK(v->label == "eth1:db");
}

TEST_CASE("resolve: a script resource is not an IP resource") {
  conf::Resource r;
  r.kind = conf::ResourceKind::kScript;
  r.text = "httpd";
  CHECK_FALSE(resolve_vip(r, host()).ok());
}
