// The ownership module driven by plain calls with virtual time
// (heartbeat-compat.md §6.3–§6.8, §7.2, §7.3).
#include <catch2/catch.hpp>

#include "harness.h"

using namespace vigil;
using namespace vigil::ownership;
using namespace vigil::ownership::test;
using K = core::EventKind;
using P = conf::AutoFailback;

namespace {

wire::Message resource_msg(const std::string& hold, bool stable, bool vigil = false) {
  auto m = msg(
      {{"t", "resource"}, {"rsc_hold", hold}, {"rtype", "full"}, {"isstable", stable ? "1" : "0"}});
  if (vigil) m.set("vigil", "1");
  return m;
}

wire::Message ask(const std::string& cls, const std::string& info) {
  return msg({{"t", "ask_resources"}, {"rsc_hold", cls}, {"info", info}});
}

// node1 (home of the seed group) brought to STABLE holding its group, with
// a stable node2 that holds nothing.
Rig stable_node1(P policy = P::kOn) {
  Rig r(seed_config("node1", policy));
  r.comm_up_with_peer();
  r.deliver("node2", resource_msg("local", true));
  return r;
}

// node2 (no groups of its own) that took over node1's group after its death.
Rig node2_after_takeover(P policy = P::kOn) {
  Rig r(seed_config("node2", policy));
  r.comm_up_with_peer("node1");
  r.deliver("node1", resource_msg("local", true));
  r.event(K::kNodeDead, "node1");
  return r;
}

}  // namespace

// ------------------------------------------------------------ §6.3 startup

TEST_CASE("startup: comm up sends `starting` and enters STARTING") {
  Rig r(seed_config("node1", P::kOn));
  r.comm_up_with_peer();
  REQUIRE(r.sent_of("starting").size() == 1);
  CHECK(r.sent_of("starting")[0].get_or("vigil", "") == "1");
  CHECK(r.own.state() == ResourceState::kStarting);
}

TEST_CASE("startup: a peer's `starting` while STARTING gives BOTHSTARTING and an unstable reply") {
  Rig r(seed_config("node1", P::kOn));
  r.comm_up_with_peer();
  r.deliver("node2", msg({{"t", "starting"}}));
  CHECK(r.own.state() == ResourceState::kBothStarting);
  auto res = r.sent_of("resource");
  REQUIRE(res.size() == 1);
  CHECK(res[0].get_or("rsc_hold", "") == "none");
  CHECK(res[0].get_or("rtype", "") == "full");
  CHECK(res[0].get_or("isstable", "") == "0");
}

TEST_CASE("startup: a STABLE node answers `starting` with what it holds and isstable=1") {
  auto r = stable_node1();
  r.clear();
  r.deliver("node2", msg({{"t", "starting"}}));
  auto res = r.sent_of("resource");
  REQUIRE(res.size() == 1);
  CHECK(res[0].get_or("rsc_hold", "") == "local");
  CHECK(res[0].get_or("isstable", "") == "1");
}

TEST_CASE(
    "startup: with a heartbeat peer RSCRCVD waits RQSTDELAY (10 s) before taking local groups") {
  Rig r(seed_config("node1", P::kOn));
  r.comm_up_with_peer();
  r.deliver("node2", resource_msg("none", false));
  CHECK(r.own.state() == ResourceState::kRscRcvd);
  r.tick(9900ms);
  CHECK(r.helpers.seen.empty());
  r.tick(100ms);
  CHECK(in_order(r.texts(), {"local resource transition completed.",
                             "Initial resource acquisition complete (T_RESOURCES(us))",
                             "Acquiring resource group: node1 192.168.1.5 httpd",
                             "Local Resource acquisition completed."}));
  CHECK(r.own.state() == ResourceState::kStable);
  CHECK(r.helpers.running.size() == 2);
}

TEST_CASE("startup: with a vigil peer that holds nothing, RSCRCVD takes local groups at once") {
  Rig r(seed_config("node1", P::kOn));
  r.comm_up_with_peer();
  r.deliver("node2", resource_msg("none", false, /*vigil=*/true));
  CHECK(r.own.state() == ResourceState::kStable);
  CHECK(r.logged("local resource transition completed."));
  CHECK(r.helpers.running.size() == 2);
}

TEST_CASE("startup: a node that never gets a `resource` stays STARTING and takes nothing") {
  Rig r(seed_config("node1", P::kOn));
  r.comm_up_with_peer();
  r.tick(60s);
  CHECK(r.own.state() == ResourceState::kStarting);
  CHECK(r.helpers.seen.empty());
}

TEST_CASE("startup: a stable peer holding nothing → remote transition, our groups acquired") {
  Rig r(seed_config("node1", P::kOn));
  r.comm_up_with_peer();
  r.deliver("node2", resource_msg("local", true));
  CHECK(in_order(r.texts(), {"remote resource transition completed.",
                             "Acquiring resource group: node1 192.168.1.5 httpd",
                             "Local Resource acquisition completed."}));
  CHECK(r.own.state() == ResourceState::kStable);
  CHECK(r.own.i_hold() == kLocal);
}

TEST_CASE("startup on: a stable peer holding our groups → (none), failback awaited") {
  Rig r(seed_config("node1", P::kOn));
  r.comm_up_with_peer();
  r.deliver("node2", resource_msg("all", true));
  CHECK(r.logged("Local Resource acquisition completed. (none)"));
  CHECK(r.helpers.seen.empty());
  CHECK(r.own.state() == ResourceState::kStable);
  CHECK_FALSE(r.logged("Initial resource acquisition complete (T_RESOURCES(them))"));
  auto res = r.sent_of("resource");
  REQUIRE_FALSE(res.empty());
  CHECK(res.back().get_or("rsc_hold", "") == "none");
  CHECK(res.back().get_or("isstable", "") == "1");
}

TEST_CASE("startup off: a stable peer holding our groups → (none) and the groups stay there") {
  Rig r(seed_config("node1", P::kOff));
  r.comm_up_with_peer();
  r.deliver("node2", resource_msg("all", true));
  CHECK(r.logged("Local Resource acquisition completed. (none)"));
  CHECK(r.logged("Initial resource acquisition complete (T_RESOURCES(them))"));
  r.tick(30s);
  CHECK(r.helpers.seen.empty());
  CHECK(r.sent_of("ask_resources").empty());
}

TEST_CASE("startup: a lone node (peer dead before comm up) takes everything without RQSTDELAY") {
  Rig r(seed_config("node2", P::kOn));
  r.event(K::kNodeDead, "node1");
  r.event(K::kCommUp);
  CHECK(
      in_order(r.texts(),
               {"No STONITH device configured.", "Shared disks are not protected.",
                "Resources being acquired from node1.", "Taking over resource group 192.168.1.5",
                "mach_down takeover complete.", "Initial resource acquisition complete (mach_down)",
                "local resource transition completed."}));
  CHECK(r.own.state() == ResourceState::kStable);
  CHECK(r.helpers.running.size() == 2);
}

namespace {

std::size_t count_text(const Rig& r, std::string_view text) {
  std::size_t n = 0;
  for (const auto& t : r.texts()) n += t == text;
  return n;
}

std::size_t count_starts(const Rig& r, int group, int position) {
  std::size_t n = 0;
  for (const auto& q : r.helpers.seen)
    n += q.group == group && q.position == position && q.op == ResourceOp::kStart;
  return n;
}

// node1 (home of the seed group) that came up alone: node2 dead before comm up.
Rig lone_node1() {
  Rig r(seed_config("node1", P::kOn));
  r.event(K::kNodeDead, "node2");
  r.event(K::kCommUp);
  return r;
}

}  // namespace

TEST_CASE("startup: a lone home node walks its group once, as heartbeat's lone start does") {
  auto r = lone_node1();
  CHECK(count_text(r, "Acquiring resource group: node1 192.168.1.5 httpd") == 1);
  CHECK(count_text(r, "Local Resource acquisition completed.") == 1);
  CHECK(count_starts(r, 0, 0) <= 1);
  CHECK(count_starts(r, 0, 1) <= 1);
  CHECK(r.helpers.running.size() == 2);
  CHECK(r.own.state() == ResourceState::kStable);
}

TEST_CASE("startup: a node whose dead peer has no group claims only its own class") {
  auto r = lone_node1();
  CHECK(r.own.i_hold() == kLocal);
  CHECK(r.own.rscstatus() == RscStatus::kLocal);
  CHECK_FALSE(r.own.snapshot().needs_failback);
  auto res = r.sent_of("resource");
  REQUIRE_FALSE(res.empty());
  CHECK(res.back().get_or("rsc_hold", "") == "local");
}

TEST_CASE("startup: a peer joining a home node that started alone causes no empty standby") {
  auto r = lone_node1();
  r.event(K::kNodeUp, "node2");
  r.clear();
  r.deliver("node2", msg({{"t", "starting"}}));
  auto reply = r.sent_of("resource");
  REQUIRE(reply.size() == 1);
  CHECK(reply[0].get_or("rsc_hold", "") == "local");
  CHECK(reply[0].get_or("isstable", "") == "1");
  r.deliver("node2", resource_msg("local", true));
  r.tick(5s);
  CHECK(r.sent_of("ask_resources").empty());
  CHECK_FALSE(r.logged("node1 wants to go standby [foreign]"));
  CHECK(r.helpers.seen.empty());
}

TEST_CASE("mach_down: a peer dying before our exchange ends makes us take our groups once") {
  Rig r(seed_config("node1", P::kOn));
  r.comm_up_with_peer();
  r.deliver("node2", resource_msg("none", false));  // RSCRCVD, waiting for a stable peer
  r.event(K::kNodeDead, "node2");
  r.tick(11s);
  CHECK(count_text(r, "Acquiring resource group: node1 192.168.1.5 httpd") == 1);
  CHECK(r.helpers.running.size() == 2);
  CHECK(r.own.state() == ResourceState::kStable);
}

TEST_CASE("mach_down: a node without groups logs `No local resources` once per takeover") {
  Rig r(seed_config("node2", P::kOn));
  r.comm_up_with_peer("node1");
  r.deliver("node1", resource_msg("local", false));  // RSCRCVD, peer not yet stable
  r.event(K::kNodeDead, "node1");
  r.tick(11s);
  CHECK(count_text(r,
                   "No local resources [/usr/share/heartbeat/ResourceManager listkeys node2] to "
                   "acquire.") == 1);
  CHECK(r.helpers.running.size() == 2);
}

TEST_CASE("startup: comm up brought by a peer's message before its status waits for the peer") {
  Rig r(seed_config("node1", P::kOn));
  r.event(K::kCommUp);  // node2 heard, but no status from it yet
  CHECK(r.own.state() == ResourceState::kStarting);
  r.tick(1s);
  CHECK(r.helpers.seen.empty());
  CHECK_FALSE(r.logged("local resource transition completed."));
}

TEST_CASE("startup: a returning home node that hears the peer's mach_down first takes nothing") {
  // node1's heartbeatd came back while node2 was still taking its group
  // over: node2's `resource rsc_hold=foreign info=mach_down` is the first
  // thing node1 hears, before node2's status and its answer to `starting`.
  Rig r(seed_config("node1", P::kOn));
  r.event(K::kCommUp);
  r.deliver(
      "node2",
      msg({{"t", "resource"}, {"rsc_hold", "foreign"}, {"info", "mach_down"}, {"vigil", "1"}}));
  r.event(K::kNodeUp, "node2");
  r.deliver("node2", resource_msg("all", true, true));
  CHECK(r.logged("Local Resource acquisition completed. (none)"));
  r.tick(11s);
  CHECK(r.helpers.seen.empty());
  CHECK(r.helpers.running.empty());
}

TEST_CASE("mach_down: a peer dead at our lone start is taken over again when it dies later") {
  Rig r(seed_config("node1", P::kOn, {"node2 10.0.0.6 svc2"}));
  r.event(K::kNodeDead, "node2");
  r.event(K::kCommUp);
  r.event(K::kNodeUp, "node2");
  r.deliver("node2", msg({{"t", "starting"}}));
  r.deliver("node2", resource_msg("local", true));  // it took its own group back
  r.clear();
  r.event(K::kNodeDead, "node2");
  CHECK(r.logged("Resources being acquired from node2."));
  CHECK(r.logged("Taking over resource group 10.0.0.6"));
}

// ------------------------------------------------------------ legacy §6.3

TEST_CASE("legacy: comm up with a live peer asks for each local group with ip-request") {
  Rig r(seed_config("node1", P::kLegacy));
  r.comm_up_with_peer();
  CHECK(r.sent_of("starting").empty());
  auto req = r.sent_of("ip-request");
  REQUIRE(req.size() == 1);
  CHECK(req[0].get_or("ipaddr", "") == "192.168.1.5");
  CHECK(r.helpers.seen.empty());
  CHECK(r.logged("Local Resource acquisition completed."));
}

TEST_CASE("legacy: alone at comm up (HA_DONTASK) the node takes its groups directly") {
  Rig r(seed_config("node1", P::kLegacy));
  r.event(K::kCommUp);
  CHECK(r.sent_of("ip-request").empty());
  CHECK(r.helpers.running.size() == 2);
}

TEST_CASE("legacy: a peer's ip-request for a group held here releases it, then answers weown=yes") {
  Rig r(seed_config("node2", P::kLegacy));
  r.event(K::kCommUp);  // alone: nothing of its own
  r.event(K::kNodeDead, "node1");
  REQUIRE(r.helpers.running.size() == 2);
  r.event(K::kNodeUp, "node1");
  r.clear();
  r.deliver("node1", msg({{"t", "ip-request"}, {"ipaddr", "192.168.1.5"}}));
  CHECK(r.logged("Releasing resource group: node1 192.168.1.5 httpd"));
  CHECK(r.helpers.running.empty());
  auto resp = r.sent_of("ip-request-resp");
  REQUIRE(resp.size() == 1);
  CHECK(resp[0].get_or("dest", "") == "node1");
  CHECK(resp[0].get_or("weown", "") == "yes");
  CHECK(resp[0].get_or("ok", "") == "OK");
}

TEST_CASE("legacy: an ip-request for a group not held here is answered weown=no at once") {
  Rig r(seed_config("node2", P::kLegacy));
  r.comm_up_with_peer("node1");
  r.deliver("node1", msg({{"t", "ip-request"}, {"ipaddr", "192.168.1.5"}}));
  auto resp = r.sent_of("ip-request-resp");
  REQUIRE(resp.size() == 1);
  CHECK(resp[0].get_or("weown", "") == "no");
}

TEST_CASE("legacy: ip-request-resp OK for our key takes the group") {
  Rig r(seed_config("node1", P::kLegacy));
  r.comm_up_with_peer();
  r.deliver("node2", msg({{"t", "ip-request-resp"},
                          {"dest", "node1"},
                          {"ipaddr", "192.168.1.5"},
                          {"weown", "yes"},
                          {"ok", "OK"}}));
  CHECK(r.logged("received ip-request-resp 192.168.1.5 OK yes"));
  CHECK(r.helpers.running.size() == 2);
}

TEST_CASE("legacy: hb_standby is refused") {
  Rig r(seed_config("node1", P::kLegacy));
  r.comm_up_with_peer();
  r.apply(r.own.standby(kAll, r.now));
  CHECK(r.logged("Standby mode only implemented when nice_failback on"));
  CHECK(r.sent_of("ask_resources").empty());
}

TEST_CASE("legacy: hb_takeover is refused") {
  Rig r(seed_config("node1", P::kLegacy));
  r.comm_up_with_peer();
  r.apply(r.own.takeover(kAll, false, r.now));
  CHECK(r.logged("Standby mode only implemented when nice_failback on"));
  CHECK(r.sent_of("hb_takeover").empty());
}

// ---------------------------------------------------------- §6.4 mach_down

TEST_CASE("mach_down: the first takeover request goes out in the call that handles kNodeDead") {
  Rig r(seed_config("node2", P::kOn));
  r.comm_up_with_peer("node1");
  r.deliver("node1", resource_msg("local", true));
  r.hold_results = true;
  auto out = r.own.on_event(core::MembershipEvent{K::kNodeDead, "node1", {}, {}}, r.now);
  bool request = false;
  for (const auto& a : out)
    if (auto* q = std::get_if<ResourceRequest>(&a))
      request = request || (q->group == 0 && q->position == 0 && q->op == ResourceOp::kStart &&
                            q->target == ResourceTarget::kIpd);
  CHECK(request);
}

TEST_CASE("mach_down: a dead peer that held resources gives heartbeat's failover lines in order") {
  auto r = node2_after_takeover();
  CHECK(in_order(r.texts(),
                 {"No STONITH device configured.", "Shared disks are not protected.",
                  "Resources being acquired from node1.",
                  "No local resources [/usr/share/heartbeat/ResourceManager listkeys node2] to "
                  "acquire.",
                  "Taking over resource group 192.168.1.5",
                  "Acquiring resource group: node1 192.168.1.5 httpd",
                  "/usr/share/heartbeat/mach_down: nice_failback: foreign resources acquired",
                  "mach_down takeover complete for node node1.", "mach_down takeover complete."}));
  CHECK(r.helpers.running.size() == 2);
  CHECK(r.own.i_hold() & kForeign);
}

TEST_CASE("mach_down: the takeover announces rsc_hold=foreign info=mach_down without rtype") {
  auto r = node2_after_takeover();
  auto res = r.sent_of("resource");
  REQUIRE_FALSE(res.empty());
  const auto& m = res.back();
  CHECK(m.get_or("rsc_hold", "") == "foreign");
  CHECK(m.get_or("info", "") == "mach_down");
  CHECK_FALSE(m.has("rtype"));
}

TEST_CASE("mach_down: a dead peer whose last report was `none` gave up resources (no STONITH)") {
  Rig r(seed_config("node2", P::kOn));
  r.comm_up_with_peer("node1");
  r.deliver("node1", resource_msg("none", true));
  r.event(K::kNodeDead, "node1");
  CHECK(r.logged("Dead node node1 gave up resources."));
  CHECK_FALSE(r.logged("No STONITH device configured."));
  auto st = r.sent_of("stonith");
  REQUIRE(st.size() == 1);
  CHECK(st[0].get_or("result", "") == "unneeded");
}

TEST_CASE("mach_down: a peer never heard from needs STONITH (n_stnth reported)") {
  Rig r(seed_config("node2", P::kOn));
  r.event(K::kNodeDead, "node1");
  r.event(K::kCommUp);
  CHECK(r.logged("No STONITH device configured."));
  auto st = r.sent_of("stonith");
  REQUIRE(st.size() == 1);
  CHECK(st[0].get_or("result", "") == "n_stnth");
}

TEST_CASE("mach_down: a pending standby is cancelled when the peer dies") {
  auto r = stable_node1();
  r.apply(r.own.standby(kAll, r.now));
  REQUIRE(r.own.standby_state() == StandbyState::kMe);
  r.event(K::kNodeDead, "node2");
  CHECK(r.logged("Cancelling pending standby operation"));
  CHECK(r.own.standby_state() == StandbyState::kNot);
}

TEST_CASE(
    "mach_down: our own groups held by the dead peer are taken back too (auto_failback off)") {
  Rig r(seed_config("node1", P::kOff));
  r.comm_up_with_peer();
  r.deliver("node2", resource_msg("all", true));
  REQUIRE(r.helpers.running.empty());
  r.event(K::kNodeDead, "node2");
  CHECK(r.helpers.running.size() == 2);
  CHECK(r.logged("Local Resource acquisition completed."));
}

// --------------------------------------------------- §6.7 graceful shutdown

TEST_CASE("shutdone: a peer's shutdown notice triggers an immediate takeover (seed excerpt 2)") {
  Rig r(seed_config("node2", P::kOn));
  r.comm_up_with_peer("node1");
  r.deliver("node1", resource_msg("local", true));
  r.clear();
  r.deliver("node1", resource_msg("none", false));
  r.deliver("node1", msg({{"t", "shutdone"}, {"st", "dead"}}));
  CHECK(in_order(
      r.texts(),
      {"Received shutdown notice from 'node1'.", "Resources being acquired from node1.",
       "acquire local HA resources (standby).",
       "local HA resource acquisition completed (standby).",
       "Standby resource acquisition done [all].", "Taking over resource group 192.168.1.5",
       "Acquiring resource group: node1 192.168.1.5 httpd",
       "mach_down takeover complete for node node1.", "mach_down takeover complete."}));
  CHECK(r.helpers.running.size() == 2);
}

TEST_CASE("shutdone: the later death of that peer says it gave up resources and takes nothing") {
  Rig r(seed_config("node2", P::kOn));
  r.comm_up_with_peer("node1");
  r.deliver("node1", resource_msg("local", true));
  r.deliver("node1", resource_msg("none", false));
  r.deliver("node1", msg({{"t", "shutdone"}, {"st", "dead"}}));
  r.clear();
  r.event(K::kNodeDead, "node1");
  CHECK(r.texts() == std::vector<std::string>{"Dead node node1 gave up resources."});
  CHECK(r.helpers.seen.empty());
}

TEST_CASE("shutdown: ours releases every group in file order, then shutdone and exit") {
  Rig r(seed_config("node1", P::kOn, {"node2 10.0.0.7 mail"}));
  r.comm_up_with_peer();
  r.deliver("node2", resource_msg("local", true));
  r.clear();
  r.apply(r.own.shutdown(105, r.now));
  CHECK(in_order(r.texts(), {"Heartbeat shutdown in progress. (105)", "Giving up all HA resources.",
                             "Releasing resource group: node1 192.168.1.5 httpd",
                             "Releasing resource group: node2 10.0.0.7 mail",
                             "All HA resources relinquished."}));
  auto res = r.sent_of("resource");
  REQUIRE(res.size() == 1);
  CHECK(res[0].get_or("rsc_hold", "") == "none");
  CHECK(res[0].get_or("isstable", "") == "0");
  CHECK(res[0].get_or("info", "") == "shutdown");
  REQUIRE(r.sent_of("shutdone").size() == 1);
  CHECK(r.sent_of("shutdone")[0].get_or("st", "") == "dead");
  CHECK(r.shutdown_complete);
  CHECK(r.helpers.running.empty());
}

// A peer restarted while we release: our answer to its `starting` still says
// we stop, so it counts us as holding everything until our `shutdone`
// (whole-node simulator, seed 9001017: read "holds none", the peer started
// its home group while we still released it).
TEST_CASE("shutdown: a report sent while releasing still carries info=shutdown") {
  Rig r(seed_config("node1", P::kOn, {"node2 10.0.0.7 mail"}));
  r.comm_up_with_peer();
  r.deliver("node2", resource_msg("local", true));
  r.hold_results = true;
  r.apply(r.own.shutdown(105, r.now));
  r.clear();
  r.deliver("node2", msg({{"t", "starting"}}));
  auto res = r.sent_of("resource");
  REQUIRE(res.size() == 1);
  CHECK(res[0].get_or("rsc_hold", "") == "none");
  CHECK(res[0].get_or("info", "") == "shutdown");
}

TEST_CASE("shutdown: delayed until the running resource activity finishes") {
  Rig r(seed_config("node1", P::kOn));
  r.comm_up_with_peer();
  r.hold_results = true;
  r.deliver("node2", resource_msg("local", true));  // starts our group walk
  r.apply(r.own.shutdown(7, r.now));
  CHECK(r.logged("Shutdown delayed until current resource activity finishes."));
  CHECK_FALSE(r.logged("Heartbeat shutdown in progress. (7)"));
  r.answer_held();
  while (!r.held.empty()) r.answer_held();
  CHECK(r.logged("Heartbeat shutdown in progress. (7)"));
  CHECK(r.shutdown_complete);
}

TEST_CASE("shutdown: a peer's shutdone during ours cancels the takeover") {
  Rig r(seed_config("node2", P::kOn));
  r.comm_up_with_peer("node1");
  r.deliver("node1", resource_msg("local", true));
  r.apply(r.own.shutdown(1, r.now));
  r.clear();
  r.deliver("node1", msg({{"t", "shutdone"}, {"st", "dead"}}));
  CHECK(r.logged("Resource takeover cancelled - shutdown in progress."));
  CHECK(r.helpers.seen.empty());
}

// ------------------------------------------------------- §6.6 standby

TEST_CASE("standby: the giving side runs the whole protocol with heartbeat's lines") {
  auto r = stable_node1();
  r.clear();
  r.apply(r.own.standby(kAll, r.now));
  CHECK(r.logged("Going standby [all]."));
  CHECK(r.logged("node1 wants to go standby [all]"));
  REQUIRE(r.sent_of("ask_resources").size() == 1);
  CHECK(r.sent_of("ask_resources")[0].get_or("info", "") == "me");
  r.deliver("node2", ask("all", "other"));
  CHECK(r.helpers.running.empty());
  CHECK(r.own.standby_state() == StandbyState::kDone);
  r.deliver("node2", ask("all", "done"));
  CHECK(in_order(
      r.texts(),
      {"node1 wants to go standby [all]", "standby: node2 can take our all resources",
       "give up all HA resources (standby).", "Releasing resource group: node1 192.168.1.5 httpd",
       "all HA resource release completed (standby).", "Local standby process completed [all].",
       "Other node completed standby takeover of all resources."}));
  CHECK(r.own.standby_state() == StandbyState::kNot);
  CHECK(r.own.i_hold() == kNone);
  auto res = r.sent_of("resource");
  REQUIRE(res.size() == 2);
  CHECK(res[0].get_or("info", "") == "standby");
  CHECK(res[0].get_or("isstable", "") == "0");
  CHECK(res[1].get_or("isstable", "") == "1");
}

TEST_CASE("standby: the taking side acquires the mirrored class and announces it") {
  Rig r(seed_config("node2", P::kOn));
  r.comm_up_with_peer("node1");
  r.deliver("node1", resource_msg("local", true));
  r.clear();
  r.deliver("node1", ask("local", "me"));
  CHECK(r.logged("node1 wants to go standby [local]"));
  REQUIRE(r.sent_of("ask_resources").size() == 1);
  CHECK(r.sent_of("ask_resources")[0].get_or("info", "") == "other");
  r.deliver("node1", ask("local", "done"));
  CHECK(in_order(r.texts(), {"standby: acquire [local] resources from node1",
                             "acquire foreign HA resources (standby).",
                             "Acquiring resource group: node1 192.168.1.5 httpd",
                             "foreign HA resource acquisition completed (standby).",
                             "Standby resource acquisition done [local]."}));
  CHECK(r.helpers.running.size() == 2);
  CHECK(r.own.standby_state() == StandbyState::kNot);
  CHECK(r.sent_of("ask_resources").back().get_or("info", "") == "done");
}

TEST_CASE("standby: no reply within 10 s cancels the request") {
  auto r = stable_node1();
  r.apply(r.own.standby(kAll, r.now));
  r.tick(9s);
  CHECK(r.own.standby_state() == StandbyState::kMe);
  r.tick(1s);
  CHECK(r.logged("No reply to standby request.  Standby request cancelled."));
  CHECK(r.own.standby_state() == StandbyState::kNot);
  CHECK(r.helpers.running.size() == 2);
}

TEST_CASE("standby: refused while the other side is in flux") {
  Rig r(seed_config("node1", P::kOn));
  r.comm_up_with_peer();
  r.deliver("node2", resource_msg("none", false, true));  // we go stable, node2 is not
  REQUIRE(r.own.state() == ResourceState::kStable);
  r.apply(r.own.standby(kAll, r.now));
  CHECK(r.logged("standby message [me] from node1 ignored.  Other side is in flux."));
  CHECK(r.own.standby_state() == StandbyState::kNot);
}

TEST_CASE("standby: refused while our own resources are in flux") {
  Rig r(seed_config("node1", P::kOn));
  r.comm_up_with_peer();
  r.hold_results = true;
  r.deliver("node2", resource_msg("local", true));  // our group walk is running
  r.deliver("node2", ask("all", "me"));
  CHECK(r.logged("standby message [me] from node2 ignored.  local resources in flux."));
  CHECK(r.own.standby_state() == StandbyState::kNot);
}

TEST_CASE("standby: a second request while one runs is ignored with the seconds left") {
  auto r = stable_node1();
  r.apply(r.own.standby(kAll, r.now));
  r.tick(3s);
  r.deliver("node2", ask("all", "me"));
  CHECK(r.logged("Standby in progress- new request from node2 ignored [7 seconds left]"));
}

TEST_CASE("standby: an unexpected message is ignored with its state") {
  auto r = stable_node1();
  r.deliver("node2", ask("all", "done"));
  CHECK(r.logged("Ignored standby message 'done' from node2 in state 0"));
}

TEST_CASE("standby: `failback` means foreign") {
  auto r = stable_node1();
  r.apply(r.own.standby(*parse_class("failback"), r.now));
  CHECK(r.logged("Going standby [foreign]."));
}

// ------------------------------------------------------- §7.3 hb_takeover

TEST_CASE("takeover: sends hb_takeover with the class; failback is sent as local") {
  auto r = stable_node1();
  r.apply(r.own.takeover(kForeign, false, r.now));
  r.apply(r.own.takeover(kForeign, true, r.now));
  auto t = r.sent_of("hb_takeover");
  REQUIRE(t.size() == 2);
  CHECK(t[0].get_or("rsc_hold", "") == "foreign");
  CHECK(t[1].get_or("rsc_hold", "") == "local");
}

TEST_CASE("takeover: a peer's hb_takeover makes us stand by the mirrored class") {
  auto r = stable_node1();
  r.deliver("node2", msg({{"t", "hb_takeover"}, {"rsc_hold", "foreign"}}));
  CHECK(r.logged("Going standby [local]."));
  CHECK(r.logged("node1 wants to go standby [local]"));
}

TEST_CASE("takeover: a heartbeat peer's hb_takeover failback makes us stand by foreign") {
  auto r = stable_node1();
  r.deliver("node2", msg({{"t", "hb_takeover"}, {"rsc_hold", "failback"}}));
  CHECK(r.logged("Going standby [foreign]."));
}

// ------------------------------------------------ §3.4 start failure fallback

TEST_CASE("start failure: 30 s later standby of the failed group's own class") {
  Rig r(seed_config("node1", P::kOn));
  r.helpers.fail_start.insert({0, 1});
  r.comm_up_with_peer();
  r.deliver("node2", resource_msg("local", true));
  CHECK(r.logged("Giving up resources due to failure of httpd"));
  CHECK(r.helpers.running.empty());
  r.tick(29s);
  CHECK_FALSE(r.logged("Going standby [local]."));
  r.tick(1s);
  CHECK(r.logged("Going standby [local]."));
}

// --------------------------------------------------- restart continuity

TEST_CASE("restart: a module built with what runs resumes as STABLE owner, silently") {
  OwnershipParams p;
  p.held_at_start = std::vector<bool>{true};
  p.resumed = true;
  Rig r(seed_config("node1", P::kOn), p);
  r.comm_up_with_peer();
  CHECK(r.own.state() == ResourceState::kStable);
  CHECK(r.sent.empty());
  CHECK(r.helpers.seen.empty());
  CHECK(r.own.rscstatus() == RscStatus::kLocal);
  CHECK(r.own.snapshot().groups.at(0).owner == Owner::kUs);
}

TEST_CASE("restart: held foreign groups under auto_failback on still fail back") {
  OwnershipParams p;
  p.held_at_start = std::vector<bool>{true};
  p.resumed = true;
  Rig r(seed_config("node2", P::kOn), p);
  r.comm_up_with_peer("node1");
  CHECK(r.own.snapshot().needs_failback);
  CHECK(r.logged("node2 wants to go standby [foreign]"));
}

TEST_CASE("restart: groups found running in a new generation are released before joining") {
  OwnershipParams p;
  p.held_at_start = std::vector<bool>{true};
  Rig r(seed_config("node1", P::kOn), p);
  CHECK(r.logged("Resource 192.168.1.5 is active, and should not be!"));
  CHECK(r.logged("Releasing resource group: node1 192.168.1.5 httpd"));
  CHECK(r.logged("Leftover resources released."));
  REQUIRE(r.helpers.seen.size() == 2);  // right to left: httpd, then the address
  CHECK(r.helpers.seen[0].op == ResourceOp::kStop);
  CHECK(r.helpers.seen[0].position == 1);
  CHECK(r.helpers.seen[1].op == ResourceOp::kStop);
  CHECK(r.helpers.seen[1].position == 0);
  CHECK(r.own.i_hold() == kNone);
  CHECK(r.sent.empty());
  // Then an ordinary start: `starting`, and the group taken the usual way.
  r.comm_up_with_peer();
  CHECK(r.sent_of("starting").size() == 1);
  r.deliver("node2", resource_msg("local", true));
  CHECK(r.own.snapshot().groups.at(0).owner == Owner::kUs);
}

TEST_CASE("restart: a new generation with nothing running starts as usual, no leftover line") {
  OwnershipParams p;
  p.held_at_start = std::vector<bool>{false};
  Rig r(seed_config("node1", P::kOn), p);
  CHECK(r.logs.empty());
  CHECK(r.helpers.seen.empty());
}

// -------------------------------------------------------- §7.2 rscstatus

TEST_CASE("rscstatus: transition before stable, local once our group runs") {
  Rig r(seed_config("node1", P::kOn));
  r.comm_up_with_peer();
  CHECK(r.own.rscstatus() == RscStatus::kTransition);
  r.deliver("node2", resource_msg("local", true));
  CHECK(r.own.rscstatus() == RscStatus::kLocal);
}

TEST_CASE("rscstatus: transition while a walk runs") {
  Rig r(seed_config("node1", P::kOn));
  r.comm_up_with_peer();
  r.hold_results = true;
  r.deliver("node2", resource_msg("local", true));
  CHECK(r.own.rscstatus() == RscStatus::kTransition);
}

TEST_CASE("rscstatus: all after taking over the dead peer's groups") {
  auto r = node2_after_takeover();
  CHECK(r.own.rscstatus() == RscStatus::kAll);
}

TEST_CASE("rscstatus: none after standing by everything") {
  auto r = stable_node1();
  r.apply(r.own.standby(kAll, r.now));
  r.deliver("node2", ask("all", "other"));
  r.deliver("node2", ask("all", "done"));
  CHECK(r.own.rscstatus() == RscStatus::kNone);
}

TEST_CASE("snapshot: a group held by the peer shows owner peer") {
  Rig r(seed_config("node1", P::kOff));
  r.comm_up_with_peer();
  r.deliver("node2", resource_msg("all", true));
  auto s = r.own.snapshot();
  CHECK(s.groups.at(0).key == "192.168.1.5");
  CHECK(s.groups.at(0).home_node == "node1");
  CHECK(s.groups.at(0).owner == Owner::kPeer);
  CHECK(state_name(s.state) == "STABLE");
}

// ------------------------------------------------------- §6.8 partition

TEST_CASE("partition: on heal the node that is not the home node gives the groups back") {
  auto r = node2_after_takeover();
  r.clear();
  r.event(K::kPeerReturnedAfterPartition, "node1");
  CHECK(in_order(r.texts(), {"Dead node node1 gave up resources.",
                             "Releasing resource group: node1 192.168.1.5 httpd"}));
  CHECK(r.helpers.running.empty());
  CHECK_FALSE(r.own.i_hold() & kForeign);
}

TEST_CASE("partition: on heal the home node keeps its own groups") {
  auto r = stable_node1();
  r.event(K::kNodeDead, "node2");
  r.clear();
  r.event(K::kPeerReturnedAfterPartition, "node2");
  CHECK(r.helpers.running.size() == 2);
  CHECK_FALSE(r.logged("Releasing resource group: node1 192.168.1.5 httpd"));
}

// ------------------------------------------------------- §6.3 auto_failback

TEST_CASE("auto_failback on: the holder starts standby foreign once the home node is stable") {
  auto r = node2_after_takeover();
  r.event(K::kNodeUp, "node1");
  r.clear();
  r.deliver("node1", msg({{"t", "starting"}}));
  CHECK(r.sent_of("ask_resources").empty());
  r.deliver("node1", resource_msg("none", true));
  CHECK(r.logged("node2 wants to go standby [foreign]"));
}

TEST_CASE("auto_failback off: the holder keeps the groups when the home node returns") {
  auto r = node2_after_takeover(P::kOff);
  r.event(K::kNodeUp, "node1");
  r.deliver("node1", msg({{"t", "starting"}}));
  r.deliver("node1", resource_msg("none", true));
  r.tick(10s);
  CHECK(r.sent_of("ask_resources").empty());
  CHECK(r.helpers.running.size() == 2);
}
