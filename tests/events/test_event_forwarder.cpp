// Which core actions become cluster events, with which fields
// (heartbeatd/events/event_forwarder.h; heartbeat-compat.md §6.9).
#include <catch2/catch.hpp>

#include "heartbeatd/events/event_forwarder.h"

using namespace vigil;
using events::EventForwarder;
using events::ForwardedEvent;
using proto::ClusterEvent;
using proto::EventField;

namespace {

conf::Config config() {
  conf::Config c;
  c.local_node = "node1";
  conf::Medium ping;
  ping.kind = conf::MediumKind::kPing;
  ping.address = "192.0.2.254";
  c.ha_cf.media.push_back(ping);
  return c;
}

core::Action membership(core::EventKind kind, std::string node, std::string link = {},
                        std::string detail = {}) {
  return core::MembershipEvent{kind, std::move(node), std::move(link), std::move(detail)};
}

core::Action deliver(std::string from, messages::Body body,
                     std::optional<std::string> dest = std::nullopt) {
  messages::ClusterMessage m;
  m.header.type = std::string(messages::type_of(body));
  m.header.src = from;
  m.header.dest = std::move(dest);
  m.body = std::move(body);
  return core::Deliver{std::move(from), std::move(m)};
}

}  // namespace

TEST_CASE("events: a peer's status change is the status event, with the old status") {
  EventForwarder f(config());
  auto first = f.on_action(membership(core::EventKind::kStatusChanged, "node2", {}, "up"));
  REQUIRE(first);
  CHECK(*first ==
        ForwardedEvent{ClusterEvent::kStatus, {{"t", "status"}, {"src", "node2"}, {"st", "up"}}});
  auto second = f.on_action(membership(core::EventKind::kStatusChanged, "node2", {}, "active"));
  REQUIRE(second);
  CHECK(second->fields ==
        std::vector<EventField>{
            {"t", "status"}, {"src", "node2"}, {"st", "active"}, {"OSTATUS", "up"}});
}

TEST_CASE("events: a dead peer is the status event with st=dead (mach_down's trigger)") {
  EventForwarder f(config());
  (void)f.on_action(membership(core::EventKind::kStatusChanged, "node2", {}, "active"));
  auto dead = f.on_action(membership(core::EventKind::kNodeDead, "node2"));
  REQUIRE(dead);
  CHECK(*dead ==
        ForwardedEvent{ClusterEvent::kStatus,
                       {{"t", "status"}, {"src", "node2"}, {"st", "dead"}, {"OSTATUS", "active"}}});
}

TEST_CASE("events: a dead ping node says info=ping, as heartbeat's made-up message did") {
  EventForwarder f(config());
  auto dead = f.on_action(membership(core::EventKind::kNodeDead, "192.0.2.254"));
  REQUIRE(dead);
  CHECK(dead->fields.back() == EventField{"info", "ping"});
}

TEST_CASE("events: a link going up or dead is the ifstat event") {
  EventForwarder f(config());
  auto up = f.on_action(membership(core::EventKind::kLinkUp, "node2", "eth1"));
  REQUIRE(up);
  CHECK(*up ==
        ForwardedEvent{ClusterEvent::kIfstat,
                       {{"t", "ifstat"}, {"node", "node2"}, {"ifname", "eth1"}, {"st", "up"}}});
  auto dead = f.on_action(membership(core::EventKind::kLinkDead, "node2", "eth1"));
  REQUIRE(dead);
  CHECK(dead->fields.back() == EventField{"st", "dead"});
}

TEST_CASE("events: other membership changes are not events") {
  EventForwarder f(config());
  CHECK_FALSE(f.on_action(membership(core::EventKind::kCommUp, "")));
  CHECK_FALSE(f.on_action(membership(core::EventKind::kNodeUp, "node2")));
  CHECK_FALSE(f.on_action(core::Log{}));
}

TEST_CASE("events: ip-request from a peer is an event; our own is not") {
  EventForwarder f(config());
  auto peer = f.on_action(deliver("node2", messages::IpRequest{"node2 192.0.2.6"}));
  REQUIRE(peer);
  CHECK(*peer ==
        ForwardedEvent{ClusterEvent::kIpRequest,
                       {{"t", "ip-request"}, {"src", "node2"}, {"ipaddr", "node2 192.0.2.6"}}});
  CHECK_FALSE(f.on_action(deliver("node1", messages::IpRequest{"node1 192.0.2.5"})));
}

TEST_CASE("events: ip-request-resp, hb_takeover and stonith carry their fields") {
  EventForwarder f(config());
  auto resp = f.on_action(
      deliver("node2", messages::IpRequestResp{"node1 192.0.2.5", true, true}, "node1"));
  REQUIRE(resp);
  CHECK(resp->fields == std::vector<EventField>{{"t", "ip-request-resp"},
                                                {"src", "node2"},
                                                {"dest", "node1"},
                                                {"ipaddr", "node1 192.0.2.5"},
                                                {"weown", "yes"},
                                                {"ok", "OK"}});
  auto take = f.on_action(deliver("node2", messages::HbTakeover{"foreign"}));
  REQUIRE(take);
  CHECK(take->event == ClusterEvent::kHbTakeover);
  CHECK(take->fields.back() == EventField{"rsc_hold", "foreign"});
  auto st = f.on_action(deliver("node2", messages::Stonith{"node3", "unneeded"}));
  REQUIRE(st);
  CHECK(st->fields ==
        std::vector<EventField>{
            {"t", "stonith"}, {"src", "node2"}, {"node", "node3"}, {"result", "unneeded"}});
}

TEST_CASE("events: a value outside the vocabulary's bounds is left out, not cut") {
  EventForwarder f(config());
  auto e = f.on_action(deliver("node2", messages::IpRequest{std::string(300, 'x')}));
  REQUIRE(e);
  CHECK(e->fields == std::vector<EventField>{{"t", "ip-request"}, {"src", "node2"}});
}

TEST_CASE("events: messages the core handles itself are not events") {
  EventForwarder f(config());
  CHECK_FALSE(f.on_action(deliver("node2", messages::Starting{})));
  CHECK_FALSE(f.on_action(deliver("node2", messages::AskResources{"all", "me"})));
}
