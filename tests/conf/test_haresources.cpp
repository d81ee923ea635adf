// heartbeat-compat.md §3.1: haresources grammar.
#include <catch2/catch.hpp>

#include "conf/haresources.h"
#include "conf_test_util.h"

using namespace vigil::conf;
using namespace vigil::conf::test;

namespace {
const std::vector<std::string> kNodes = {"alpha", "beta"};

struct Groups {
  std::vector<ResourceGroup> groups;
  Diagnostics diag;
};
Groups groups_of(const std::string& text) {
  Groups g;
  g.groups = parse_haresources(text, "haresources", &kNodes, g.diag);
  return g;
}
}  // namespace

TEST_CASE("haresources: one line is one group, the first resource is its key") {
  const auto g = groups_of("alpha 192.168.1.5 httpd\nbeta smb\n");
  REQUIRE(g.groups.size() == 2);
  CHECK(g.groups[0].node == "alpha");
  CHECK(g.groups[0].key() == "192.168.1.5");
  CHECK(g.groups[0].resources.size() == 2);
  CHECK(g.groups[0].line == 1);
  CHECK(g.groups[1].key() == "smb");
}

TEST_CASE("haresources: # starts a comment anywhere, blank lines are skipped") {
  const auto g = groups_of("# header\n\nalpha httpd # the web server\n   # indented\n");
  INFO(errors_of(g.diag));
  REQUIRE(g.groups.size() == 1);
  CHECK(g.groups[0].resources.size() == 1);
  CHECK(g.groups[0].line == 3);
}

TEST_CASE("haresources: a trailing backslash continues the line") {
  const auto g = groups_of("alpha 10.0.0.1 \\\n   httpd \\\n\tsmb\nbeta nfs\n");
  INFO(errors_of(g.diag));
  REQUIRE(g.groups.size() == 2);
  CHECK(g.groups[0].resources.size() == 3);
  CHECK(g.groups[0].resources[2].text == "smb");
  CHECK(g.groups[1].line == 4);
}

TEST_CASE("haresources: the node name is matched case-insensitively") {
  const auto g = groups_of("ALPHA httpd\n");
  REQUIRE(g.groups.size() == 1);
  CHECK(g.groups[0].node == "alpha");
}

TEST_CASE("haresources: a node that ha.cf does not list is an error") {
  const auto g = groups_of("alpha httpd\ngamma smb\n");
  REQUIRE(g.diag.errors().size() == 1);
  CHECK(g.diag.errors()[0] == "haresources:2: Bad nodename in haresources [gamma]; expected a node of ha.cf: alpha, beta");
}

TEST_CASE("haresources: a group key used twice is an error") {
  const auto g = groups_of("alpha httpd\nbeta httpd smb\n");
  REQUIRE(g.diag.errors().size() == 1);
  CHECK_THAT(g.diag.errors()[0], Catch::StartsWith("haresources:2: duplicate resource group key [httpd], first used on line 1"));
}

TEST_CASE("haresources: a node without resources is an error") {
  CHECK_THAT(errors_of(groups_of("alpha\n").diag), Catch::Contains("haresources:1: resource group of alpha lists no resource"));
}

TEST_CASE("haresources: name::a::b is script name with arguments") {
  auto r = parse_resource("Filesystem::/dev/drbd0::/local/groups::ext3");
  REQUIRE(r.ok());
  CHECK(r->kind == ResourceKind::kScript);
  CHECK(r->name == "Filesystem");
  CHECK(r->args == std::vector<std::string>{"/dev/drbd0", "/local/groups", "ext3"});
  CHECK_FALSE(r->is_ip());
}

TEST_CASE("haresources: a bare name is a script without arguments") {
  auto r = parse_resource("httpd");
  REQUIRE(r.ok());
  CHECK(r->name == "httpd");
  CHECK(r->args.empty());
}

TEST_CASE("haresources: a script name must be a plain file name") {
  CHECK_FALSE(parse_resource("../../bin/sh").ok());
  CHECK_FALSE(parse_resource("/etc/init.d/httpd").ok());
  CHECK_FALSE(parse_resource("::arg").ok());
}

TEST_CASE("haresources: anything that looks like an IPv4 address is IPaddr") {
  for (const char* t : {"10.0.0.5", "10.0.0.5/24", "10.0.0.5/24/eth0", "10.0.0.5/24/eth0/10.0.0.255", "10.0.0.5/24/10.0.0.255"}) {
    auto r = parse_resource(t);
    INFO(t);
    REQUIRE(r.ok());
    CHECK(r->kind == ResourceKind::kIpAddr);
    CHECK(r->name == "IPaddr");
    CHECK(r->args == std::vector<std::string>{t});
    REQUIRE(r->ip);
    CHECK(r->ip->address == "10.0.0.5");
  }
}

TEST_CASE("haresources: a token matching the IPv4 glob but not an address is a bad IP") {
  auto r = parse_resource("1x.2.3.4");
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::StartsWith("bad IPv4 address [1x.2.3.4]"));
}

TEST_CASE("haresources: IPaddr:: and IPaddr2:: are explicit IP resources") {
  auto a = parse_resource("IPaddr::10.0.0.7/24/eth1");
  REQUIRE(a.ok());
  CHECK(a->kind == ResourceKind::kIpAddr);
  CHECK(a->ip->nic == "eth1");
  auto b = parse_resource("IPaddr2::10.0.0.8/24/eth1:web");
  REQUIRE(b.ok());
  CHECK(b->kind == ResourceKind::kIpAddr2);
  CHECK(b->ip->nic == "eth1");
  CHECK(b->ip->label == "web");
}

TEST_CASE("haresources: IPaddr:: without an address is an error") {
  CHECK_THAT(parse_resource("IPaddr::").error().message, Catch::Contains("has no address"));
  CHECK_THAT(parse_resource("IPaddr2::1.2.3.4::x").error().message, Catch::Contains("needs exactly one argument"));
}

TEST_CASE("haresources: IPv6addr:: keeps the :: inside the address") {
  auto r = parse_resource("IPv6addr::2001:db8::10/64/eth0");
  REQUIRE(r.ok());
  CHECK(r->kind == ResourceKind::kIPv6addr);
  REQUIRE(r->ip);
  CHECK(r->ip->ipv6);
  CHECK(r->ip->address == "2001:db8::10");
  CHECK(r->ip->cidr_bits == 64);
  CHECK(r->ip->nic == "eth0");
}

TEST_CASE("haresources: IPv6 is never auto-detected") {
  auto r = parse_resource("2001:db8::10");
  REQUIRE(r.ok());
  CHECK(r->kind == ResourceKind::kScript);
}

TEST_CASE("haresources: all errors of the file are reported") {
  const auto g = groups_of("gamma httpd\nalpha 10.0.0.300\nbeta IPaddr2::10.0.0.1/33\n");
  CHECK(g.diag.errors().size() == 3);
}
