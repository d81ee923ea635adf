// The built-in ipfail (heartbeatd/engine/ipfail.h, heartbeat-compat.md
// §8.2): plain calls with membership events, deliveries and virtual time.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "heartbeatd/engine/ipfail.h"
#include "tests/engine/engine_fixture.h"

namespace vigil::engine {
namespace {

using namespace std::chrono_literals;
using core::EventKind;
using core::MembershipEvent;

conf::Config ipfail_config(const std::string& local = "node1") {
  conf::Config c = test::seed_config(local);
  c.ha_cf.respawn.push_back({"hacluster", "/usr/lib/heartbeat/ipfail", false, 9});
  for (const char* host : {"10.0.0.254", "10.0.0.253"}) {
    conf::Medium m;
    m.kind = conf::MediumKind::kPing;
    m.address = host;
    c.ha_cf.media.push_back(m);
  }
  return c;
}

// What one call produced, readably.
struct Out {
  std::vector<std::string> logs;
  std::vector<messages::Body> sent;
  std::vector<std::string> dests;
  std::vector<ownership::ClassBits> giveups;
  int stable_reports = 0;

  bool logged(const std::string& text) const {
    for (const auto& l : logs)
      if (l == text) return true;
    return false;
  }
  template <class T>
  bool sent_a() const {
    for (const auto& b : sent)
      if (std::holds_alternative<T>(b)) return true;
    return false;
  }
};

Out read(const IpfailActions& actions) {
  Out o;
  for (const auto& a : actions) {
    if (const auto* l = std::get_if<Log>(&a)) o.logs.push_back(l->text);
    if (const auto* s = std::get_if<ownership::SendMessage>(&a)) {
      o.sent.push_back(s->body);
      o.dests.push_back(s->dest);
    }
    if (const auto* g = std::get_if<IpfailGiveUp>(&a)) o.giveups.push_back(g->cls);
    if (std::holds_alternative<IpfailReportStable>(a)) ++o.stable_reports;
  }
  return o;
}

core::Action event(EventKind kind, std::string node = {}, std::string detail = {}) {
  return MembershipEvent{kind, std::move(node), {}, std::move(detail)};
}
core::Action from_peer(messages::Body body) {
  core::Deliver d;
  d.from = "node2";
  d.message.body = std::move(body);
  return d;
}

const Ipfail::View kStable{true, ownership::kLocal};

// Comm up with both ping nodes reachable.
struct Rig {
  explicit Rig(conf::Config c = ipfail_config()) : config(std::move(c)), ipfail(config) {
    call(event(EventKind::kStatusChanged, "10.0.0.254", "ping"));
    call(event(EventKind::kStatusChanged, "10.0.0.253", "ping"));
    joined = call(event(EventKind::kCommUp));
  }
  Out call(const core::Action& a, Ipfail::View v = kStable) {
    return read(ipfail.on_membership(a, v, now));
  }
  Out tick(Ipfail::View v = kStable) { return read(ipfail.on_tick(v, now)); }

  conf::Config config;
  Ipfail ipfail;
  MonoTime now{};
  Out joined;
};

}  // namespace

TEST_CASE("ipfail: the respawn line or vigil.cf turns it on; comm up announces our join") {
  Rig r;
  CHECK(r.ipfail.enabled());
  CHECK(r.ipfail.ping_count() == 2);  // heard before comm up, counted
  REQUIRE(r.joined.sent.size() == 1);
  const auto& join = std::get<messages::ApiClientStatus>(r.joined.sent[0]);
  CHECK(join.st == "join");
  CHECK(join.from_id == "ipfail");
  CHECK(r.joined.dests[0].empty());  // the API's announcement goes to every node

  conf::Config by_vigil_cf = test::seed_config();
  by_vigil_cf.vigil_cf.ipfail = true;
  CHECK(Ipfail(by_vigil_cf).enabled());
  CHECK_FALSE(Ipfail(test::seed_config()).enabled());
}

TEST_CASE("ipfail: off, with heartbeat's reason, without groups or under legacy auto_failback") {
  conf::Config no_groups = ipfail_config();
  no_groups.groups.clear();
  Ipfail a(no_groups);
  CHECK_FALSE(a.enabled());
  Out o = read(a.on_membership(event(EventKind::kCommUp), kStable, MonoTime{}));
  CHECK(o.logged("No managed resources"));
  CHECK(o.sent.empty());
  // Nothing it hears later makes it act.
  CHECK(read(a.on_membership(event(EventKind::kNodeDead, "10.0.0.254"), kStable, MonoTime{}))
            .sent.empty());

  conf::Config legacy = ipfail_config();
  legacy.ha_cf.auto_failback = conf::AutoFailback::kLegacy;
  Ipfail b(legacy);
  CHECK(read(b.on_membership(event(EventKind::kCommUp), kStable, MonoTime{}))
            .logged("auto_failback set to incompatible legacy option."));
}

TEST_CASE("ipfail: a ping node's death asks the peer for its count, with heartbeat's lines") {
  Rig r;
  Out o = r.call(event(EventKind::kNodeDead, "10.0.0.254"));
  CHECK(o.logged("Status update: Node 10.0.0.254 now has status dead"));
  CHECK(o.logged("NS: We are still alive!"));
  CHECK(o.logged("Asking other side for ping node count."));
  REQUIRE(o.sent.size() == 1);
  CHECK(std::get<messages::NumPingNodes>(o.sent[0]).num_ping == 1u);
  CHECK(o.dests[0] == "node2");

  o = r.call(event(EventKind::kNodeDead, "10.0.0.253"));
  CHECK(o.logged("NS: We are dead. :<"));
  CHECK(std::get<messages::NumPingNodes>(o.sent[0]).num_ping == 0u);

  o = r.call(event(EventKind::kStatusChanged, "10.0.0.253", "ping"));
  CHECK(o.logged("A ping node just came up."));
  CHECK(std::get<messages::NumPingNodes>(o.sent[0]).num_ping == 1u);
}

TEST_CASE("ipfail: told we see fewer, we give up everything after 2 x keepalive") {
  Rig r;
  Out o = r.call(from_peer(messages::YouAreDead{}));
  CHECK(o.logged("Giving up because we were told that we have less ping nodes."));
  CHECK(o.logged("Delayed giveup in 0.2 seconds."));
  CHECK(r.ipfail.next_deadline() == r.now + 200ms);
  r.now += 199ms;
  CHECK(r.tick().giveups.empty());
  r.now += 1ms;
  o = r.tick();
  CHECK(o.logged("giveup() called (timeout worked)"));
  CHECK(o.giveups == std::vector<ownership::ClassBits>{ownership::kAll});
  CHECK_FALSE(r.ipfail.next_deadline());
}

TEST_CASE("ipfail: comparing the peer's count: more sends you_are_dead, fewer gives up") {
  Rig r;
  Out o = r.call(from_peer(messages::NumPingNodes{1}));
  CHECK(o.logged("Got asked for num_ping."));
  CHECK(o.logged("Telling other node that we have more visible ping nodes."));
  REQUIRE(o.sent.size() == 1);
  CHECK(std::holds_alternative<messages::YouAreDead>(o.sent[0]));
  CHECK(o.dests[0] == "node2");
  CHECK_FALSE(r.ipfail.giveup_pending());

  o = r.call(from_peer(messages::NumPingNodes{3}));
  CHECK(o.logged("Giving up because we have less visible ping nodes."));
  CHECK(r.ipfail.giveup_pending());
  CHECK(o.sent.empty());

  // A count we cannot read moves nothing.
  Rig s;
  o = s.call(from_peer(messages::NumPingNodes{}));
  CHECK(o.sent.empty());
  CHECK_FALSE(s.ipfail.giveup_pending());
}

TEST_CASE("ipfail: equal counts send abort_giveup, which cancels the peer's pending give-up") {
  Rig r;
  r.call(from_peer(messages::YouAreDead{}));
  REQUIRE(r.ipfail.giveup_pending());
  Out o = r.call(from_peer(messages::AbortGiveup{}));
  CHECK(o.logged("Aborted delayed giveup (1)"));
  CHECK_FALSE(r.ipfail.giveup_pending());
  r.now += 1s;
  CHECK(r.tick().giveups.empty());
  CHECK(r.call(from_peer(messages::AbortGiveup{})).logged("No giveup timer to abort."));

  o = r.call(from_peer(messages::NumPingNodes{2}));
  CHECK(o.logged("Ping node count is balanced."));
  REQUIRE(o.sent.size() == 1);
  CHECK(std::holds_alternative<messages::AbortGiveup>(o.sent[0]));
  CHECK_FALSE(r.ipfail.giveup_pending());  // we hold no foreign group
}

TEST_CASE("ipfail: balanced again under auto_failback on, the foreign groups we hold go home") {
  Rig r;
  const Ipfail::View holding_foreign{true, ownership::kAll};
  Out o = r.call(from_peer(messages::NumPingNodes{2}), holding_foreign);
  CHECK(o.logged("Giving up foreign resources (auto_failback)."));
  r.now += 200ms;
  CHECK(r.tick().giveups == std::vector<ownership::ClassBits>{ownership::kForeign});

  // auto_failback off: they stay.
  conf::Config off = ipfail_config();
  off.ha_cf.auto_failback = conf::AutoFailback::kOff;
  Rig s(off);
  CHECK_FALSE(s.call(from_peer(messages::NumPingNodes{2}), holding_foreign)
                  .logged("Giving up foreign resources (auto_failback)."));
  CHECK_FALSE(s.ipfail.giveup_pending());
}

TEST_CASE("ipfail: not stable at the deadline, it asks again 10 s after the peer settles") {
  Rig r;
  const Ipfail::View moving{false, ownership::kLocal};
  r.call(from_peer(messages::YouAreDead{}));
  r.now += 200ms;
  Out o = r.tick(moving);
  CHECK(o.giveups.empty());
  CHECK_FALSE(r.ipfail.next_deadline());

  messages::Resource unstable;
  unstable.isstable = false;
  CHECK(r.call(from_peer(unstable)).logged("Other side is unstable."));
  // heartbeat's req_our_resources() report is stable but carries info=:
  // heartbeat's ipfail does not count it (ipfail.h).
  messages::Resource with_info;
  with_info.isstable = true;
  with_info.info = "req_our_resources()";
  CHECK_FALSE(r.call(from_peer(with_info)).logged("Other side is now stable."));
  CHECK_FALSE(r.ipfail.next_deadline());
  messages::Resource stable;
  stable.isstable = true;
  o = r.call(from_peer(stable));
  CHECK(o.logged("Other side is now stable."));
  CHECK(r.ipfail.next_deadline() == r.now + Ipfail::kNotStableRetry);
  r.now += Ipfail::kNotStableRetry;
  o = r.tick();
  REQUIRE(o.sent.size() == 1);
  CHECK(std::get<messages::NumPingNodes>(o.sent[0]).num_ping == 2u);
}

TEST_CASE(
    "ipfail: told you_are_dead, a peer that does not ask to go standby gets our stable report") {
  // A heartbeat peer's ipfail defers its give-up while its status-event
  // script runs and then waits for our plain stable `resource` (ipfail.h).
  Rig r;
  const Ipfail::View moving{false, ownership::kLocal};
  Out o = r.call(from_peer(messages::NumPingNodes{0}));
  REQUIRE(o.sent_a<messages::YouAreDead>());
  const MonoTime due = r.now + 200ms + Ipfail::kPeerGiveupGrace;
  CHECK(r.ipfail.next_deadline() == due);
  r.now = due - 1ms;
  CHECK(r.tick().stable_reports == 0);
  r.now = due;
  CHECK(r.tick(moving).stable_reports == 0);  // only once we are stable ourselves
  CHECK(r.ipfail.next_deadline() == due + 1s);
  r.now = due + 1s;
  o = r.tick();
  CHECK(o.stable_reports == 1);
  CHECK(
      o.logged("ipfail: node2 did not ask to go standby after you_are_dead; sending our "
               "stable resource report, which its deferred give-up waits for"));
  CHECK_FALSE(r.ipfail.next_deadline());
  r.now += 10s;
  CHECK(r.tick().stable_reports == 0);  // once per you_are_dead

  // The peer's recount after its 10 s wait: told again, checked again.
  r.call(from_peer(messages::NumPingNodes{0}));
  CHECK(r.ipfail.next_deadline() == r.now + 200ms + Ipfail::kPeerGiveupGrace);
}

TEST_CASE("ipfail: the peer's standby request, a balanced count or its death ends that wait") {
  Rig r;
  r.call(from_peer(messages::NumPingNodes{0}));
  r.call(from_peer(messages::AskResources{"all", "other"}));
  CHECK(r.ipfail.next_deadline());
  r.call(from_peer(messages::AskResources{"all", "me"}));
  CHECK_FALSE(r.ipfail.next_deadline());

  r.call(from_peer(messages::NumPingNodes{0}));
  r.call(from_peer(messages::NumPingNodes{2}));  // balanced again
  CHECK_FALSE(r.ipfail.next_deadline());

  r.call(from_peer(messages::NumPingNodes{0}));
  r.call(event(EventKind::kNodeDead, "node2"));
  CHECK_FALSE(r.ipfail.next_deadline());
  r.now += 1min;
  CHECK(r.tick().stable_reports == 0);
}

TEST_CASE("ipfail: balanced, but the peer keeps our groups: we ask again, a few times") {
  // A heartbeat peer's ipfail gives the foreign groups home only if its
  // heartbeat was stable when it compared (ipfail.h).
  Rig r;
  REQUIRE(r.config.ha_cf.auto_failback == conf::AutoFailback::kOn);
  const Ipfail::View gave_all{true, ownership::kNone};
  r.call(event(EventKind::kNodeDead, "10.0.0.254"), gave_all);
  r.call(event(EventKind::kStatusChanged, "10.0.0.254", "ping"), gave_all);  // asks: 2
  r.call(from_peer(messages::AbortGiveup{}), gave_all);                      // its answer: balanced
  const MonoTime due = r.now + 200ms + Ipfail::kPeerGiveupGrace;
  CHECK(r.ipfail.next_deadline() == due);
  r.now = due;
  Out o = r.tick(gave_all);
  CHECK(o.logged("ipfail: node2 still holds our groups after a balanced count; asking again"));
  REQUIRE(o.sent.size() == 1);
  CHECK(std::get<messages::NumPingNodes>(o.sent[0]).num_ping == 2u);

  // Its standby request ends the wait; so does holding our groups again.
  r.call(from_peer(messages::AbortGiveup{}), gave_all);
  r.call(from_peer(messages::AskResources{"foreign", "me"}), gave_all);
  CHECK_FALSE(r.ipfail.next_deadline());
  r.call(from_peer(messages::AbortGiveup{}), gave_all);
  r.now += 10s;
  CHECK(r.tick(kStable).sent.empty());

  // At most kFailbackAsks per ping node change.
  int asks = 1;
  for (int i = 0; i < 5; ++i) {
    r.call(from_peer(messages::AbortGiveup{}), gave_all);
    r.now += 10s;
    if (r.tick(gave_all).sent_a<messages::NumPingNodes>()) ++asks;
  }
  CHECK(asks == Ipfail::kFailbackAsks);
  // Holding our groups, a balanced answer is the end.
  r.call(event(EventKind::kNodeDead, "10.0.0.254"), kStable);
  r.call(from_peer(messages::AbortGiveup{}), kStable);
  CHECK_FALSE(r.ipfail.next_deadline());
}

TEST_CASE("ipfail: the peer's ipfail joining, or a link to it dying, asks for the count") {
  Rig r;
  Out o = r.call(from_peer(messages::ApiClientStatus{"join", "ipfail"}));
  CHECK(o.logged("Got join message from another ipfail client. (node2)"));
  CHECK(o.sent_a<messages::NumPingNodes>());
  CHECK(r.call(from_peer(messages::ApiClientStatus{"join", "other"})).sent.empty());
  CHECK(r.call(from_peer(messages::ApiClientStatus{"leave", "ipfail"})).sent.empty());

  o = r.call(MembershipEvent{EventKind::kLinkDead, "node2", "eth1", {}});
  CHECK(o.logged("Link Status update: Link node2/eth1 now has status dead"));
  CHECK(o.sent_a<messages::NumPingNodes>());
}

TEST_CASE("ipfail: equal counts also cancel our own give-up (both lost the same ping node)") {
  Rig r;
  r.call(event(EventKind::kNodeDead, "10.0.0.254"));  // we noticed first: we ask with 1
  r.call(from_peer(messages::YouAreDead{}));          // the peer still saw 2
  REQUIRE(r.ipfail.giveup_pending());
  Out o = r.call(from_peer(messages::NumPingNodes{1}));  // now it lost it too
  CHECK(o.logged("Ping node count is balanced."));
  CHECK(o.logged("Aborted delayed giveup (1)"));
  CHECK_FALSE(r.ipfail.giveup_pending());
  r.now += 1s;
  CHECK(r.tick().giveups.empty());
}

TEST_CASE("ipfail: two nodes, one loses its ping nodes: only that one gives up") {
  // Both ipfails wired back to back: each one's messages are the other's
  // deliveries (the core in between is the engine's business).
  Rig n1, n2(ipfail_config("node2"));
  auto deliver = [](Rig& to, const Out& o) {
    Out all;
    for (const auto& b : o.sent) {
      core::Deliver d;
      d.from = to.config.local_node == "node1" ? "node2" : "node1";
      d.message.body = b;
      Out part = read(to.ipfail.on_membership(d, kStable, to.now));
      all.sent.insert(all.sent.end(), part.sent.begin(), part.sent.end());
      all.logs.insert(all.logs.end(), part.logs.begin(), part.logs.end());
    }
    return all;
  };
  Out o1 = n1.call(event(EventKind::kNodeDead, "10.0.0.254"));
  Out o2 = deliver(n2, o1);  // node2 sees 2 > 1: you_are_dead
  CHECK(o2.logged("Telling other node that we have more visible ping nodes."));
  deliver(n1, o2);
  CHECK(n1.ipfail.giveup_pending());
  CHECK_FALSE(n2.ipfail.giveup_pending());
  n1.now += 200ms;
  CHECK(n1.tick().giveups == std::vector<ownership::ClassBits>{ownership::kAll});
}

}  // namespace vigil::engine
