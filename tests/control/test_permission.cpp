#include <catch2/catch.hpp>

#include "heartbeatd/control/permission.h"

using namespace vigil::control;

namespace {

ControlPolicy policy() {
  ControlPolicy p;
  p.daemon_uid = 103;
  p.admin_gid = 106;
  return p;
}

}  // namespace

TEST_CASE("control permission: root may read the status and move resources") {
  const PeerIdentity root{0, 0, {}};
  CHECK(permits(policy(), root, Access::kStatus));
  CHECK(permits(policy(), root, Access::kCommand));
}

TEST_CASE("control permission: a primary haclient member may read and move") {
  const PeerIdentity member{1000, 106, {}};
  CHECK(permits(policy(), member, Access::kStatus));
  CHECK(permits(policy(), member, Access::kCommand));
}

TEST_CASE("control permission: a supplementary haclient member may read and move") {
  const PeerIdentity member{1000, 1000, {4, 106, 27}};
  CHECK(permits(policy(), member, Access::kStatus));
  CHECK(permits(policy(), member, Access::kCommand));
}

TEST_CASE("control permission: heartbeatd's own user may read but not move resources") {
  const PeerIdentity daemon{103, 103, {}};
  CHECK(permits(policy(), daemon, Access::kStatus));
  CHECK_FALSE(permits(policy(), daemon, Access::kCommand));
}

TEST_CASE("control permission: anybody else is refused both") {
  const PeerIdentity nobody{65534, 65534, {100}};
  CHECK_FALSE(permits(policy(), nobody, Access::kStatus));
  CHECK_FALSE(permits(policy(), nobody, Access::kCommand));
}

TEST_CASE("control permission: without a haclient group only root and the daemon user pass") {
  ControlPolicy p = policy();
  p.admin_gid.reset();
  CHECK_FALSE(permits(p, PeerIdentity{1000, 106, {106}}, Access::kStatus));
  CHECK(permits(p, PeerIdentity{103, 103, {}}, Access::kStatus));
}

TEST_CASE("control permission: the Groups line of /proc status is parsed") {
  auto g = parse_proc_groups(
      "Name:\tbash\nUid:\t1000\t1000\t1000\t1000\nGroups:\t4 27 106 \nNgid:\t0\n");
  REQUIRE(g);
  CHECK(*g == std::vector<gid_t>{4, 27, 106});
}

TEST_CASE("control permission: an empty Groups line means no supplementary groups") {
  auto g = parse_proc_groups("Name:\tx\nGroups:\t\n");
  REQUIRE(g);
  CHECK(g->empty());
}

TEST_CASE("control permission: a missing or malformed Groups line is an error") {
  CHECK_FALSE(parse_proc_groups("Name:\tx\n"));
  CHECK_FALSE(parse_proc_groups("Groups:\t4 x7\n"));
}

TEST_CASE("control permission: groups are taken only from a process of the peer's uid") {
  const std::string_view status = "Name:\tx\nUid:\t1000\t1000\t1000\t1000\nGroups:\t106\n";
  CHECK(proc_groups_for(status, 1000) == std::vector<gid_t>{106});
  CHECK(proc_groups_for(status, 65534).empty());
  CHECK(proc_groups_for("Name:\tx\nGroups:\t106\n", 1000).empty());
}
