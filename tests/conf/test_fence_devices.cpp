// conf/fence_devices.h: which STONITH devices of ha.cf this node uses and
// how they reach cluster-glue's `stonith` command (§2.4, §6.4).
#include <catch2/catch.hpp>

#include "conf/fence_devices.h"

using namespace vigil::conf;

namespace {

Config with_lines(const std::string& local, std::vector<std::string> stonith,
                  std::vector<std::string> stonith_host) {
  Config c;
  c.local_node = local;
  c.ha_cf.nodes = {"node1", "node2"};
  c.ha_cf.stonith = std::move(stonith);
  c.ha_cf.stonith_host = std::move(stonith_host);
  return c;
}

}  // namespace

TEST_CASE("fence devices: stonith lines first, then this node's stonith_host lines") {
  const Config c = with_lines("node2", {"external/ipmi /etc/ha.d/ipmi.cfg"},
                              {"* baytech 10.0.0.3 login  secret", "node1 external/ssh node2",
                               "NODE2 external/libvirt hostlist=node1"});
  const auto d = fence_devices(c);
  REQUIRE(d.size() == 3);
  CHECK(d[0] == FenceDevice{"external/ipmi", FenceDevice::Params::kFile, "/etc/ha.d/ipmi.cfg"});
  CHECK(d[1] == FenceDevice{"baytech", FenceDevice::Params::kInline, "10.0.0.3 login  secret"});
  CHECK(d[2].type == "external/libvirt");  // FROMHOST compared case-insensitively
}

TEST_CASE("fence devices: no line, or only another node's, is no device") {
  CHECK(fence_devices(with_lines("node2", {}, {})).empty());
  CHECK(fence_devices(with_lines("node2", {}, {"node1 external/ssh node2"})).empty());
}

TEST_CASE("fence devices: the stonith command line resets exactly the named node") {
  CHECK(stonith_reset_arguments({"external/ipmi", FenceDevice::Params::kFile, "/etc/f"}, "node1") ==
        std::vector<std::string>{"-t", "external/ipmi", "-F", "/etc/f", "-T", "reset", "node1"});
  CHECK(
      stonith_reset_arguments({"baytech", FenceDevice::Params::kInline, "10.0.0.3 a b"}, "node2") ==
      std::vector<std::string>{"-t", "baytech", "-p", "10.0.0.3 a b", "-T", "reset", "node2"});
}
