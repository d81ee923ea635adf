// Two engines back to back for the engine tests: their Transmits handed to
// each other (control fields added as the executor adds them, no codec),
// their HelperCalls answered by a tiny in-memory helper that runs what it
// is asked to (a health check says running when the resource was started).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "heartbeatd/engine/engine.h"
#include "heartbeatd/wire/control_fields.h"
#include "tests/engine/engine_fixture.h"

namespace vigil::engine::test {

using namespace std::chrono_literals;

// One node: an engine, what its helpers hold, what it sent.
struct Node {
  explicit Node(const std::string& name, std::uint64_t generation, bool forward_events = false)
      : Node(seed_config(name), generation, forward_events) {}
  Node(conf::Config c, std::uint64_t generation, bool forward_events = false)
      : config(std::move(c)),
        engine(
            config,
            EngineParams{.core = {.generation = generation, .first_seq = 1, .rng_seed = generation},
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
      namespace pi = proto::ipd;
      namespace pr = proto::resourced;
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

inline void deliver(Node& to, std::vector<Received> messages, Node& from, MonoTime now) {
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

// One 50 ms tick of both nodes, every helper call answered at once; what
// each sent goes to the other unless `connected` is false (the heartbeat
// path cut, §6.8). `out1`/`out2` carry what each sent into the next tick.
inline void tick_both(Node& n1, Node& n2, std::vector<Received>& out1, std::vector<Received>& out2,
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
inline MonoTime settle(Node& n1, Node& n2, int steps, MonoTime now = MonoTime(1000s)) {
  auto out1 = n1.run(n1.engine.handle(Start{}, now));
  auto out2 = n2.run(n2.engine.handle(Start{}, now));
  for (int step = 0; step < steps; ++step) tick_both(n1, n2, out1, out2, now);
  return now;
}

}  // namespace vigil::engine::test
