// engine::ResourceEngine (the start-up survey, the ownership module and the
// guard) and resource_translation.h: the ownership module's resource
// vocabulary mapped onto ipd's and resourced's. The rig plays the executor:
// it records each HelperCall and answers only when the test says so (as the
// real clients answer from the event loop, never inside the call).
#include <algorithm>
#include <catch2/catch.hpp>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "common/log.h"
#include "conf/haresources.h"
#include "heartbeatd/engine/resource_engine.h"
#include "heartbeatd/engine/resource_translation.h"
#include "tests/engine/engine_fixture.h"

namespace vigil::engine {
namespace {
using namespace std::chrono_literals;
using ownership::ResourceOp;
using ownership::ResourceOutcome;
namespace pr = proto::resourced;
namespace pi = proto::ipd;

using test::seed_config;

struct Call {
  std::string what;  // "add", "remove", "list", "start", "stop", "status"
  proto::ResourcePlace place;
};

struct EngineRig {
  explicit EngineRig(conf::Config c = seed_config(),
                     ResourceEngine::Generation generation = ResourceEngine::Generation::kContinued)
      : config(std::move(c)), engine(config, generation) {
    run(engine.start(now));
  }

  // The executor: what the rig does with the engine's actions.
  void run(ResourceActions actions) {
    for (auto& a : actions) {
      if (auto* m = std::get_if<ownership::SendMessage>(&a)) {
        sent.push_back(messages::encode(m->body, m->dest));
      } else if (auto* l = std::get_if<Log>(&a)) {
        log::write(l->priority, l->text, l->fields);
      } else if (auto* c = std::get_if<HelperCall>(&a)) {
        switch (c->kind) {
          case CallKind::kIpdAdd:
            calls.push_back({"add", c->place});
            ipd_results.push_back(c->call);
            break;
          case CallKind::kIpdRemove:
            calls.push_back({"remove", c->place});
            ipd_results.push_back(c->call);
            break;
          case CallKind::kIpdAnnounce:
            calls.push_back(
                {c->announce == pi::AnnounceKind::kRefresh ? "refresh" : "announce", c->place});
            ipd_results.push_back(c->call);
            break;
          case CallKind::kIpdList:
            calls.push_back({"list", {}});
            lists.push_back(c->call);
            break;
          case CallKind::kResourcedMonitor:
            calls.push_back({"monitor", c->place});
            replies.push_back(c->call);
            break;
          case CallKind::kResourced: {
            const char* names[] = {"", "start", "stop", "status"};
            calls.push_back({names[static_cast<int>(c->op)], c->place});
            replies.push_back(c->call);
            break;
          }
        }
      } else if (std::holds_alternative<ShutdownComplete>(a)) {
        shutdown_complete = true;
      }
    }
  }

  // Answers the oldest waiting call of each kind.
  void answer_list(bool vip_present) {
    const auto id = lists.front();
    lists.pop_front();
    run(engine.on_answer({id, pi::VipList{0, {pi::VipState{{0, 0}, vip_present}}}}, now));
  }
  void answer_reply(pr::Outcome outcome, pr::RunState state) {
    const auto id = replies.front();
    replies.pop_front();
    pr::Reply r;
    r.outcome = outcome;
    r.state = state;
    run(engine.on_answer({id, r}, now));
  }
  void answer_ipd(pi::Outcome outcome) {
    const auto id = ipd_results.front();
    ipd_results.pop_front();
    run(engine.on_answer({id, pi::Result{0, outcome, {}}}, now));
  }
  void membership(core::EventKind kind, const std::string& node = {}) {
    run(engine.on_membership(core::MembershipEvent{kind, node, {}, {}}, now));
  }
  void ipd_event(const pi::Event& e) { run(engine.on_helper_event(e)); }
  void connected(Helper h) { run(engine.on_connected(h)); }

  std::vector<std::string> sent_types() const {
    std::vector<std::string> out;
    for (const auto& m : sent) out.emplace_back(m.type());
    return out;
  }
  void comm_up_with_peer() {
    membership(core::EventKind::kNodeUp, "node2");
    membership(core::EventKind::kCommUp);
  }

  MonoTime now{1000s};
  conf::Config config;
  std::vector<Call> calls;
  std::deque<std::uint32_t> ipd_results;
  std::deque<std::uint32_t> lists;
  std::deque<std::uint32_t> replies;
  std::vector<wire::Message> sent;
  bool shutdown_complete = false;
  log::ScopedCapture capture;
  ResourceEngine engine;
};

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// An engine whose survey found the seed group running: it holds it.
struct HoldingRig : EngineRig {
  HoldingRig() {
    answer_reply(pr::Outcome::kOk, pr::RunState::kRunning);
    answer_list(true);
    comm_up_with_peer();
    calls.clear();
    capture.clear();
  }
};

// An engine whose survey found nothing running and that has not acquired.
struct IdleRig : EngineRig {
  IdleRig() {
    answer_reply(pr::Outcome::kOk, pr::RunState::kStopped);
    answer_list(false);
    calls.clear();
    capture.clear();
  }
};

bool logged_event(const log::ScopedCapture& capture, const std::string& event) {
  for (const auto& e : capture.events())
    for (const auto& [k, v] : e.fields)
      if (k == "VIGIL_EVENT" && v == event) return true;
  return false;
}

}  // namespace

// ------------------------------------------------------- translation

TEST_CASE("translation: ipd refusal and failure are both a failed action") {
  CHECK(ipd_outcome(pi::Result{1, pi::Outcome::kOk, {}}) == ResourceOutcome::kOk);
  CHECK(ipd_outcome(pi::Result{1, pi::Outcome::kFailed, "x"}) == ResourceOutcome::kFailed);
  CHECK(ipd_outcome(pi::Result{1, pi::Outcome::kRefused, "x"}) == ResourceOutcome::kFailed);
}

TEST_CASE("translation: an ipd status comes from the VipList, unknown places fail") {
  const pi::VipList list{1, {pi::VipState{{0, 0}, true}, pi::VipState{{1, 0}, false}}};
  CHECK(ipd_status(list, {0, 0}) == ResourceOutcome::kRunning);
  CHECK(ipd_status(list, {1, 0}) == ResourceOutcome::kStopped);
  CHECK(ipd_status(list, {2, 0}) == ResourceOutcome::kFailed);
}

TEST_CASE("translation: a resourced status reports the agent's run state") {
  pr::Reply r;
  r.outcome = pr::Outcome::kOk;
  r.state = pr::RunState::kStopped;
  CHECK(resourced_outcome(ResourceOp::kStatus, r) == ResourceOutcome::kStopped);
  r.state = pr::RunState::kRunning;
  CHECK(resourced_outcome(ResourceOp::kStatus, r) == ResourceOutcome::kRunning);
  r.state = pr::RunState::kUnknown;
  CHECK(resourced_outcome(ResourceOp::kStatus, r) == ResourceOutcome::kFailed);
}

TEST_CASE("translation: resourced start/stop succeed only on outcome ok") {
  pr::Reply r;
  r.state = pr::RunState::kRunning;
  r.outcome = pr::Outcome::kOk;
  CHECK(resourced_outcome(ResourceOp::kStart, r) == ResourceOutcome::kOk);
  r.outcome = pr::Outcome::kTimeout;
  CHECK(resourced_outcome(ResourceOp::kStart, r) == ResourceOutcome::kFailed);
  r.outcome = pr::Outcome::kRefused;
  CHECK(resourced_outcome(ResourceOp::kStop, r) == ResourceOutcome::kFailed);
}

TEST_CASE("translation: ops map one to one onto resourced's") {
  CHECK(resourced_op(ResourceOp::kStart) == pr::Op::kStart);
  CHECK(resourced_op(ResourceOp::kStop) == pr::Op::kStop);
  CHECK(resourced_op(ResourceOp::kStatus) == pr::Op::kStatus);
}

TEST_CASE("held at start: a partially running group counts as held") {
  const auto config = seed_config();
  const auto held = held_at_start(config, {{0, 1}});
  REQUIRE(held);
  CHECK(*held == std::vector<bool>{true});
}

TEST_CASE("held at start: nothing running is a fresh start (no held_at_start)") {
  CHECK_FALSE(held_at_start(seed_config(), {}));
}

// ------------------------------------------------------------ survey

TEST_CASE("survey: at start it asks ipd for its VIPs and resourced for each script's status") {
  EngineRig r;
  REQUIRE(r.calls.size() == 2);
  CHECK(r.calls[0].what == "status");
  CHECK(r.calls[0].place == proto::ResourcePlace{0, 1});
  CHECK(r.calls[1].what == "list");
  CHECK_FALSE(r.engine.ready());
}

TEST_CASE("survey: membership events wait for the survey, then reach the module in order") {
  EngineRig r;
  r.comm_up_with_peer();
  CHECK(r.sent.empty());
  r.answer_reply(pr::Outcome::kOk, pr::RunState::kStopped);
  CHECK_FALSE(r.engine.ready());
  r.answer_list(false);
  REQUIRE(r.engine.ready());
  CHECK(r.sent_types() == std::vector<std::string>{"starting"});
}

TEST_CASE("survey: a VIP found present makes the module resume silently as owner") {
  EngineRig r;
  r.answer_reply(pr::Outcome::kOk, pr::RunState::kStopped);
  r.answer_list(true);
  r.comm_up_with_peer();
  REQUIRE(r.engine.ready());
  CHECK(r.sent.empty());
  CHECK(r.engine.ownership()->state() == ownership::ResourceState::kStable);
}

// heartbeatd restarted under corosync on a node that lost quorum: corosync
// says "no quorum" while the survey runs and will not say it again, so the
// module releases what it resumed as soon as it exists (resource_engine.cpp).
TEST_CASE("survey: told no quorum during the survey, a resumed group is released after it") {
  EngineRig r;
  r.run(r.engine.on_quorum(false, {"node1"}, r.now));
  r.answer_reply(pr::Outcome::kOk, pr::RunState::kRunning);
  r.answer_list(true);
  REQUIRE(r.engine.ownership() != nullptr);
  CHECK(r.capture.contains("No quorum: releasing every resource group held here."));
  REQUIRE(r.calls.size() == 3);  // the survey's two, then the script's stop
  CHECK(r.calls[2].what == "stop");
  CHECK(r.engine.ownership()->i_hold() == ownership::kNone);
}

TEST_CASE("survey: what runs at the start of a new generation is released before `starting`") {
  EngineRig r(seed_config(), ResourceEngine::Generation::kNew);
  r.comm_up_with_peer();
  r.answer_reply(pr::Outcome::kOk, pr::RunState::kRunning);
  r.answer_list(true);
  REQUIRE(r.engine.ready());
  CHECK(r.capture.contains("Resource 192.0.2.5 is active, and should not be!"));
  CHECK(logged_event(r.capture, "leftover-release"));
  // The release walk goes first, right to left: the script, then the VIP.
  REQUIRE(r.calls.size() == 3);
  CHECK(r.calls[2].what == "stop");
  CHECK(r.calls[2].place == proto::ResourcePlace{0, 1});
  // The membership events that waited for the survey came after it.
  CHECK(r.sent_types() == std::vector<std::string>{"starting"});
  CHECK(r.engine.ownership()->i_hold() == ownership::kNone);
  r.answer_reply(pr::Outcome::kOk, pr::RunState::kStopped);
  REQUIRE(r.calls.size() == 4);
  CHECK(r.calls[3].what == "remove");
  r.answer_ipd(pi::Outcome::kOk);
  CHECK(r.capture.contains("Leftover resources released."));
  CHECK(r.engine.ownership()->walker().state(0) == ownership::GroupRunState::kStopped);
}

TEST_CASE("survey: a helper silent past the survey time gives a start holding nothing") {
  EngineRig r;
  r.answer_list(true);  // ipd answers, resourced never does
  r.now += ResourceEngine::kSurveyTimeout - 1ms;
  r.run(r.engine.on_tick(r.now));
  CHECK_FALSE(r.engine.ready());
  r.now += 1ms;
  r.run(r.engine.on_tick(r.now));
  REQUIRE(r.engine.ready());
  r.comm_up_with_peer();
  CHECK(has(r.sent_types(), "starting"));
  // A late answer changes nothing.
  r.answer_reply(pr::Outcome::kOk, pr::RunState::kRunning);
  CHECK(r.engine.ownership()->state() != ownership::ResourceState::kStable);
}

TEST_CASE("survey: acquiring the seed group adds the VIP with ipd, then starts the script") {
  EngineRig r;
  r.answer_reply(pr::Outcome::kOk, pr::RunState::kStopped);
  r.answer_list(false);
  r.calls.clear();
  // node2 is dead at comm up: we are alone and take our group at once.
  r.membership(core::EventKind::kNodeDead, "node2");
  r.membership(core::EventKind::kCommUp);
  // The walk may check status first; answer whatever comes until the start.
  for (int i = 0; i < 10; ++i) {
    if (!r.lists.empty()) {
      r.answer_list(false);
    } else if (!r.ipd_results.empty()) {
      r.answer_ipd(pi::Outcome::kOk);
    } else if (!r.replies.empty()) {
      const bool status = r.calls.back().what == "status";
      r.answer_reply(pr::Outcome::kOk, status ? pr::RunState::kStopped : pr::RunState::kRunning);
    } else {
      break;
    }
  }
  std::vector<Call> acts;
  for (const auto& c : r.calls)
    if (c.what == "add" || c.what == "start") acts.push_back(c);
  // (The module currently walks a lone home node's group twice; the second,
  // idempotent walk is its business, not the survey's.)
  REQUIRE(acts.size() >= 2);
  CHECK(acts[0].what == "add");
  CHECK(acts[0].place == proto::ResourcePlace{0, 0});
  CHECK(acts[1].what == "start");
  CHECK(acts[1].place == proto::ResourcePlace{0, 1});
  CHECK(r.engine.ownership()->i_hold() != ownership::kNone);
}

TEST_CASE("survey: a shutdown before the survey ends completes at once") {
  EngineRig r;
  r.run(r.engine.shutdown(42, r.now));
  CHECK(r.shutdown_complete);
}

// ------------------------------------------------------------ guard

TEST_CASE("guard: a held VIP removed by someone else is added again through ipd") {
  HoldingRig r;
  r.ipd_event(pi::Event{pi::EventKind::kVipLost, {0, 0}, "eth1"});
  REQUIRE(r.calls.size() == 1);
  CHECK(r.calls[0].what == "add");
  CHECK(r.calls[0].place == proto::ResourcePlace{0, 0});
  CHECK(
      r.capture.contains("IP address 192.0.2.5 of resource group 192.0.2.5 was removed from "
                         "eth1 by someone else; adding it again"));
  CHECK(logged_event(r.capture, "vip-lost"));
  r.answer_ipd(pi::Outcome::kOk);
  CHECK(logged_event(r.capture, "resource-restored"));
}

TEST_CASE("guard: a VIP removed while its group is not held here is only logged") {
  IdleRig r;
  r.ipd_event(pi::Event{pi::EventKind::kVipLost, {0, 0}, "eth1"});
  CHECK(r.calls.empty());
  CHECK(logged_event(r.capture, "vip-lost"));
}

TEST_CASE("guard: ipd's link events are logged with the interface and an event id") {
  HoldingRig r;
  r.ipd_event(pi::Event{pi::EventKind::kLinkDown, {}, "eth1"});
  r.ipd_event(pi::Event{pi::EventKind::kLinkUp, {}, "eth1"});
  CHECK(r.calls.empty());
  CHECK(r.capture.contains("Local interface eth1 is down"));
  CHECK(logged_event(r.capture, "local-link-down"));
  CHECK(logged_event(r.capture, "local-link-up"));
}

TEST_CASE("guard: ipd reconnecting with the held VIP in place only reads") {
  HoldingRig r;
  r.connected(Helper::kIpd);
  REQUIRE(r.calls.size() == 1);
  CHECK(r.calls[0].what == "list");
  r.answer_list(true);
  CHECK(r.calls.size() == 1);
  CHECK_FALSE(logged_event(r.capture, "resource-lost"));
}

TEST_CASE("guard: ipd reconnecting without the held VIP gets it added again") {
  HoldingRig r;
  r.connected(Helper::kIpd);
  r.answer_list(false);
  REQUIRE(r.calls.size() == 2);
  CHECK(r.calls[1].what == "add");
  CHECK(logged_event(r.capture, "resource-lost"));
}

TEST_CASE("guard: resourced reconnecting with the held script stopped gets it started again") {
  HoldingRig r;
  r.connected(Helper::kResourced);
  REQUIRE(r.calls.size() == 1);
  CHECK(r.calls[0].what == "status");
  CHECK(r.calls[0].place == proto::ResourcePlace{0, 1});
  r.answer_reply(pr::Outcome::kOk, pr::RunState::kStopped);
  REQUIRE(r.calls.size() == 2);
  CHECK(r.calls[1].what == "start");
  CHECK(
      r.capture.contains("Resource httpsvc of resource group 192.0.2.5 is not running after "
                         "resourced reconnected; starting it again"));
}

TEST_CASE("guard: resourced reconnecting with the held script running only reads") {
  HoldingRig r;
  r.connected(Helper::kResourced);
  r.answer_reply(pr::Outcome::kOk, pr::RunState::kRunning);
  CHECK(r.calls.size() == 1);
}

TEST_CASE("guard: a helper reconnecting while nothing is held asks nothing") {
  IdleRig r;
  r.connected(Helper::kIpd);
  r.connected(Helper::kResourced);
  CHECK(r.calls.empty());
}

}  // namespace vigil::engine
