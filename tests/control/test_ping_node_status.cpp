// Ping nodes as the tools show them (heartbeat-compat.md §7.2, §8.1): a
// membership core with a ping node and a ping group, one answering and one
// dead, through status_from to cl_status and `vigilctl status` (+JSON),
// compared with golden files.
#include <catch2/catch.hpp>

#include "heartbeatd/control/membership_status.h"
#include "heartbeatd/core/core.h"
#include "heartbeatd/messages/cluster_messages.h"
#include "heartbeatd/wire/field_values.h"
#include "tests/common/golden_file.h"
#include "vigilctl/cl_status.h"
#include "vigilctl/status_render.h"

using namespace vigil;
using namespace std::chrono_literals;
namespace cl = vigil::ctl::cl_status;
using vigil::testing::check_golden;

namespace {

conf::Config ping_config() {
  conf::Config c;
  c.local_node = "node1";
  c.ha_cf.nodes = {"node1", "node2"};
  c.ha_cf.keepalive = 1000ms;
  c.ha_cf.deadtime = 10000ms;
  c.ha_cf.warntime = 5000ms;
  c.ha_cf.initdead = 20000ms;
  c.ha_cf.deadping = 4000ms;
  conf::Medium ping;
  ping.kind = conf::MediumKind::kPing;
  ping.address = "192.0.2.254";
  conf::Medium group;
  group.kind = conf::MediumKind::kPingGroup;
  group.group_name = "routers";
  group.hosts = {"192.0.2.1", "192.0.2.2"};
  c.ha_cf.media = {ping, group};
  return c;
}

messages::ClusterMessage message(std::initializer_list<std::pair<std::string, std::string>> f) {
  wire::Message m;
  for (const auto& [k, v] : f) m.set(k, v);
  return messages::decode(m);
}

// node1 hears node2 on eth1 and both ping nodes; then only 192.0.2.254
// keeps answering past deadping.
proto::control::StatusReply status_after_router_group_died() {
  const conf::Config config = ping_config();
  core::Core core(config, core::CoreParams{0x200, 1, 42});
  MonoTime now{std::chrono::seconds(1000)};
  core.start(now);
  std::uint64_t seq = 1;
  auto peer = [&] {
    core.on_message(message({{"t", "status"},
                             {"st", "active"},
                             {"dt", "2710"},
                             {"src", "node2"},
                             {"seq", wire::format_hex(seq++)},
                             {"hg", "100"}}),
                    "eth1", now);
  };
  peer();
  core.on_message(
      message({{"t", "NS_st"}, {"st", "ping"}, {"info", "ping"}, {"src", "192.0.2.254"}}),
      "192.0.2.254", now);
  core.on_message(
      message({{"t", "NS_st"}, {"st", "ping"}, {"info", "ping_group"}, {"src", "routers"}}),
      "routers", now);
  for (int i = 0; i < 5; ++i) {
    now += 1s;
    core.on_tick(now);
    peer();
    core.on_message(
        message({{"t", "NS_st"}, {"st", "ping"}, {"info", "ping"}, {"src", "192.0.2.254"}}),
        "192.0.2.254", now);
  }
  REQUIRE(core.is_dead("routers"));
  return control::status_from(config, core.snapshot(), {});
}

std::string cl_status(const proto::control::StatusReply& st, std::vector<std::string> args) {
  auto rq = cl::parse(args);
  REQUIRE(rq);
  const auto o = cl::answer(*rq, st, "3.0.6 (vigil test)");
  return o.out + "exit " + std::to_string(o.exit) + "\n";
}

}  // namespace

TEST_CASE("ping nodes: cl_status shows their type, status and link as heartbeat does") {
  const auto st = status_after_router_group_died();
  std::string out;
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"listnodes"},
                                             {"listnodes", "-p"},
                                             {"nodetype", "192.0.2.254"},
                                             {"nodestatus", "192.0.2.254"},
                                             {"nodestatus", "routers"},
                                             {"listhblinks", "192.0.2.254", "-v"},
                                             {"listhblinks", "routers", "-v"},
                                             {"hbstatus", "-v"}}) {
    out += "$ cl_status";
    for (const auto& a : args) out += " " + a;
    out += "\n" + cl_status(st, args);
  }
  check_golden("ping-nodes.cl_status", out);
}

TEST_CASE("ping nodes: vigilctl status and its JSON list them after the cluster nodes") {
  const auto st = status_after_router_group_died();
  check_golden("ping-nodes.status", ctl::render_status_table(st));
  check_golden("ping-nodes.status.json", ctl::render_status_json(st));
}
