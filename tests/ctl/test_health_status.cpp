// Resource health as `vigilctl status` shows it (issue 16): each checked
// resource's last check, result, fail count and decay, maintenance first
// and loud, and the dead peer's groups maintenance kept from being taken
// over; the table and its JSON compared with golden files, and the reply
// through the control codec first so the golden is what vigilctl prints.
#include <catch2/catch.hpp>

#include "common/ipc/frame.h"
#include "common/proto/control_messages.h"
#include "tests/common/golden_file.h"
#include "tests/proto/status_fixture.h"
#include "vigilctl/status_render.h"

using namespace vigil;
namespace c = vigil::proto::control;
using vigil::testing::check_golden;

namespace {

// sample_status() with health on: group 192.0.2.10 in maintenance, node2
// dead and its group held back, and one resource in each check state.
c::StatusReply health_status() {
  c::StatusReply s = testing::sample_status();
  s.nodes[1].status = c::NodeStatus::kDead;  // node2 died holding its group
  s.nodes[1].links = {{"eth1", false}, {"eth2", false}};
  s.health_check = true;
  s.maintenance_groups = {"192.0.2.10"};
  s.held_back = {{"IPaddr::192.0.2.11/24", "node2"}};
  using R = c::ResourceHealthInfo::Result;
  s.resource_health = {
      {"192.0.2.10", "httpd", R::kPassed, 1200, "", 0, 0, false, 0},
      {"192.0.2.10", "Filesystem::/dev/sdb1::/srv::ext4", R::kFailed, 300, "check failed (exit 7)",
       1, 2, true, 540250},
      {"192.0.2.10", "mailsvc", R::kTimedOut, 4000,
       "check timed out after 2000 ms; its process group was killed", 2, 1, true, 61000},
      {"192.0.2.10", "lastsvc", R::kNone, 0, "", 0, 0, false, 0},
  };
  return s;
}

c::StatusReply through_codec(const c::StatusReply& s) {
  auto bytes = c::encode(c::Message{s});
  REQUIRE(bytes);
  auto frame = ipc::decode_frame(*bytes);
  REQUIRE(frame);
  auto back = c::decode(*frame);
  REQUIRE(back);
  const auto* reply = std::get_if<c::StatusReply>(&*back);
  REQUIRE(reply != nullptr);
  CHECK(*reply == s);
  return *reply;
}

}  // namespace

TEST_CASE("health status: the table and its JSON show checks, fail counts, decay, maintenance") {
  const auto st = through_codec(health_status());
  check_golden("health.status", ctl::render_status_table(st));
  check_golden("health.status.json", ctl::render_status_json(st));
}

TEST_CASE("health status: maintenance of every group is the first line, before anything else") {
  c::StatusReply s = health_status();
  s.maintenance_groups.clear();
  s.maintenance_all = true;
  const std::string table = ctl::render_status_table(through_codec(s));
  CHECK(table.rfind("*** MAINTENANCE ON for every group: ", 0) == 0);
  CHECK(table.find("*** NOT TAKEN OVER: group IPaddr::192.0.2.11/24 of dead node node2") !=
        std::string::npos);
}
