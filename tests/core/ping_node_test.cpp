// Ping nodes in the membership core (heartbeat-compat.md §8.1, §6.1, §6.2):
// probes with every status, up on our own probe coming back on the ping
// node's link, dead after deadping, counted for comm up.
#include <catch2/catch.hpp>

#include "tests/core/core_fixture.h"

using namespace vigil;
using namespace vigil::core;
using namespace vigil::core::testing;

namespace {

conf::Config ping_config() {
  conf::Config c = make_config();
  c.ha_cf.deadping = 4000ms;
  conf::Medium ping;
  ping.kind = conf::MediumKind::kPing;
  ping.address = "10.0.0.254";
  c.ha_cf.media.push_back(ping);
  conf::Medium group;
  group.kind = conf::MediumKind::kPingGroup;
  group.group_name = "routers";
  group.hosts = {"10.0.0.1", "10.0.0.2"};
  c.ha_cf.media.push_back(group);
  return c;
}

// What comes back in an echo reply: our own probe, completed by the I/O
// layer with src and ts (node::ClusterNode::probe).
messages::ClusterMessage reply(const std::string& node, const std::string& info,
                               const std::string& st = "ping") {
  wire::Message m;
  m.set("t", "NS_st");
  m.set("st", st);
  m.set("info", info);
  m.set("src", node);
  m.set("ts", "6b0614d5");
  return messages::decode(m);
}

std::vector<Probe> probes(const Actions& actions) {
  std::vector<Probe> out;
  for (const auto& a : actions)
    if (const auto* p = std::get_if<Probe>(&a)) out.push_back(*p);
  return out;
}

struct PingCluster {
  conf::Config config = ping_config();
  Core core{config, CoreParams{0x200, 1, 42}};
  MonoTime now = t0();
  Actions started;

  PingCluster() {
    started = core.start(now);
    core.on_message(messages::decode(status_msg(PeerMsg{})), "eth0", now);
  }
};

}  // namespace

// For `seconds` seconds from t.now, once a second: node2's status and the
// ping group's answer arrive, 10.0.0.254 stays silent.
void keep_node2_and_group_up(PingCluster& t, int seconds, Actions& all) {
  for (int i = 1; i <= seconds; ++i) {
    const MonoTime at_i = t.now + std::chrono::seconds(i);
    append(all, run_until(t.core, at_i));
    append(all, t.core.on_message(
                    messages::decode(status_msg(PeerMsg{"node2", 0x100, std::uint64_t(i) + 1})),
                    "eth0", at_i));
    append(all, t.core.on_message(reply("routers", "ping_group"), "routers", at_i));
  }
}

TEST_CASE("ping: every status goes with one probe per ping node, in ha.cf order", "[core][ping]") {
  PingCluster t;
  const auto first = probes(t.started);
  REQUIRE(first.size() == 2);
  CHECK(first[0].node == "10.0.0.254");
  CHECK(first[0].message == messages::encode(messages::PingStatus{"ping", "ping"}));
  CHECK(first[1].node == "routers");
  CHECK(*first[1].message.get("info") == "ping_group");
  const auto next = run_until(t.core, t.now + 1s);
  CHECK(sends_of_type(next, "status").size() == 1);
  CHECK(probes(next).size() == 2);
}

TEST_CASE("ping: a ping node counts for comm up until it answers", "[core][ping]") {
  PingCluster t;
  CHECK_FALSE(t.core.comm_up());  // node2 heard, the ping nodes not yet
  auto a = t.core.on_message(reply("10.0.0.254", "ping"), "10.0.0.254", t.now);
  CHECK(has_log(a, "Link 10.0.0.254:10.0.0.254 up."));
  CHECK(has_log(a, "Status update for node 10.0.0.254: status ping"));
  CHECK(events(a, EventKind::kNodeUp).size() == 1);
  CHECK_FALSE(t.core.comm_up());
  a = t.core.on_message(reply("routers", "ping_group"), "routers", t.now);
  CHECK(has_log(a, "Status update for node routers: status ping"));
  CHECK(t.core.comm_up());
  const auto snap = t.core.snapshot();
  CHECK(snap.node("routers")->ping);
  CHECK(snap.node("routers")->status == "ping");
  CHECK_FALSE(snap.node("node2")->ping);
}

TEST_CASE("ping: an unreachable ping node delays comm up until initdead declares it dead",
          "[core][ping]") {
  PingCluster t;
  t.core.on_message(reply("routers", "ping_group"), "routers", t.now);
  // node2 keeps sending; the lone ping node never answers.
  Actions all;
  keep_node2_and_group_up(t, 20, all);
  CHECK_FALSE(t.core.comm_up());
  append(all, run_until(t.core, t.now + 20s + 1ms));
  CHECK(has_log(all, "node 10.0.0.254: is dead"));
  CHECK(t.core.comm_up());
}

TEST_CASE("ping: after comm up a silent ping node is dead after deadping, then back",
          "[core][ping]") {
  PingCluster t;
  t.core.on_message(reply("10.0.0.254", "ping"), "10.0.0.254", t.now);
  t.core.on_message(reply("routers", "ping_group"), "routers", t.now);
  REQUIRE(t.core.comm_up());
  // node2 and the group keep answering; 10.0.0.254 stops.
  Actions all;
  keep_node2_and_group_up(t, 4, all);
  CHECK_FALSE(has_log(all, "node 10.0.0.254: is dead"));  // exactly deadping: not yet
  auto dead = run_until(t.core, t.now + 4s + 1ms);
  const Log* l = find_log(dead, "node 10.0.0.254: is dead");
  REQUIRE(l != nullptr);
  CHECK(l->priority == log::Priority::kWarn);
  CHECK(has_log(dead, "Link 10.0.0.254:10.0.0.254 dead."));
  CHECK(events(dead, EventKind::kNodeDead).size() == 1);
  CHECK_FALSE(has_log(dead, "node node2: is dead"));
  CHECK(t.core.snapshot().node("10.0.0.254")->status == "dead");

  auto back = t.core.on_message(reply("10.0.0.254", "ping"), "10.0.0.254", t.now + 5s);
  CHECK(has_log(back, "Link 10.0.0.254:10.0.0.254 up."));
  CHECK(has_log(back, "Status update for node 10.0.0.254: status ping"));
  CHECK(events(back, EventKind::kNodeUp).size() == 1);
}

TEST_CASE("ping: only our own probe on the ping node's link proves it alive", "[core][ping]") {
  PingCluster t;
  // On a cluster link (a forged or reflected copy): nothing.
  auto a = t.core.on_message(reply("10.0.0.254", "ping"), "eth0", t.now);
  CHECK(log_texts(a).empty());
  // For the other ping node's link, or the wrong medium, or not "ping".
  a = t.core.on_message(reply("10.0.0.254", "ping"), "routers", t.now);
  CHECK(log_texts(a).empty());
  a = t.core.on_message(reply("10.0.0.254", "ping_group"), "10.0.0.254", t.now);
  CHECK(log_texts(a).empty());
  a = t.core.on_message(reply("10.0.0.254", "ping", "up"), "10.0.0.254", t.now);
  CHECK(log_texts(a).empty());
  // A cluster node's message arriving on a ping link is not believed either.
  a = t.core.on_message(messages::decode(status_msg(PeerMsg{"node2", 0x100, 2})), "10.0.0.254",
                        t.now);
  CHECK(log_texts(a).empty());
  CHECK(t.core.snapshot().node("10.0.0.254")->status == "init");
  CHECK(t.core.snapshot().counters.malformed_drops == 5);
}
