// vigilctl/drbd_fence_peer.h: what DRBD's fence-peer handler asks,
// from drbd-peer-outdater's options and DRBD's environment (issue 14).
#include <catch2/catch.hpp>
#include <map>

#include "vigilctl/drbd_fence_peer.h"

using namespace vigil;
namespace c = vigil::proto::control;

namespace {

ctl::EnvLookup env(std::map<std::string, std::string> vars) {
  return [vars](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace

TEST_CASE("drbd-fence-peer: DRBD 8.3's environment and -t, as drbd-peer-outdater took them") {
  auto r =
      ctl::parse_fence_peer({"-t", "5"}, env({{"DRBD_RESOURCE", "r0"}, {"DRBD_PEER", "node2"}}));
  REQUIRE(r);
  CHECK(*r == c::OutdatePeerRequest{"r0", "node2", 5000});
}

TEST_CASE("drbd-fence-peer: DRBD_PEERS with one name is the peer; with several, none") {
  auto one = ctl::parse_fence_peer({}, env({{"DRBD_RESOURCE", "r0"}, {"DRBD_PEERS", " node2 "}}));
  REQUIRE(one);
  CHECK(one->peer == "node2");
  CHECK(one->timeout_ms == 5000);
  auto two = ctl::parse_fence_peer({}, env({{"DRBD_RESOURCE", "r0"}, {"DRBD_PEERS", "n2 n3"}}));
  REQUIRE(two);
  CHECK(two->peer.empty());  // heartbeatd refuses unless ha.cf has one other node
}

TEST_CASE("drbd-fence-peer: -r and -p override the environment") {
  auto r = ctl::parse_fence_peer({"-r", "r1", "-p", "node3"},
                                 env({{"DRBD_RESOURCE", "r0"}, {"DRBD_PEER", "node2"}}));
  REQUIRE(r);
  CHECK(r->drbd == "r1");
  CHECK(r->peer == "node3");
}

TEST_CASE("drbd-fence-peer: no resource, a bad -t or an unknown option is an error") {
  CHECK(ctl::parse_fence_peer({}, env({})).error().message ==
        "no DRBD resource: DRBD_RESOURCE is not set (DRBD sets it) and no -r RESOURCE");
  const auto vars = env({{"DRBD_RESOURCE", "r0"}});
  CHECK(ctl::parse_fence_peer({"-t", "0"}, vars).error().message == "-t 0: seconds from 1 to 25");
  CHECK(ctl::parse_fence_peer({"-t", "26"}, vars).error().message == "-t 26: seconds from 1 to 25");
  CHECK(ctl::parse_fence_peer({"-t", "5s"}, vars).error().message == "-t 5s: seconds from 1 to 25");
  CHECK(ctl::parse_fence_peer({"-t"}, vars).error().message == "-t needs a value");
  CHECK_FALSE(ctl::parse_fence_peer({"--frobnicate"}, vars));
}
