// node::ResourceBridge and resource_translation.h: the ownership module's
// resource vocabulary mapped onto ipd's and resourced's, with a fake
// HelperPort that answers only when the test says so (as the real clients
// answer from the event loop, never inside the call).
#include <algorithm>
#include <catch2/catch.hpp>
#include <deque>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/log.h"
#include "conf/haresources.h"
#include "heartbeatd/node/resource_bridge.h"
#include "heartbeatd/node/resource_translation.h"

namespace vigil::node {
namespace {

using namespace std::chrono_literals;
using ownership::ResourceOp;
using ownership::ResourceOutcome;
namespace pr = proto::resourced;
namespace pi = proto::ipd;

conf::Config seed_config(const std::string& local = "node1") {
  conf::Config c;
  c.local_node = local;
  c.ha_cf.nodes = {"node1", "node2"};
  c.ha_cf.keepalive = 100ms;
  c.ha_cf.deadtime = 500ms;
  c.ha_cf.warntime = 300ms;
  c.ha_cf.initdead = 1000ms;
  c.ha_cf.auto_failback = conf::AutoFailback::kOn;
  conf::ResourceGroup g;
  g.node = "node1";
  g.line = 1;
  for (const char* token : {"192.0.2.5", "httpsvc"})
    g.resources.push_back(*conf::parse_resource(token));
  c.groups.push_back(std::move(g));
  return c;
}

struct Call {
  std::string what;  // "add", "remove", "list", "start", "stop", "status"
  proto::ResourcePlace place;
};

class FakePort final : public HelperPort {
 public:
  void ipd_add(const proto::ResourcePlace& place, IpdResult done) override {
    calls.push_back({"add", place});
    ipd_results.push_back(std::move(done));
  }
  void ipd_remove(const proto::ResourcePlace& place, IpdResult done) override {
    calls.push_back({"remove", place});
    ipd_results.push_back(std::move(done));
  }
  void ipd_list(IpdList done) override {
    calls.push_back({"list", {}});
    lists.push_back(std::move(done));
  }
  void resourced(const proto::ResourcePlace& place, pr::Op op, ResourcedReply done) override {
    const char* names[] = {"", "start", "stop", "status"};
    calls.push_back({names[static_cast<int>(op)], place});
    replies.push_back(std::move(done));
  }
  void observe(IpdEvent on_event, Connected on_connected) override {
    ipd_event = std::move(on_event);
    connected = std::move(on_connected);
  }

  // Answers the oldest waiting call of each kind.
  void answer_list(bool vip_present) {
    auto f = std::move(lists.front());
    lists.pop_front();
    f(pi::VipList{0, {pi::VipState{{0, 0}, vip_present}}});
  }
  void answer_reply(pr::Outcome outcome, pr::RunState state) {
    auto f = std::move(replies.front());
    replies.pop_front();
    pr::Reply r;
    r.outcome = outcome;
    r.state = state;
    f(r);
  }
  void answer_ipd(pi::Outcome outcome) {
    auto f = std::move(ipd_results.front());
    ipd_results.pop_front();
    f(pi::Result{0, outcome, {}});
  }

  std::vector<Call> calls;
  std::deque<IpdResult> ipd_results;
  std::deque<IpdList> lists;
  std::deque<ResourcedReply> replies;
  IpdEvent ipd_event;
  Connected connected;
};

struct BridgeRig {
  explicit BridgeRig(conf::Config c = seed_config(),
                     ResourceBridge::Generation generation = ResourceBridge::Generation::kContinued)
      : config(std::move(c)),
        bridge(
            config, port,
            [this](const ownership::SendMessage& m, MonoTime) {
              sent.push_back(messages::encode(m.body, m.dest));
            },
            [this] { return now; }, now, generation) {}

  std::vector<std::string> sent_types() const {
    std::vector<std::string> out;
    for (const auto& m : sent) out.emplace_back(m.type());
    return out;
  }
  void comm_up_with_peer() {
    bridge.on_core_action(core::MembershipEvent{core::EventKind::kNodeUp, "node2", {}, {}}, now);
    bridge.on_core_action(core::MembershipEvent{core::EventKind::kCommUp, {}, {}, {}}, now);
    bridge.flush();
  }

  MonoTime now{1000s};
  conf::Config config;
  FakePort port;
  std::vector<wire::Message> sent;
  log::ScopedCapture capture;
  ResourceBridge bridge;
};

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// A bridge whose survey found the seed group running: it holds it.
struct HoldingRig : BridgeRig {
  HoldingRig() {
    port.answer_reply(pr::Outcome::kOk, pr::RunState::kRunning);
    port.answer_list(true);
    comm_up_with_peer();
    port.calls.clear();
    capture.clear();
  }
};

// A bridge whose survey found nothing running and that has not acquired.
struct IdleRig : BridgeRig {
  IdleRig() {
    port.answer_reply(pr::Outcome::kOk, pr::RunState::kStopped);
    port.answer_list(false);
    port.calls.clear();
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

// ------------------------------------------------------------ bridge

TEST_CASE("bridge: at start it asks ipd for its VIPs and resourced for each script's status") {
  BridgeRig r;
  REQUIRE(r.port.calls.size() == 2);
  CHECK(r.port.calls[0].what == "status");
  CHECK(r.port.calls[0].place == proto::ResourcePlace{0, 1});
  CHECK(r.port.calls[1].what == "list");
  CHECK_FALSE(r.bridge.ready());
}

TEST_CASE("bridge: membership events wait for the survey, then reach the module in order") {
  BridgeRig r;
  r.comm_up_with_peer();
  CHECK(r.sent.empty());
  r.port.answer_reply(pr::Outcome::kOk, pr::RunState::kStopped);
  CHECK_FALSE(r.bridge.ready());
  r.port.answer_list(false);
  REQUIRE(r.bridge.ready());
  CHECK(r.sent_types() == std::vector<std::string>{"starting"});
}

TEST_CASE("bridge: a VIP found present makes the module resume silently as owner") {
  BridgeRig r;
  r.port.answer_reply(pr::Outcome::kOk, pr::RunState::kStopped);
  r.port.answer_list(true);
  r.comm_up_with_peer();
  REQUIRE(r.bridge.ready());
  CHECK(r.sent.empty());
  CHECK(r.bridge.ownership()->state() == ownership::ResourceState::kStable);
}

TEST_CASE("bridge: what runs at the start of a new generation is released before `starting`") {
  BridgeRig r(seed_config(), ResourceBridge::Generation::kNew);
  r.comm_up_with_peer();
  r.port.answer_reply(pr::Outcome::kOk, pr::RunState::kRunning);
  r.port.answer_list(true);
  REQUIRE(r.bridge.ready());
  CHECK(r.capture.contains("Resource 192.0.2.5 is active, and should not be!"));
  CHECK(logged_event(r.capture, "leftover-release"));
  // The release walk goes first, right to left: the script, then the VIP.
  REQUIRE(r.port.calls.size() == 3);
  CHECK(r.port.calls[2].what == "stop");
  CHECK(r.port.calls[2].place == proto::ResourcePlace{0, 1});
  // The membership events that waited for the survey came after it.
  CHECK(r.sent_types() == std::vector<std::string>{"starting"});
  CHECK(r.bridge.ownership()->i_hold() == ownership::kNone);
  r.port.answer_reply(pr::Outcome::kOk, pr::RunState::kStopped);
  REQUIRE(r.port.calls.size() == 4);
  CHECK(r.port.calls[3].what == "remove");
  r.port.answer_ipd(pi::Outcome::kOk);
  CHECK(r.capture.contains("Leftover resources released."));
  CHECK(r.bridge.ownership()->walker().state(0) == ownership::GroupRunState::kStopped);
}

TEST_CASE("bridge: a helper silent past the survey time gives a start holding nothing") {
  BridgeRig r;
  r.port.answer_list(true);  // ipd answers, resourced never does
  r.now += ResourceBridge::kSurveyTimeout - 1ms;
  r.bridge.on_tick(r.now);
  CHECK_FALSE(r.bridge.ready());
  r.now += 1ms;
  r.bridge.on_tick(r.now);
  REQUIRE(r.bridge.ready());
  r.comm_up_with_peer();
  CHECK(has(r.sent_types(), "starting"));
  // A late answer changes nothing.
  r.port.answer_reply(pr::Outcome::kOk, pr::RunState::kRunning);
  CHECK(r.bridge.ownership()->state() != ownership::ResourceState::kStable);
}

TEST_CASE("bridge: acquiring the seed group adds the VIP with ipd, then starts the script") {
  BridgeRig r;
  r.port.answer_reply(pr::Outcome::kOk, pr::RunState::kStopped);
  r.port.answer_list(false);
  r.port.calls.clear();
  // node2 is dead at comm up: we are alone and take our group at once.
  r.bridge.on_core_action(core::MembershipEvent{core::EventKind::kNodeDead, "node2", {}, {}},
                          r.now);
  r.bridge.on_core_action(core::MembershipEvent{core::EventKind::kCommUp, {}, {}, {}}, r.now);
  r.bridge.flush();
  // The walk may check status first; answer whatever comes until the start.
  for (int i = 0; i < 10; ++i) {
    if (!r.port.lists.empty()) {
      r.port.answer_list(false);
    } else if (!r.port.ipd_results.empty()) {
      r.port.answer_ipd(pi::Outcome::kOk);
    } else if (!r.port.replies.empty()) {
      const bool status = r.port.calls.back().what == "status";
      r.port.answer_reply(pr::Outcome::kOk,
                          status ? pr::RunState::kStopped : pr::RunState::kRunning);
    } else {
      break;
    }
  }
  std::vector<Call> acts;
  for (const auto& c : r.port.calls)
    if (c.what == "add" || c.what == "start") acts.push_back(c);
  // (The module currently walks a lone home node's group twice; the second,
  // idempotent walk is its business, not the bridge's.)
  REQUIRE(acts.size() >= 2);
  CHECK(acts[0].what == "add");
  CHECK(acts[0].place == proto::ResourcePlace{0, 0});
  CHECK(acts[1].what == "start");
  CHECK(acts[1].place == proto::ResourcePlace{0, 1});
  CHECK(r.bridge.ownership()->i_hold() != ownership::kNone);
}

TEST_CASE("bridge: core events are only queued until flush (no send from inside the sink)") {
  BridgeRig r;
  r.port.answer_reply(pr::Outcome::kOk, pr::RunState::kStopped);
  r.port.answer_list(false);
  r.bridge.on_core_action(core::MembershipEvent{core::EventKind::kNodeUp, "node2", {}, {}}, r.now);
  r.bridge.on_core_action(core::MembershipEvent{core::EventKind::kCommUp, {}, {}, {}}, r.now);
  CHECK(r.sent.empty());
  r.bridge.flush();
  CHECK(r.sent_types() == std::vector<std::string>{"starting"});
}

TEST_CASE("bridge: a shutdown before the survey ends completes at once") {
  BridgeRig r;
  bool done = false;
  r.bridge.set_on_shutdown_complete([&] { done = true; });
  r.bridge.shutdown(42, r.now);
  CHECK(done);
  CHECK(r.bridge.shutdown_complete());
}

// ------------------------------------------------------------ guard

TEST_CASE("guard: a held VIP removed by someone else is added again through ipd") {
  HoldingRig r;
  REQUIRE(r.port.ipd_event);
  r.port.ipd_event(pi::Event{pi::EventKind::kVipLost, {0, 0}, "eth1"});
  REQUIRE(r.port.calls.size() == 1);
  CHECK(r.port.calls[0].what == "add");
  CHECK(r.port.calls[0].place == proto::ResourcePlace{0, 0});
  CHECK(
      r.capture.contains("IP address 192.0.2.5 of resource group 192.0.2.5 was removed from "
                         "eth1 by someone else; adding it again"));
  CHECK(logged_event(r.capture, "vip-lost"));
  r.port.answer_ipd(pi::Outcome::kOk);
  CHECK(logged_event(r.capture, "resource-restored"));
}

TEST_CASE("guard: a VIP removed while its group is not held here is only logged") {
  IdleRig r;
  r.port.ipd_event(pi::Event{pi::EventKind::kVipLost, {0, 0}, "eth1"});
  CHECK(r.port.calls.empty());
  CHECK(logged_event(r.capture, "vip-lost"));
}

TEST_CASE("guard: ipd's link events are logged with the interface and an event id") {
  HoldingRig r;
  r.port.ipd_event(pi::Event{pi::EventKind::kLinkDown, {}, "eth1"});
  r.port.ipd_event(pi::Event{pi::EventKind::kLinkUp, {}, "eth1"});
  CHECK(r.port.calls.empty());
  CHECK(r.capture.contains("Local interface eth1 is down"));
  CHECK(logged_event(r.capture, "local-link-down"));
  CHECK(logged_event(r.capture, "local-link-up"));
}

TEST_CASE("guard: ipd reconnecting with the held VIP in place only reads") {
  HoldingRig r;
  r.port.connected(HelperPort::Helper::kIpd);
  REQUIRE(r.port.calls.size() == 1);
  CHECK(r.port.calls[0].what == "list");
  r.port.answer_list(true);
  CHECK(r.port.calls.size() == 1);
  CHECK_FALSE(logged_event(r.capture, "resource-lost"));
}

TEST_CASE("guard: ipd reconnecting without the held VIP gets it added again") {
  HoldingRig r;
  r.port.connected(HelperPort::Helper::kIpd);
  r.port.answer_list(false);
  REQUIRE(r.port.calls.size() == 2);
  CHECK(r.port.calls[1].what == "add");
  CHECK(logged_event(r.capture, "resource-lost"));
}

TEST_CASE("guard: resourced reconnecting with the held script stopped gets it started again") {
  HoldingRig r;
  r.port.connected(HelperPort::Helper::kResourced);
  REQUIRE(r.port.calls.size() == 1);
  CHECK(r.port.calls[0].what == "status");
  CHECK(r.port.calls[0].place == proto::ResourcePlace{0, 1});
  r.port.answer_reply(pr::Outcome::kOk, pr::RunState::kStopped);
  REQUIRE(r.port.calls.size() == 2);
  CHECK(r.port.calls[1].what == "start");
  CHECK(
      r.capture.contains("Resource httpsvc of resource group 192.0.2.5 is not running after "
                         "resourced reconnected; starting it again"));
}

TEST_CASE("guard: resourced reconnecting with the held script running only reads") {
  HoldingRig r;
  r.port.connected(HelperPort::Helper::kResourced);
  r.port.answer_reply(pr::Outcome::kOk, pr::RunState::kRunning);
  CHECK(r.port.calls.size() == 1);
}

TEST_CASE("guard: a helper reconnecting while nothing is held asks nothing") {
  IdleRig r;
  r.port.connected(HelperPort::Helper::kIpd);
  r.port.connected(HelperPort::Helper::kResourced);
  CHECK(r.port.calls.empty());
}

}  // namespace vigil::node
