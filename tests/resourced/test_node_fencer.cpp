// resourced/node_fencer.h: Task kFence runs cluster-glue's stonith command
// with resourced's own devices, one after the other until one resets the
// node. A stand-in `stonith` (a script that records its arguments) plays
// the command; the real one with a test plugin runs in
// tests/integration/test_fencing.py. vigil.cf's fence_agent lines (issue
// 14) run stand-in fence agents from the Rig's agent directory; the
// namespace test with a fence agent is tests/integration/test_fence_agents.py.
#include <catch2/catch.hpp>
#include <filesystem>
#include <optional>
#include <string>

#include "common/event_loop.h"
#include "common/log.h"
#include "common/timer.h"
#include "resourced/node_fencer.h"
#include "temp_tree.h"

using namespace vigil;
using namespace vigil::resourced;
using vigil::resourced::testing::TempTree;

namespace {

struct Rig {
  Rig(std::vector<std::string> stonith_host, const std::string& behaviour) {
    log::LogConfig quiet;
    quiet.force_backend = log::Backend::kNone;
    (void)log::init(quiet);
    config.local_node = "node2";
    config.ha_cf.nodes = {"node1", "node2"};
    config.ha_cf.stonith_host = std::move(stonith_host);
    // Records every call; `behaviour` decides the exit status per device.
    stonith = tree.script("stonith", "echo \"$*\" >> " + tree.path("calls") + "\n" + behaviour);
    fencer.emplace(loop, config, std::vector<std::string>{"PATH=/usr/bin:/bin"}, stonith,
                   tree.path("agents"));
  }

  // vigil.cf's fence_agent lines, each a stand-in agent that appends what
  // it read on stdin to calls, then runs `behaviour`.
  void add_agent(const std::string& line, const std::string& behaviour) {
    conf::FenceAgent a;
    REQUIRE(conf::parse_fence_agent(line, a).empty());
    tree.script("agents/" + a.agent,
                "{ echo \"$0\"; cat; } >> " + tree.path("calls") + "\n" + behaviour);
    config.vigil_cf.fence_agents.push_back(std::move(a));
  }

  std::optional<Status> fence(std::uint16_t index) {
    std::optional<Status> out;
    fencer->fence(index, [&](const Status& s) { out = s; });
    Timer guard(loop, [] {});
    guard.arm_after(std::chrono::seconds(20));
    while (!out && guard.armed()) (void)loop.run_once();
    return out;
  }

  TempTree tree;
  EventLoop loop;
  conf::Config config;
  std::string stonith;
  std::optional<NodeFencer> fencer;
};

}  // namespace

TEST_CASE("node fencer: the first device that resets the node is the last one run") {
  Rig r({"* external/ipmi 10.0.0.9 admin secret", "* meatware node1"}, "exit 0\n");
  CHECK(r.fencer->violation(0).empty());
  auto s = r.fence(0);
  REQUIRE(s.has_value());
  CHECK(s->ok());
  CHECK(r.tree.read("calls") == "-t external/ipmi -p 10.0.0.9 admin secret -T reset node1\n");
}

TEST_CASE("node fencer: a failing device is followed by the next; all failing is a failure") {
  Rig r({"* external/ipmi 10.0.0.9", "* meatware node1"},
        "case \"$2\" in external/ipmi) exit 1;; *) exit 0;; esac\n");
  auto s = r.fence(0);
  REQUIRE(s.has_value());
  CHECK(s->ok());
  CHECK(r.tree.read("calls") ==
        "-t external/ipmi -p 10.0.0.9 -T reset node1\n-t meatware -p node1 -T reset node1\n");

  Rig all_fail({"* external/ipmi 10.0.0.9", "* meatware node1"}, "exit 2\n");
  auto f = all_fail.fence(0);
  REQUIRE(f.has_value());
  REQUIRE_FALSE(f->ok());
  CHECK_THAT(f->error().message,
             Catch::Contains("external/ipmi: exit 2") && Catch::Contains("meatware: exit 2"));
}

TEST_CASE("node fencer: refuses this node, a node out of ha.cf, and no device") {
  Rig r({"* meatware node1"}, "exit 0\n");
  CHECK_THAT(r.fencer->violation(1), Catch::Contains("this node itself"));
  CHECK_THAT(r.fencer->violation(2), Catch::Contains("ha.cf has 2 nodes"));
  Rig other({"node1 meatware node2"}, "exit 0\n");  // node1's device, not ours
  CHECK_THAT(other.fencer->violation(0), Catch::Contains("no stonith or stonith_host line"));
}

TEST_CASE("node fencer: fence_agent lines run the agent with its options on stdin") {
  Rig r({"* external/ipmi 10.0.0.9"}, "exit 0\n");
  r.add_agent("node1 fence_one ip=10.0.0.8 passwd=pw action=off", "exit 0\n");
  CHECK(r.fencer->violation(0).empty());
  auto s = r.fence(0);
  REQUIRE(s.has_value());
  CHECK(s->ok());
  // Only the agent: ha.cf's device is not used for a node with fence_agent lines.
  CHECK(r.tree.read("calls") ==
        r.tree.path("agents/fence_one") + "\naction=off\nip=10.0.0.8\npasswd=pw\n");
}

TEST_CASE("node fencer: a failing agent is followed by the next; all failing is a failure") {
  Rig r({}, "exit 0\n");
  r.add_agent("node1 fence_one ip=a", "exit 1\n");
  r.add_agent("node1 fence_two ip=b", "exit 0\n");
  auto s = r.fence(0);
  REQUIRE(s.has_value());
  CHECK(s->ok());
  CHECK(r.tree.read("calls") == r.tree.path("agents/fence_one") + "\naction=reboot\nip=a\n" +
                                    r.tree.path("agents/fence_two") + "\naction=reboot\nip=b\n");

  Rig fail({}, "exit 0\n");
  fail.add_agent("node1 fence_one ip=a", "exit 1\n");
  fail.add_agent("node1 fence_missing ip=b", "exit 0\n");
  std::filesystem::remove(fail.tree.path("agents/fence_missing"));
  auto f = fail.fence(0);
  REQUIRE(f.has_value());
  REQUIRE_FALSE(f->ok());
  CHECK_THAT(f->error().message,
             Catch::Contains("fence_one: exit 1") && Catch::Contains("fence_missing: exit 127"));
}

TEST_CASE("node fencer: an agent line is enough to fence its node, only its node") {
  Rig r({}, "exit 0\n");
  r.add_agent("node1 fence_one ip=a", "exit 0\n");
  CHECK(r.fencer->violation(0).empty());
  Rig other({}, "exit 0\n");
  other.add_agent("node2 fence_one ip=a", "exit 0\n");  // fences us, not node1
  CHECK_THAT(other.fencer->violation(0), Catch::Contains("no fence_agent line for that node"));
}
