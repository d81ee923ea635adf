#include <catch2/catch.hpp>

#include "tests/proto/status_fixture.h"
#include "vigilctl/cl_status.h"

using namespace vigil;
namespace cl = vigil::ctl::cl_status;

namespace {

constexpr std::string_view kVersion = "3.0.6 (vigil test)";

cl::Output run(std::vector<std::string> args) {
  auto rq = cl::parse(args);
  REQUIRE(rq);
  return cl::answer(*rq, testing::sample_status(), kVersion);
}

cl::Output down(std::vector<std::string> args, ctl::Failure f) {
  auto rq = cl::parse(args);
  REQUIRE(rq);
  return cl::unreachable(*rq, ctl::ClientError{f, "why"});
}

}  // namespace

TEST_CASE("cl_status hbstatus: running prints heartbeat's sentence, exit 0") {
  const auto o = run({"hbstatus"});
  CHECK(o.out == "Heartbeat is running on this machine.\n");
  CHECK(o.exit == 0);
}

TEST_CASE("cl_status hbstatus -v: version, manager, every node with its links") {
  const auto o = run({"hbstatus", "-v"});
  CHECK(o.out ==
        "Heartbeat is running on this machine.\n"
        "version:\t3.0.6 (vigil test)\n"
        "managed by:\t\"haresources\"\n"
        "\nnode1\tactive\t(nodetype: normal)\n\teth1\tup\n\teth2\tup\n"
        "\nnode2\tup\t(nodetype: normal)\n\teth1\tdead\n\teth2\tup\n"
        "\n192.0.2.254\tping\t(nodetype: ping)\n\t192.0.2.254\tup\n");
  CHECK(o.exit == 0);
}

TEST_CASE("cl_status hbstatus -v -m: the human-readable first lines") {
  const auto o = run({"hbstatus", "-v", "-m"});
  CHECK_THAT(o.out, Catch::StartsWith("Heartbeat is running on this machine.\n"
                                      "Heartbeat version 3.0.6 (vigil test)\n"
                                      "Resources controlled by \"haresources\"\n\nnode1"));
}

TEST_CASE("cl_status hbstatus: heartbeatd not running says stopped, exit 1") {
  const auto o = down({"hbstatus"}, ctl::Failure::kNotRunning);
  CHECK(o.out == "Heartbeat is stopped on this machine.\n");
  CHECK(o.exit == 1);
}

TEST_CASE("cl_status hbstatus: a refused connection says apparently running, exit 0") {
  const auto o = down({"hbstatus"}, ctl::Failure::kRefused);
  CHECK(o.out == "Heartbeat is apparently running on this machine, but refuses my connection\n");
  CHECK(o.exit == 0);
}

TEST_CASE("cl_status: a timeout exits 12 for every sub-command") {
  CHECK(down({"hbstatus"}, ctl::Failure::kTimeout).exit == 12);
  CHECK(down({"nodestatus", "node2"}, ctl::Failure::kTimeout).exit == 12);
}

TEST_CASE("cl_status: a malformed answer exits 13") {
  CHECK(down({"rscstatus"}, ctl::Failure::kProtocol).exit == 13);
}

TEST_CASE("cl_status: other sub-commands with heartbeatd stopped fail normally, exit 1") {
  const auto o = down({"nodestatus", "node2"}, ctl::Failure::kNotRunning);
  CHECK(o.out.empty());
  CHECK(o.err == "Cannot signon with heartbeat\nREASON: why\n");
  CHECK(o.exit == 1);
}

TEST_CASE("cl_status listnodes: one name per line in config order, ping nodes included") {
  const auto o = run({"listnodes"});
  CHECK(o.out == "node1\nnode2\n192.0.2.254\n");
  CHECK(o.exit == 0);
}

TEST_CASE("cl_status listnodes -p / -n: only ping / only normal nodes") {
  CHECK(run({"listnodes", "-p"}).out == "192.0.2.254\n");
  CHECK(run({"listnodes", "-n"}).out == "node1\nnode2\n");
}

TEST_CASE("cl_status listnodes -m: heartbeat's header first") {
  CHECK(run({"listnodes", "-m"}).out == "The nodes are as follow:\nnode1\nnode2\n192.0.2.254\n");
}

TEST_CASE("cl_status nodestatus: active, up and ping exit 0") {
  auto o = run({"nodestatus", "node1"});
  CHECK(o.out == "active\n");
  CHECK(o.exit == 0);
  o = run({"nodestatus", "node2"});
  CHECK(o.out == "up\n");
  CHECK(o.exit == 0);
  CHECK(run({"nodestatus", "192.0.2.254"}).exit == 0);
}

TEST_CASE("cl_status nodestatus: a dead node prints dead, exit 1") {
  auto s = testing::sample_status();
  s.nodes[1].status = proto::control::NodeStatus::kDead;
  auto rq = cl::parse({"nodestatus", "node2"});
  REQUIRE(rq);
  const auto o = cl::answer(*rq, s, kVersion);
  CHECK(o.out == "dead\n");
  CHECK(o.exit == 1);
}

TEST_CASE("cl_status nodestatus: an init node exits 1") {
  auto s = testing::sample_status();
  s.nodes[1].status = proto::control::NodeStatus::kInit;
  auto rq = cl::parse({"nodestatus", "node2"});
  REQUIRE(rq);
  CHECK(cl::answer(*rq, s, kVersion).exit == 1);
}

TEST_CASE("cl_status nodestatus -m: the human-readable sentence") {
  CHECK(run({"nodestatus", "-m", "node1"}).out == "The cluster node node1 is active\n");
}

TEST_CASE("cl_status nodestatus: an unknown node is a normal failure on stderr") {
  const auto o = run({"nodestatus", "node9"});
  CHECK(o.out.empty());
  CHECK_FALSE(o.err.empty());
  CHECK(o.exit == 1);
}

TEST_CASE("cl_status nodetype: normal or ping, exit 0; -m sentence") {
  CHECK(run({"nodetype", "node2"}).out == "normal\n");
  CHECK(run({"nodetype", "192.0.2.254"}).out == "ping\n");
  CHECK(run({"nodetype", "-m", "node2"}).out == "The node node2's type: normal\n");
  CHECK(run({"nodetype", "node2"}).exit == 0);
}

TEST_CASE("cl_status listhblinks: a tab and the interface per line; -v adds status") {
  CHECK(run({"listhblinks", "node2"}).out == "\teth1\n\teth2\n");
  CHECK(run({"listhblinks", "-v", "node2"}).out == "\teth1\tdead\n\teth2\tup\n");
  CHECK(run({"listhblinks", "-m", "node2"}).out ==
        "\tthis node has the following heartbeat links:\n\teth1\n\teth2\n");
}

TEST_CASE("cl_status hblinkstatus: up exits 0, dead exits 1") {
  auto o = run({"hblinkstatus", "node2", "eth2"});
  CHECK(o.out == "up\n");
  CHECK(o.exit == 0);
  o = run({"hblinkstatus", "node2", "eth1"});
  CHECK(o.out == "dead\n");
  CHECK(o.exit == 1);
}

TEST_CASE("cl_status hblinkstatus -m: the human-readable sentence") {
  CHECK(run({"hblinkstatus", "-m", "node2", "eth1"}).out ==
        "The node node2's heartbeat link eth1 is dead\n");
}

TEST_CASE("cl_status hblinkstatus: an unknown link is a normal failure") {
  const auto o = run({"hblinkstatus", "node2", "eth7"});
  CHECK(o.out.empty());
  CHECK(o.exit == 1);
}

TEST_CASE("cl_status rscstatus: the class word; -m sentence; exit 0") {
  CHECK(run({"rscstatus"}).out == "local\n");
  CHECK(run({"rscstatus"}).exit == 0);
  CHECK(run({"rscstatus", "-m"}).out == "This node is holding local resources.\n");
}

TEST_CASE("cl_status: parameter errors are reported for exit 11") {
  CHECK_FALSE(cl::parse({}));
  CHECK_FALSE(cl::parse({"nodestatus"}));
  CHECK_FALSE(cl::parse({"hblinkstatus", "node2"}));
  CHECK_FALSE(cl::parse({"rscstatus", "extra"}));
  CHECK_FALSE(cl::parse({"frobnicate"}));
  CHECK_FALSE(cl::parse({"hbstatus", "-x"}));
  CHECK_FALSE(cl::parse({"nodestatus", "-p", "node1"}));
}

TEST_CASE("cl_status: sub-commands needing heartbeat's client API exit 13") {
  const auto o = run({"clientstatus", "node1", "ipfail"});
  CHECK(o.exit == 13);
}
