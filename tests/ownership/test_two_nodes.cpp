// End to end: two Ownership modules on two real ClusterNodes (codec,
// signatures, membership cores) with instant resource results, checked
// against the seed tutorial's three log excerpts in 3.0.x wording
// (/work/shared/seed, heartbeat-3.0.6-logs.txt).
#include <catch2/catch.hpp>

#include "harness.h"

using namespace vigil;
using namespace vigil::ownership;
using namespace vigil::ownership::test;
using P = conf::AutoFailback;

namespace {

// Both nodes started together and settled: node1 holds the seed group.
// 6 s: past the 5 s in which a starting node advertises deadtime + 2 s.
void settle(Cluster& c) {
  c.start(0);
  c.start(1);
  c.run_for(6s);
}

bool group_runs_on(Cluster& c, int i) { return c.helpers(i).running.size() == 2; }

}  // namespace

TEST_CASE("cluster: both nodes start together; the home node takes its group, well under 10 s") {
  Cluster c(P::kOn);
  settle(c);
  CHECK(group_runs_on(c, 0));
  CHECK(c.helpers(1).running.empty());
  CHECK(c.own(0).state() == ResourceState::kStable);
  CHECK(c.own(1).state() == ResourceState::kStable);
  CHECK(c.own(0).rscstatus() == RscStatus::kLocal);
}

TEST_CASE("cluster: the seed scenario — reboot node1, node2 takes over, node1 returns, failback") {
  Cluster c(P::kOn);
  settle(c);
  REQUIRE(group_runs_on(c, 0));
  c.clear_logs();

  // "Reboot the master server": heartbeat is stopped gracefully first.
  c.shutdown(0);
  c.run_for(2s);
  CHECK_FALSE(c.up(0));
  CHECK(group_runs_on(c, 1));
  // Seed excerpt 2 (node2), 3.0.x texts.
  CHECK(in_order(
      c.log(1),
      {"Received shutdown notice from 'node1'.", "Resources being acquired from node1.",
       "acquire local HA resources (standby).",
       "local HA resource acquisition completed (standby).",
       "Standby resource acquisition done [all].", "Taking over resource group 192.168.1.5",
       "Acquiring resource group: node1 192.168.1.5 httpd",
       "mach_down takeover complete for node node1.", "node node1: is dead",
       "Dead node node1 gave up resources.", "Link node1:eth1 dead."}));
  CHECK(in_order(c.log(0), {"Heartbeat shutdown in progress. (105)", "Giving up all HA resources.",
                            "Releasing resource group: node1 192.168.1.5 httpd",
                            "All HA resources relinquished."}));
  c.clear_logs();

  // "when the master comes back online again, he should take over".
  c.start(0);
  c.run_for(4s);
  CHECK(group_runs_on(c, 0));
  CHECK(c.helpers(1).running.empty());
  // Seed excerpt 1 (node1, the returning home node).
  CHECK(in_order(
      c.log(0),
      {"Link node1:eth1 up.", "Link node2:eth1 up.", "Status update for node node2: status active",
       "Local status now set to: 'active'", "remote resource transition completed.",
       "Local Resource acquisition completed. (none)", "node2 wants to go standby [foreign]",
       "standby: acquire [foreign] resources from node2", "acquire local HA resources (standby).",
       "local HA resource acquisition completed (standby).",
       "Standby resource acquisition done [foreign].",
       "Initial resource acquisition complete (auto_failback)",
       "remote resource transition completed."}));
  // Seed excerpt 3 (node2, the holder).
  CHECK(in_order(
      c.log(1),
      {"Heartbeat restart on node node1", "Link node1:eth1 up.",
       "node2 wants to go standby [foreign]", "standby: node1 can take our foreign resources",
       "give up foreign HA resources (standby).",
       "Releasing resource group: node1 192.168.1.5 httpd",
       "Local standby process completed [foreign].", "remote resource transition completed.",
       "Other node completed standby takeover of foreign resources."}));
  CHECK(c.own(0).rscstatus() == RscStatus::kLocal);
  CHECK_FALSE(c.own(1).snapshot().needs_failback);
  for (int i = 0; i < 2; ++i)
    for (const auto& line : c.log(i)) {
      INFO(line);
      CHECK(line.find("machines own") == std::string::npos);  // no audit line fired
      CHECK(line.find("No one owns") == std::string::npos);
      CHECK(line.find("Ignored standby") == std::string::npos);
    }
}

TEST_CASE("cluster: kill -9 of node1 — node2 runs mach_down with heartbeat's lines") {
  Cluster c(P::kOn);
  settle(c);
  c.clear_logs();
  c.kill(0);
  c.run_for(1500ms);
  CHECK(group_runs_on(c, 1));
  CHECK(in_order(
      c.log(1),
      {"node node1: is dead", "No STONITH device configured.", "Shared disks are not protected.",
       "Resources being acquired from node1.", "Taking over resource group 192.168.1.5",
       "Acquiring resource group: node1 192.168.1.5 httpd",
       "mach_down takeover complete for node node1.", "mach_down takeover complete."}));
}

TEST_CASE("cluster: auto_failback off — the returning home node stays standby") {
  Cluster c(P::kOff);
  settle(c);
  c.kill(0);
  c.run_for(1500ms);
  REQUIRE(group_runs_on(c, 1));
  c.clear_logs();
  c.start(0);
  c.run_for(5s);
  CHECK(group_runs_on(c, 1));
  CHECK(c.helpers(0).running.empty());
  CHECK(in_order(c.log(0), {"Local Resource acquisition completed. (none)"}));
  CHECK(c.own(0).snapshot().groups.at(0).owner == Owner::kPeer);
}

TEST_CASE("cluster: legacy — the returning home node pulls its group back with ip-request") {
  Cluster c(P::kLegacy);
  settle(c);
  REQUIRE(group_runs_on(c, 0));
  c.kill(0);
  c.run_for(1500ms);
  REQUIRE(group_runs_on(c, 1));
  c.clear_logs();
  c.start(0);
  c.run_for(4s);
  CHECK(group_runs_on(c, 0));
  CHECK(c.helpers(1).running.empty());
  CHECK(in_order(c.log(0), {"received ip-request-resp 192.168.1.5 OK yes",
                            "Acquiring resource group: node1 192.168.1.5 httpd"}));
}

TEST_CASE("cluster: hb_standby all on node1 moves the group; hb_takeover brings it back") {
  Cluster c(P::kOff);
  settle(c);
  c.clear_logs();
  c.command(0, engine::Standby{kAll});
  c.run_for(1s);
  CHECK(group_runs_on(c, 1));
  CHECK(c.helpers(0).running.empty());
  CHECK(in_order(
      c.log(0),
      {"node1 wants to go standby [all]", "standby: node2 can take our all resources",
       "give up all HA resources (standby).", "all HA resource release completed (standby).",
       "Local standby process completed [all].",
       "Other node completed standby takeover of all resources."}));
  CHECK(in_order(
      c.log(1),
      {"node1 wants to go standby [all]", "standby: acquire [all] resources from node1",
       "acquire all HA resources (standby).", "all HA resource acquisition completed (standby).",
       "Standby resource acquisition done [all]."}));
  c.clear_logs();
  c.command(0, engine::Takeover{kAll, false});
  c.run_for(1s);
  CHECK(group_runs_on(c, 0));
  CHECK(c.helpers(1).running.empty());
  CHECK(in_order(c.log(1), {"Going standby [all].", "node2 wants to go standby [all]"}));
}

TEST_CASE("cluster: hb_takeover failback on the home node brings its groups home") {
  Cluster c(P::kOff);
  settle(c);
  c.kill(0);
  c.run_for(1500ms);
  c.start(0);
  c.run_for(3s);
  REQUIRE(group_runs_on(c, 1));
  c.command(0, engine::Takeover{kForeign, true});
  c.run_for(1s);
  CHECK(group_runs_on(c, 0));
  CHECK(in_order(c.log(1), {"Going standby [foreign]."}));
}

TEST_CASE("cluster: the takeover after kill -9 starts as soon as node1 is declared dead") {
  Cluster c(P::kOn);
  settle(c);
  const MonoTime killed = c.now();
  c.kill(0);
  MonoTime taken{};
  for (int i = 0; i < 40 && taken == MonoTime{}; ++i) {
    c.run_for(50ms);
    if (group_runs_on(c, 1)) taken = c.now();
  }
  REQUIRE(taken != MonoTime{});
  // deadtime 500 ms + the 50 ms tick; nothing added by the ownership layer.
  CHECK(taken - killed <= std::chrono::milliseconds(650));
}

TEST_CASE("cluster: auto_failback off — both start together, each takes its own groups") {
  Cluster c(P::kOff);
  settle(c);
  CHECK(group_runs_on(c, 0));
  CHECK(c.helpers(1).running.empty());
  CHECK(c.own(1).rscstatus() == RscStatus::kLocal);
}

TEST_CASE("cluster: legacy — both start together, the home node pulls its group") {
  Cluster c(P::kLegacy);
  settle(c);
  CHECK(group_runs_on(c, 0));
  CHECK(c.helpers(1).running.empty());
  CHECK(in_order(c.log(0), {"received ip-request-resp 192.168.1.5 OK no",
                            "Acquiring resource group: node1 192.168.1.5 httpd"}));
}

TEST_CASE("cluster: legacy — a graceful stop of node1 hands its group to node2 at once") {
  Cluster c(P::kLegacy);
  settle(c);
  c.clear_logs();
  c.shutdown(0);
  CHECK(group_runs_on(c, 1));
  CHECK(in_order(
      c.log(1), {"Received shutdown notice from 'node1'.", "Taking over resource group 192.168.1.5",
                 "mach_down takeover complete for node node1."}));
}

TEST_CASE(
    "cluster: auto_failback off — a graceful stop of node1 hands its group to node2 at once") {
  Cluster c(P::kOff);
  settle(c);
  c.shutdown(0);
  CHECK(group_runs_on(c, 1));
  CHECK_FALSE(c.up(0));
}

TEST_CASE(
    "cluster: split brain then heal — each home node keeps its group, the other gives it back") {
  Cluster c(P::kOn, {"node2 10.0.0.7 mail"});
  settle(c);
  REQUIRE(c.helpers(0).running.size() == 2);
  REQUIRE(c.helpers(1).running.size() == 2);
  c.partition(true);
  c.run_for(1500ms);
  // Both think the other dead and run everything (no quorum in v1, §6.8).
  CHECK(c.helpers(0).running.size() == 4);
  CHECK(c.helpers(1).running.size() == 4);
  c.clear_logs();
  c.partition(false);
  c.run_for(2s);
  CHECK(c.helpers(0).running == std::set<std::pair<int, int>>{{0, 0}, {0, 1}});
  CHECK(c.helpers(1).running == std::set<std::pair<int, int>>{{1, 0}, {1, 1}});
  CHECK(in_order(c.log(1), {"Cluster node node1 returning after partition.",
                            "Dead node node1 gave up resources.",
                            "Releasing resource group: node1 192.168.1.5 httpd"}));
  CHECK(c.own(0).rscstatus() == RscStatus::kLocal);
  CHECK(c.own(1).rscstatus() == RscStatus::kLocal);
  CHECK(c.up(0));
  CHECK(c.up(1));
}

TEST_CASE(
    "resource: a mach_down report without isstable leaves the peer stable, so its "
    "failback standby is heard") {
  // node1 came back while node2 was still taking its group over (after
  // node1's own graceful stop): node2 answered `starting` as stable, then
  // its mach_down walk ended and reported without isstable.
  Rig r(seed_config("node1", P::kOn));
  r.comm_up_with_peer("node2");
  r.deliver("node2",
            msg({{"t", "resource"}, {"rsc_hold", "all"}, {"rtype", "full"}, {"isstable", "1"}}));
  REQUIRE(r.logged("Local Resource acquisition completed. (none)"));
  r.deliver("node2", msg({{"t", "resource"}, {"rsc_hold", "foreign"}, {"info", "mach_down"}}));
  r.deliver("node2", msg({{"t", "ask_resources"}, {"rsc_hold", "foreign"}, {"info", "me"}}));
  CHECK(r.logged("node2 wants to go standby [foreign]"));
  CHECK_FALSE(r.logged("standby message [me] from node2 ignored.  Other side is in flux."));
}
