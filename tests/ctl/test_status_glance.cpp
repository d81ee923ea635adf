#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/proto/status_fixture.h"
#include "vigilctl/status_glance.h"
#include "vigilctl/status_render.h"

using namespace vigil;
namespace c = vigil::proto::control;

namespace {

c::StatusReply healthy() {
  auto s = testing::sample_status();
  for (auto& n : s.nodes)
    for (auto& l : n.links) l.up = true;
  s.nodes[1].status = c::NodeStatus::kActive;
  return s;
}

c::TimelineEvent event(std::string id, std::string node, std::string group, std::int64_t wall_s) {
  c::TimelineEvent e;
  e.event = std::move(id);
  e.node = std::move(node);
  e.group = std::move(group);
  e.wall_us = wall_s * 1000000;
  return e;
}

}  // namespace

TEST_CASE("status at a glance: every node and link up, every group held: healthy") {
  const auto h = ctl::assess(healthy());
  CHECK(h.state == "healthy");
  CHECK(h.problems.empty());
}

TEST_CASE("status at a glance: a dead link or node makes it degraded and names it") {
  auto s = healthy();
  s.nodes[1].links[0].up = false;
  auto h = ctl::assess(s);
  CHECK(h.state == "degraded");
  CHECK(h.problems == std::vector<std::string>{"link node2:eth1 is dead"});
  s.nodes[1].status = c::NodeStatus::kDead;
  h = ctl::assess(s);
  // A dead node is one problem, not one per link.
  CHECK(h.problems == std::vector<std::string>{"node node2 is dead"});
}

TEST_CASE("status at a glance: a group held by nobody or failed here is failing") {
  auto s = healthy();
  s.groups[1].owner = "none";
  auto h = ctl::assess(s);
  CHECK(h.state == "failing");
  CHECK(h.problems == std::vector<std::string>{"group IPaddr::192.0.2.11/24 is held by nobody"});
  s = healthy();
  s.groups[0].state = c::GroupState::kFailed;
  h = ctl::assess(s);
  CHECK(h.state == "failing");
  CHECK(h.problems == std::vector<std::string>{"group 192.0.2.10 failed to start here"});
}

TEST_CASE("status at a glance: no quorum under corosync is degraded, quorum is no problem") {
  auto s = healthy();
  s.quorum.corosync = true;
  s.quorum.quorate = true;
  CHECK(ctl::assess(s).state == "healthy");
  s.quorum.quorate = false;
  const auto h = ctl::assess(s);
  CHECK(h.state == "degraded");
  CHECK(h.problems ==
        std::vector<std::string>{"this node has no quorum (corosync): it holds no group"});
}

TEST_CASE("status at a glance: not active yet, resource management off, config differs") {
  auto s = healthy();
  s.local_status = c::NodeStatus::kUp;
  s.resource_management = false;
  s.nodes[1].config_digest = "ffff";
  const auto h = ctl::assess(s);
  CHECK(h.state == "degraded");
  CHECK(h.problems == std::vector<std::string>{"this node (node1) is up, not active yet",
                                               "resource management not active yet: owners unknown",
                                               "node2's configuration differs from this node's"});
}

TEST_CASE("status at a glance: the last change of each node and group from the timeline") {
  const std::vector<c::TimelineEvent> events = {
      event("node-status", "node2", "", 100), event("group-acquire", "", "192.0.2.10", 200),
      event("step-finished", "", "192.0.2.10", 210), event("link-dead", "node2", "", 300),
      event("node-dead", "node2", "", 400)};
  const auto since = ctl::since_from(events);
  CHECK(since.nodes.at("node2") == 400'000'000);
  CHECK(since.groups.at("192.0.2.10") == 210'000'000);
  CHECK_FALSE(since.groups.contains("IPaddr::192.0.2.11/24"));
}

TEST_CASE("status at a glance: first lines say health, problems, who holds what since when") {
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  auto s = healthy();
  s.nodes[1].status = c::NodeStatus::kDead;
  ctl::Since since;
  since.nodes["node2"] = 1'765'000'000'000'000;
  since.groups["192.0.2.10"] = 1'765'000'030'000'000;
  const std::string text = ctl::render_glance(s, ctl::assess(s), since, 1'765'000'090'000'000);
  CHECK(text ==
        "Health: degraded, 1 problem\n"
        "  ! node node2 is dead (since 2025-12-06 05:46:40, 90 s ago)\n"
        "Groups:\n"
        "  192.0.2.10: held here (node1), running, since 2025-12-06 05:47:10, 60 s ago\n"
        "  IPaddr::192.0.2.11/24: held by node2\n");
}

TEST_CASE("vigilctl status --json: health is added as the last field, the rest unchanged") {
  auto s = healthy();
  s.nodes[1].links[0].up = false;
  const auto h = ctl::assess(s);
  auto with = nlohmann::ordered_json::parse(ctl::render_status_json(s, &h));
  auto without = nlohmann::ordered_json::parse(ctl::render_status_json(s));
  CHECK(with["health"]["state"] == "degraded");
  CHECK(with["health"]["problems"] == nlohmann::json::array({"link node2:eth1 is dead"}));
  CHECK(std::prev(with.end()).key() == "health");
  with.erase("health");
  CHECK(with == without);
}
