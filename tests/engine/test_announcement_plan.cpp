// engine::AnnouncementPlan (announcement_plan.h): when the held VIPs are
// announced again, after a healed partition and at vigil.cf's garp_refresh,
// and what ResourceEngine makes of a verdict (only quietly held IP entries).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "common/log.h"
#include "heartbeatd/engine/announcement_plan.h"
#include "heartbeatd/engine/resource_engine.h"
#include "tests/engine/engine_fixture.h"

namespace vigil::engine {
namespace {
using namespace std::chrono_literals;
namespace pi = proto::ipd;
namespace pr = proto::resourced;

core::Action event(core::EventKind kind, const std::string& node) {
  return core::MembershipEvent{kind, node, {}, {}};
}

core::Action from(const std::string& node, messages::Body body) {
  return core::Deliver{node, messages::ClusterMessage{{}, std::move(body)}};
}

const MonoTime kT0{1000s};

}  // namespace

TEST_CASE("announcement plan: a healed partition calls for the agent's whole schedule at once") {
  AnnouncementPlan plan(0ms);
  plan.start(kT0);
  const auto v =
      plan.on_membership(event(core::EventKind::kPeerReturnedAfterPartition, "node2"), kT0);
  REQUIRE(v);
  CHECK(v->kind == pi::AnnounceKind::kAgain);
  CHECK(v->why == "partition with node2 healed");
}

TEST_CASE(
    "announcement plan: the returned peer's resource reports call for it again while watched") {
  AnnouncementPlan plan(0ms);
  plan.start(kT0);
  plan.on_membership(event(core::EventKind::kPeerReturnedAfterPartition, "node2"), kT0);
  const auto v = plan.on_membership(from("node2", messages::Resource{"none", true, true, {}, true, {}, {}, false}),
                                    kT0 + 300ms);
  REQUIRE(v);
  CHECK(v->kind == pi::AnnounceKind::kAgain);
  CHECK(v->why == "node2 reported its resources after the partition healed");
  // Other messages, and other nodes, call for nothing.
  CHECK_FALSE(plan.on_membership(from("node2", messages::Starting{}), kT0 + 400ms));
  CHECK_FALSE(plan.on_membership(from("node3", messages::Resource{}), kT0 + 400ms));
  // Past the watch, nothing more.
  CHECK_FALSE(
      plan.on_membership(from("node2", messages::Resource{}), kT0 + AnnouncementPlan::kHealWatch));
  CHECK(plan.watching().empty());
}

TEST_CASE("announcement plan: a heartbeat peer's shutdone after the heal is the last call") {
  AnnouncementPlan plan(0ms);
  plan.start(kT0);
  plan.on_membership(event(core::EventKind::kPeerReturnedAfterPartition, "node2"), kT0);
  CHECK(plan.on_membership(from("node2", messages::Shutdone{"dead"}), kT0 + 2500ms));
  CHECK(plan.watching().empty());
  CHECK_FALSE(plan.on_membership(from("node2", messages::Resource{}), kT0 + 3s));
}

TEST_CASE("announcement plan: a peer that dies again or restarts is no longer watched") {
  for (auto kind : {core::EventKind::kNodeDead, core::EventKind::kPeerRestarted}) {
    AnnouncementPlan plan(0ms);
    plan.start(kT0);
    plan.on_membership(event(core::EventKind::kPeerReturnedAfterPartition, "node2"), kT0);
    CHECK_FALSE(plan.on_membership(event(kind, "node2"), kT0 + 1s));
    CHECK_FALSE(plan.on_membership(from("node2", messages::Resource{}), kT0 + 2s));
  }
}

TEST_CASE("announcement plan: without garp_refresh there is no deadline and no refresh") {
  AnnouncementPlan plan(0ms);
  plan.start(kT0);
  CHECK_FALSE(plan.next_deadline());
  CHECK_FALSE(plan.on_tick(kT0 + 24h));
}

TEST_CASE("announcement plan: garp_refresh announces every period, on schedule, never twice late") {
  AnnouncementPlan plan(10s);
  plan.start(kT0);
  REQUIRE(plan.next_deadline() == kT0 + 10s);
  CHECK_FALSE(plan.on_tick(kT0 + 9s));
  const auto v = plan.on_tick(kT0 + 10s + 40ms);
  REQUIRE(v);
  CHECK(v->kind == pi::AnnounceKind::kRefresh);
  CHECK(v->why.empty());
  CHECK(plan.next_deadline() == kT0 + 20s);  // a late tick does not shift it
  CHECK(plan.on_tick(kT0 + 45s));            // 25 s late: once, then a period on
  CHECK(plan.next_deadline() == kT0 + 55s);
  CHECK_FALSE(plan.on_tick(kT0 + 46s));
}

namespace {

// A resource engine holding the seed group (VIP at {0,0}, script at {0,1}).
struct Holding {
  explicit Holding(conf::Config c = test::seed_config()) : config(std::move(c)) {
    engine.emplace(config, ResourceEngine::Generation::kContinued);
    run(engine->start(now));
    // The survey: resourced's status of httpsvc, then ipd's list.
    answer(pr::Reply{});
    answer(pi::VipList{0, {pi::VipState{{0, 0}, true}}});
    run(engine->on_membership(event(core::EventKind::kNodeUp, "node2"), now));
    run(engine->on_membership(core::MembershipEvent{core::EventKind::kCommUp, {}, {}, {}}, now));
    calls.clear();
  }
  void run(const ResourceActions& actions) {
    for (const auto& a : actions) {
      if (const auto* c = std::get_if<HelperCall>(&a)) calls.push_back(*c);
      if (const auto* l = std::get_if<Log>(&a)) log::write(l->priority, l->text, l->fields);
    }
  }
  void answer(HelperReply reply) {
    for (std::size_t i = 0; i < calls.size(); ++i) {
      const HelperCall c = calls[i];
      const bool fits =
          (std::holds_alternative<pr::Reply>(reply) && c.kind == CallKind::kResourced) ||
          (std::holds_alternative<pi::VipList>(reply) && c.kind == CallKind::kIpdList) ||
          (std::holds_alternative<pi::Result>(reply) &&
           (c.kind == CallKind::kIpdAnnounce || c.kind == CallKind::kIpdAdd));
      if (!fits) continue;
      calls.erase(calls.begin() + static_cast<std::ptrdiff_t>(i));
      if (auto* r = std::get_if<pr::Reply>(&reply)) {
        r->outcome = pr::Outcome::kOk;
        r->state = pr::RunState::kRunning;
      }
      run(engine->on_answer({c.call, reply}, now));
      return;
    }
    FAIL("no call waits for that answer");
  }

  MonoTime now{1000s};
  conf::Config config;
  log::ScopedCapture capture;
  std::optional<ResourceEngine> engine;
  std::vector<HelperCall> calls;
};

}  // namespace

TEST_CASE("resource engine: a healed partition announces each held VIP again, with a log line") {
  Holding h;
  REQUIRE(h.engine->ownership() != nullptr);
  h.run(
      h.engine->on_membership(event(core::EventKind::kPeerReturnedAfterPartition, "node2"), h.now));
  std::vector<HelperCall> announces;
  for (const auto& c : h.calls)
    if (c.kind == CallKind::kIpdAnnounce) announces.push_back(c);
  REQUIRE(announces.size() == 1);
  CHECK(announces[0].place == proto::ResourcePlace{0, 0});
  CHECK(announces[0].announce == pi::AnnounceKind::kAgain);
  CHECK(h.capture.contains(
      "Announcing the IP addresses held here again: partition with node2 healed"));
  // ipd could not: a warning naming the address and the group, nothing else.
  h.answer(pi::Result{0, pi::Outcome::kFailed, "192.0.2.5 is not configured"});
  CHECK(h.capture.contains(
      "Cannot announce 192.0.2.5 of resource group 192.0.2.5 again: 192.0.2.5 is not configured"));
}

TEST_CASE("resource engine: garp_refresh announces the held VIP every period, without a log line") {
  conf::Config c = test::seed_config();
  c.vigil_cf.garp_refresh = 30s;
  Holding h(std::move(c));
  h.capture.clear();
  REQUIRE(h.engine->next_deadline());
  CHECK(*h.engine->next_deadline() <= h.now + 30s);
  h.run(h.engine->on_tick(h.now + 30s));
  REQUIRE(h.calls.size() == 1);
  CHECK(h.calls[0].kind == CallKind::kIpdAnnounce);
  CHECK(h.calls[0].announce == pi::AnnounceKind::kRefresh);
  CHECK(h.capture.events().empty());
}

TEST_CASE("resource engine: a node that holds nothing announces nothing after a heal") {
  conf::Config c = test::seed_config("node2");
  ResourceEngine engine(c, ResourceEngine::Generation::kNew);
  std::vector<HelperCall> calls;
  for (const auto& a : engine.start(kT0))
    if (const auto* hc = std::get_if<HelperCall>(&a)) calls.push_back(*hc);
  for (const auto& hc : calls) {
    HelperReply reply = pr::Reply{};
    if (hc.kind == CallKind::kIpdList) reply = pi::VipList{0, {pi::VipState{{0, 0}, false}}};
    engine.on_answer({hc.call, reply}, kT0);
  }
  REQUIRE(engine.ownership() != nullptr);
  for (const auto& a :
       engine.on_membership(event(core::EventKind::kPeerReturnedAfterPartition, "node1"), kT0))
    if (const auto* hc = std::get_if<HelperCall>(&a)) CHECK(hc->kind != CallKind::kIpdAnnounce);
}

}  // namespace vigil::engine
