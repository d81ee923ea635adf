// The order resourced stops everything in when the lease expires
// (release_order.h).
#include <catch2/catch.hpp>

#include "resourced/release_order.h"
#include "server_config.h"

using namespace vigil;
using namespace vigil::resourced;
using namespace vigil::resourced::testing;
using Place = vigil::proto::ResourcePlace;

TEST_CASE("lease expiry: groups are released in reverse file order, each right to left") {
  const auto c = config_with({{"a1", "a2"}, {"b1", "b2", "b3"}});
  CHECK(release_order(c) ==
        std::vector<Place>{{1, 2}, {1, 1}, {1, 0}, {0, 1}, {0, 0}});
}

TEST_CASE("lease expiry: IP entries are skipped (ipd releases them)") {
  const auto c = config_with({{"10.0.0.1", "apache", "10.0.0.2", "mysql"}, {"10.0.0.3"}});
  CHECK(release_order(c) == std::vector<Place>{{0, 3}, {0, 1}});
}

TEST_CASE("lease expiry: an empty configuration releases nothing") {
  CHECK(release_order(config_with({})).empty());
}
