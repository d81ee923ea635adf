#include <catch2/catch.hpp>

#include "ipd/ip_entries.h"
#include "server_fixture.h"

using namespace vigil;
using namespace vigil::ipd;
using testing::config_with;
using P = proto::ResourcePlace;

namespace {

const conf::Config& three_groups() {
  static const conf::Config c = config_with({
      {"192.0.2.50", "httpd", "IPaddr2::192.0.2.51/24/eth1"},
      {"mysql"},
      {"IPv6addr::2001:db8::50/64/eth1", "192.0.2.52", "smb"},
  });
  return c;
}

}  // namespace

TEST_CASE("ip entries: listed in file order, each group left to right, scripts skipped") {
  CHECK(ip_entries(three_groups()) == std::vector<P>{{0, 0}, {0, 2}, {2, 0}, {2, 1}});
}

TEST_CASE("ip entries: lease expiry releases groups in reverse file order, each right to left") {
  CHECK(release_order(three_groups()) == std::vector<P>{{2, 1}, {2, 0}, {0, 2}, {0, 0}});
}

TEST_CASE("ip entries: a configuration without IP entries releases nothing") {
  CHECK(release_order(config_with({{"httpd"}, {"mysql", "smb"}})).empty());
}
