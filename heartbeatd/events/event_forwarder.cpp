#include "heartbeatd/events/event_forwarder.h"

#include <variant>

namespace vigil::events {

namespace {

using proto::ClusterEvent;
using proto::EventField;

template <class... F>
struct Overload : F... {
  using F::operator()...;
};

// Fields that fail the vocabulary's bounds are left out (see the header).
void add(std::vector<EventField>& fields, std::string name, std::string value) {
  EventField f{std::move(name), std::move(value)};
  if (proto::event_field_violation(f).empty()) fields.push_back(std::move(f));
}

ForwardedEvent make(ClusterEvent event, std::string_view type, const std::string& src) {
  ForwardedEvent out{event, {}};
  add(out.fields, "t", std::string(type));
  add(out.fields, "src", src);
  return out;
}

}  // namespace

EventForwarder::EventForwarder(const conf::Config& config) : local_node_(config.local_node) {
  for (const conf::Medium& m : config.ha_cf.media) {
    if (m.kind == conf::MediumKind::kPing || m.kind == conf::MediumKind::kPing6)
      ping_nodes_.insert(m.address);
    if (m.kind == conf::MediumKind::kPingGroup) ping_nodes_.insert(m.group_name);
  }
}

std::optional<ForwardedEvent> EventForwarder::on_action(const core::Action& action) {
  return std::visit(
      Overload{[&](const core::MembershipEvent& e) { return on_membership(e); },
               [&](const core::Deliver& d) { return on_deliver(d); },
               [](const auto&) -> std::optional<ForwardedEvent> { return std::nullopt; }},
      action);
}

std::optional<ForwardedEvent> EventForwarder::on_membership(const core::MembershipEvent& e) {
  using core::EventKind;
  switch (e.kind) {
    case EventKind::kStatusChanged:
    case EventKind::kNodeDead: {
      const std::string st = e.kind == EventKind::kNodeDead ? "dead" : e.detail;
      ForwardedEvent out = make(ClusterEvent::kStatus, "status", e.node);
      add(out.fields, "st", st);
      if (auto it = status_.find(e.node); it != status_.end())
        add(out.fields, "OSTATUS", it->second);
      // heartbeat's message for a dead ping node says so (hb_rsc_recover_dead_resources).
      if (e.kind == EventKind::kNodeDead && ping_nodes_.contains(e.node))
        add(out.fields, "info", "ping");
      status_[e.node] = st;
      return out;
    }
    case EventKind::kLinkUp:
    case EventKind::kLinkDead: {
      ForwardedEvent out{ClusterEvent::kIfstat, {}};
      add(out.fields, "t", "ifstat");
      add(out.fields, "node", e.node);
      add(out.fields, "ifname", e.link);
      add(out.fields, "st", e.kind == EventKind::kLinkUp ? "up" : "dead");
      return out;
    }
    default:
      return std::nullopt;
  }
}

std::optional<ForwardedEvent> EventForwarder::on_deliver(const core::Deliver& d) {
  const messages::Body& body = d.message.body;
  if (const auto* m = std::get_if<messages::IpRequest>(&body)) {
    if (d.from == local_node_) return std::nullopt;  // heartbeat ignores its own (§6.9)
    ForwardedEvent out = make(ClusterEvent::kIpRequest, messages::kIpRequestType, d.from);
    add(out.fields, "ipaddr", m->ipaddr);
    return out;
  }
  if (const auto* m = std::get_if<messages::IpRequestResp>(&body)) {
    ForwardedEvent out = make(ClusterEvent::kIpRequestResp, messages::kIpRequestRespType, d.from);
    if (d.message.header.dest) add(out.fields, "dest", *d.message.header.dest);
    add(out.fields, "ipaddr", m->ipaddr);
    add(out.fields, "weown", m->weown ? "yes" : "no");
    if (m->ok) add(out.fields, "ok", "OK");
    return out;
  }
  if (const auto* m = std::get_if<messages::HbTakeover>(&body)) {
    ForwardedEvent out = make(ClusterEvent::kHbTakeover, messages::kHbTakeoverType, d.from);
    add(out.fields, "rsc_hold", m->rsc_hold);
    return out;
  }
  if (const auto* m = std::get_if<messages::Stonith>(&body)) {
    ForwardedEvent out = make(ClusterEvent::kStonith, messages::kStonithType, d.from);
    add(out.fields, "node", m->node);
    add(out.fields, "result", m->result);
    return out;
  }
  return std::nullopt;
}

}  // namespace vigil::events
