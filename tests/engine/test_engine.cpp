// engine::Engine: the one sans-IO call. Two engines back to back, their
// Transmits handed to each other (control fields added as the executor
// adds them, no codec), their HelperCalls answered by a tiny in-memory
// helper. And the one lease formula.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/proto/lease.h"
#include "conf/haresources.h"
#include "heartbeatd/engine/engine.h"
#include "heartbeatd/wire/control_fields.h"
#include "tests/engine/engine_fixture.h"

namespace vigil::engine {
namespace {

using namespace std::chrono_literals;
namespace pi = proto::ipd;
namespace pr = proto::resourced;

conf::Config config_of(const std::string& local) { return test::seed_config(local); }

// One node: an engine, what its helpers hold, what it sent.
struct Node {
  explicit Node(const std::string& name, std::uint64_t generation, bool forward_events = false)
      : config(config_of(name)),
        engine(config,
               EngineParams{
                   .core = {.generation = generation, .first_seq = 1, .rng_seed = generation},
                   .forward_events = forward_events}) {}

  // The executor. Returns the Transmits as received messages for the peer.
  std::vector<Received> run(const Actions& actions) {
    std::vector<Received> out;
    std::optional<std::uint64_t> last_seq;
    for (const auto& a : actions) {
      if (const auto* s = std::get_if<Transmit>(&a)) {
        // Seqs leave in order: the executor records each before sending and
        // a lower one after a higher one would be refused.
        if (s->seq && !s->retransmission) {
          if (last_seq) CHECK(*s->seq > *last_seq);
          last_seq = s->seq;
        }
        wire::Message m = s->message;
        wire::ControlFields control;
        control.src = config.local_node;
        control.seq = s->seq;
        control.generation = s->generation;
        control.ts = 1700000000;
        control.ttl = 3;
        wire::add_control_fields(m, control);
        out.push_back({"eth1", messages::decode(m)});
      } else if (const auto* c = std::get_if<HelperCall>(&a)) {
        calls.push_back(*c);
      } else if (const auto* l = std::get_if<Log>(&a)) {
        logs.push_back(l->text);
      } else if (const auto* e = std::get_if<ClusterEvent>(&a)) {
        events.push_back(*e);
      }
    }
    return out;
  }

  // Answers every waiting call, as the helpers would.
  std::vector<Received> answer_all(MonoTime now) {
    std::vector<Received> out;
    while (!calls.empty()) {
      const HelperCall c = calls.front();
      calls.erase(calls.begin());
      HelperReply reply;
      const std::pair<int, int> place{c.place.group, c.place.position};
      switch (c.kind) {
        case CallKind::kIpdAdd:
          held.insert(place);
          reply = pi::Result{c.call, pi::Outcome::kOk, {}};
          break;
        case CallKind::kIpdRemove:
          held.erase(place);
          reply = pi::Result{c.call, pi::Outcome::kOk, {}};
          break;
        case CallKind::kIpdAnnounce:
          announced.push_back(place);
          reply =
              pi::Result{c.call, held.count(place) ? pi::Outcome::kOk : pi::Outcome::kFailed, {}};
          break;
        case CallKind::kIpdList:
          reply = pi::VipList{c.call, {pi::VipState{{0, 0}, held.count({0, 0}) > 0}}};
          break;
        case CallKind::kResourcedMonitor:
        case CallKind::kResourced: {
          pr::Reply r;
          r.op = c.op;
          if (c.op == pr::Op::kStart) held.insert(place);
          if (c.op == pr::Op::kStop) held.erase(place);
          r.state = held.count(place) ? pr::RunState::kRunning : pr::RunState::kStopped;
          reply = r;
          break;
        }
      }
      for (auto& m : run(engine.handle(HelperAnswer{c.call, reply}, now))) out.push_back(m);
    }
    return out;
  }

  conf::Config config;
  Engine engine;
  std::vector<HelperCall> calls;
  std::set<std::pair<int, int>> held;
  std::vector<std::pair<int, int>> announced;  // ipd AnnounceVip, in order
  std::vector<std::string> logs;
  std::vector<ClusterEvent> events;
};

void deliver(Node& to, std::vector<Received> messages, Node& from, MonoTime now) {
  while (!messages.empty()) {
    std::vector<Received> replies;
    for (const auto& m : messages)
      for (auto& r : to.run(to.engine.handle(m, now))) replies.push_back(std::move(r));
    for (auto& r : to.answer_all(now)) replies.push_back(std::move(r));
    messages.clear();
    // Replies go the other way.
    for (const auto& r : replies)
      for (auto& back : from.run(from.engine.handle(r, now))) messages.push_back(std::move(back));
    for (auto& r : from.answer_all(now)) messages.push_back(std::move(r));
  }
}

}  // namespace

// One 50 ms tick of both nodes, every helper call answered at once; what
// each sent goes to the other unless `connected` is false (the heartbeat
// path cut, §6.8). `out1`/`out2` carry what each sent into the next tick.
void tick_both(Node& n1, Node& n2, std::vector<Received>& out1, std::vector<Received>& out2,
               MonoTime& now, bool connected = true) {
  for (auto& m : n1.answer_all(now)) out1.push_back(std::move(m));
  for (auto& m : n2.answer_all(now)) out2.push_back(std::move(m));
  if (connected) {
    deliver(n2, std::move(out1), n1, now);
    deliver(n1, std::move(out2), n2, now);
  }
  out1.clear();
  out2.clear();
  now += 50ms;
  out1 = n1.run(n1.engine.handle(Tick{}, now));
  out2 = n2.run(n2.engine.handle(Tick{}, now));
}

// Starts both nodes and runs them for `steps` ticks of 50 ms, every
// message delivered and every helper call answered at once.
MonoTime settle(Node& n1, Node& n2, int steps, MonoTime now = MonoTime(1000s)) {
  auto out1 = n1.run(n1.engine.handle(Start{}, now));
  auto out2 = n2.run(n2.engine.handle(Start{}, now));
  for (int step = 0; step < steps; ++step) tick_both(n1, n2, out1, out2, now);
  return now;
}

std::string field(const ClusterEvent& e, const std::string& name) {
  for (const auto& f : e.fields)
    if (f.name == name) return f.value;
  return "";
}

TEST_CASE("engine: cluster events are actions only when forwarding is on, in membership order") {
  SECTION("forwarding on: the peer's status changes, in order, as rc.d's status events") {
    Node n1("node1", 10, /*forward_events=*/true), n2("node2", 20);
    settle(n1, n2, 100);
    std::vector<std::string> peer_states;
    for (const auto& e : n1.events)
      if (e.event == proto::ClusterEvent::kStatus && field(e, "src") == "node2")
        peer_states.push_back(field(e, "st"));
    // §6.9: the peer is reported once as it comes, with the status it
    // announced (both start together, so it is already active), and not
    // again while nothing changes.
    CHECK(peer_states == std::vector<std::string>{"active"});
    bool link_up = false;
    for (const auto& e : n1.events)
      if (e.event == proto::ClusterEvent::kIfstat && field(e, "node") == "node2")
        link_up = link_up || field(e, "st") == "up";
    CHECK(link_up);
  }
  SECTION("forwarding off: the same run has no cluster event at all") {
    Node n1("node1", 10), n2("node2", 20);
    settle(n1, n2, 100);
    CHECK(n1.events.empty());
    CHECK(n2.events.empty());
  }
}

TEST_CASE("engine: two nodes back to back settle with the group on its home, seqs in order") {
  Node n1("node1", 10), n2("node2", 20);
  settle(n1, n2, 400);
  REQUIRE(n1.engine.ownership() != nullptr);
  REQUIRE(n2.engine.ownership() != nullptr);
  CHECK(n1.held == std::set<std::pair<int, int>>{{0, 0}, {0, 1}});
  CHECK(n2.held.empty());
  CHECK(n1.engine.ownership()->state() == ownership::ResourceState::kStable);
  CHECK(n2.engine.ownership()->state() == ownership::ResourceState::kStable);
}

TEST_CASE("engine: the survey's questions come before the first status") {
  Node n1("node1", 10);
  const Actions a = n1.engine.handle(Start{}, MonoTime(1000s));
  REQUIRE(a.size() >= 3);
  CHECK(std::holds_alternative<HelperCall>(a[0]));
  CHECK(std::holds_alternative<HelperCall>(a[1]));
  CHECK_FALSE(n1.engine.ready());
}

TEST_CASE("engine: a shutdown before the survey ends completes at once") {
  Node n1("node1", 10);
  n1.run(n1.engine.handle(Start{}, MonoTime(1000s)));
  const Actions a = n1.engine.handle(Shutdown{42}, MonoTime(1000s));
  REQUIRE(a.size() == 1);
  CHECK(std::holds_alternative<ShutdownComplete>(a[0]));
}

TEST_CASE("engine: membership alone makes no helper call and needs no survey") {
  const conf::Config c = config_of("node1");
  Engine e(c, EngineParams{.core = {.generation = 1, .first_seq = 1, .rng_seed = 1},
                           .resources = false});
  for (const auto& a : e.handle(Start{}, MonoTime(1000s)))
    CHECK_FALSE(std::holds_alternative<HelperCall>(a));
  CHECK(e.ownership() == nullptr);
}

TEST_CASE("lease: half the deadtime, within what Hello may carry") {
  using std::chrono::milliseconds;
  CHECK(proto::default_lease(milliseconds(500)) == milliseconds(250));
  CHECK(proto::default_lease(milliseconds(30'000)) == milliseconds(15'000));
  // Below the wire's minimum: the minimum.
  CHECK(proto::default_lease(milliseconds(150)) == milliseconds(proto::kMinLeaseMs));
  // A deadtime of 30 min: 10 min, the most Hello carries (check_lease), not
  // 15 min a helper would grant and heartbeatd could never ask for.
  CHECK(proto::default_lease(milliseconds(30 * 60'000)) == milliseconds(proto::kMaxLeaseMs));
  CHECK(proto::check_lease(
            static_cast<std::uint32_t>(proto::default_lease(milliseconds(30 * 60'000)).count()))
            .ok());
}

TEST_CASE("engine: after a healed partition the home node keeps the group and announces it again") {
  Node n1("node1", 10), n2("node2", 20);
  MonoTime now(1000s);
  auto out1 = n1.run(n1.engine.handle(Start{}, now));
  auto out2 = n2.run(n2.engine.handle(Start{}, now));
  // `cut` steps drop everything between the two (both still hold what
  // they hold: the heartbeat path alone is cut, §6.8).
  auto steps = [&](int count, bool cut) {
    for (int step = 0; step < count; ++step) tick_both(n1, n2, out1, out2, now, !cut);
  };
  steps(400, false);
  REQUIRE(n1.held == std::set<std::pair<int, int>>{{0, 0}, {0, 1}});
  CHECK(n1.announced.empty());
  steps(40, true);  // 2 s: node2 declares node1 dead and takes the group
  REQUIRE(n2.held == std::set<std::pair<int, int>>{{0, 0}, {0, 1}});
  steps(40, false);  // healed
  CHECK(n1.held == std::set<std::pair<int, int>>{{0, 0}, {0, 1}});
  CHECK(n2.held.empty());
  // The holder that stays announces its VIP (and only the VIP) again; the
  // node that gave it back announces nothing.
  REQUIRE_FALSE(n1.announced.empty());
  for (const auto& place : n1.announced) CHECK(place == std::pair<int, int>{0, 0});
  CHECK(n2.announced.empty());
  CHECK(std::find(n1.logs.begin(), n1.logs.end(),
                  "Announcing the IP addresses held here again: partition with node2 healed") !=
        n1.logs.end());
}

}  // namespace vigil::engine
