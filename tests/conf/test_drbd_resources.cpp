// conf/drbd_resources.h: which DRBD resources of haresources the fence-peer
// exchange may outdate (issue 14).
#include <catch2/catch.hpp>

#include "conf/diagnostics.h"
#include "conf/drbd_resources.h"
#include "conf/haresources.h"

using namespace vigil::conf;

namespace {

Config with_haresources(const std::string& text) {
  Config c;
  c.local_node = "node1";
  c.ha_cf.nodes = {"node1", "node2"};
  Diagnostics diag;
  c.groups = parse_haresources(text, "haresources", &c.ha_cf.nodes, diag);
  REQUIRE(diag.errors().empty());
  return c;
}

}  // namespace

TEST_CASE("drbd resources: each drbddisk::NAME entry, by its resource index") {
  const Config c = with_haresources(
      "node1 192.0.2.5 drbddisk::r0 Filesystem::/dev/drbd0::/srv::ext4\n"
      "node2 drbddisk::r1 apache\n");
  const auto d = drbd_resources(c);
  REQUIRE(d.size() == 2);
  CHECK(d[0] == DrbdResource{"r0", 1});
  CHECK(d[1] == DrbdResource{"r1", 3});
  CHECK(drbd_resource_index(c, "r1") == 3u);
  CHECK(drbd_resource_at(c, 1) == "r0");
}

TEST_CASE("drbd resources: a name not in haresources, or another agent, is none") {
  const Config c = with_haresources("node1 192.0.2.5 drbddisk::r0 apache::r1\n");
  CHECK_FALSE(drbd_resource_index(c, "r1"));
  CHECK_FALSE(drbd_resource_index(c, "r9"));
  CHECK_FALSE(drbd_resource_at(c, 0));  // the IP entry
  CHECK_FALSE(drbd_resource_at(c, 2));  // apache::r1
  CHECK_FALSE(drbd_resource_at(c, 7));  // past the end
}

TEST_CASE("drbd resources: a bare drbddisk (all resources) names none") {
  const Config c = with_haresources("node1 drbddisk 192.0.2.5\n");
  CHECK(drbd_resources(c).empty());
}

TEST_CASE("drbd resources: a name listed twice counts once, at its first place") {
  const Config c =
      with_haresources("node1 192.0.2.5 drbddisk::r0\nnode2 192.0.2.6 drbddisk::r0 apache\n");
  const auto d = drbd_resources(c);
  REQUIRE(d.size() == 1);
  CHECK(d[0].index == 1);
}

TEST_CASE("drbd resources: names are letters, digits, '_', '-', '.' only") {
  CHECK(is_drbd_resource_name("r0"));
  CHECK(is_drbd_resource_name("db_data-1.a"));
  CHECK_FALSE(is_drbd_resource_name(""));
  CHECK_FALSE(is_drbd_resource_name("r0;reboot"));
  CHECK_FALSE(is_drbd_resource_name("r 0"));
  CHECK_FALSE(is_drbd_resource_name(std::string(65, 'a')));
}
