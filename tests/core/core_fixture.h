// Helpers for the membership-core unit tests: a small config, messages as
// a peer would send them after decoding, and filters over the Actions.
#pragma once

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "heartbeatd/core/core.h"
#include "heartbeatd/messages/cluster_messages.h"
#include "heartbeatd/wire/field_values.h"

namespace vigil::core::testing {

using namespace std::chrono_literals;

inline MonoTime at(Duration d) { return MonoTime(d); }
inline MonoTime t0() { return MonoTime(std::chrono::seconds(1000)); }

inline conf::Config make_config(std::vector<std::string> nodes = {"node1", "node2"},
                                std::string local = "node1") {
  conf::Config c;
  c.local_node = std::move(local);
  c.ha_cf.nodes = std::move(nodes);
  c.ha_cf.keepalive = 1000ms;
  c.ha_cf.deadtime = 10000ms;
  c.ha_cf.warntime = 5000ms;
  c.ha_cf.initdead = 20000ms;
  c.ha_cf.max_rexmit_delay = 250ms;
  return c;
}

struct PeerMsg {
  std::string src = "node2";
  std::uint64_t hg = 0x100;
  std::uint64_t seq = 1;
};

inline wire::Message status_msg(const PeerMsg& p, std::string st = "up",
                                std::uint64_t dt_ms = 10000) {
  wire::Message m;
  m.set("t", "status");
  m.set("st", std::move(st));
  m.set("dt", wire::format_hex(dt_ms));
  m.set("src", p.src);
  m.set("seq", wire::format_hex(p.seq));
  m.set("hg", wire::format_hex(p.hg));
  m.set("ts", "6b0614d5");
  return m;
}

inline wire::Message typed_msg(const PeerMsg& p, std::string type) {
  wire::Message m;
  m.set("t", std::move(type));
  m.set("src", p.src);
  m.set("seq", wire::format_hex(p.seq));
  m.set("hg", wire::format_hex(p.hg));
  m.set("ts", "6b0614d5");
  return m;
}

inline std::vector<std::string> log_texts(const Actions& actions) {
  std::vector<std::string> out;
  for (const auto& a : actions)
    if (const auto* l = std::get_if<Log>(&a)) out.push_back(l->text);
  return out;
}

inline bool has_log(const Actions& actions, const std::string& text) {
  auto texts = log_texts(actions);
  return std::find(texts.begin(), texts.end(), text) != texts.end();
}

inline const Log* find_log(const Actions& actions, const std::string& text) {
  for (const auto& a : actions)
    if (const auto* l = std::get_if<Log>(&a); l && l->text == text) return l;
  return nullptr;
}

inline std::vector<Send> sends(const Actions& actions) {
  std::vector<Send> out;
  for (const auto& a : actions)
    if (const auto* s = std::get_if<Send>(&a)) out.push_back(*s);
  return out;
}

inline std::vector<Send> sends_of_type(const Actions& actions, std::string_view type) {
  std::vector<Send> out;
  for (const auto& s : sends(actions))
    if (s.message.type() == type) out.push_back(s);
  return out;
}

inline std::vector<MembershipEvent> events(const Actions& actions, EventKind kind) {
  std::vector<MembershipEvent> out;
  for (const auto& a : actions)
    if (const auto* e = std::get_if<MembershipEvent>(&a); e && e->kind == kind) out.push_back(*e);
  return out;
}

// Runs the core's timers at every deadline up to and including `until`,
// collecting everything it did.
inline Actions run_until(Core& core, MonoTime until) {
  Actions all;
  while (auto d = core.next_deadline()) {
    if (*d > until) break;
    auto a = core.on_tick(*d);
    all.insert(all.end(), std::make_move_iterator(a.begin()), std::make_move_iterator(a.end()));
  }
  auto a = core.on_tick(until);
  all.insert(all.end(), std::make_move_iterator(a.begin()), std::make_move_iterator(a.end()));
  return all;
}

inline void append(Actions& to, Actions from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

// A two-node core (we are node1) started at t0 and joined by node2, which
// has sent one status (seq 1) on eth0: comm is up.
struct TwoNodes {
  conf::Config config = make_config();
  Core core{config, CoreParams{0x200, 1, 42}};
  PeerMsg peer;
  MonoTime now = t0();

  TwoNodes() {
    core.start(now);
    core.on_message(messages::decode(status_msg(peer)), "eth0", now);
  }

  // node2 sends its next status (on `link`) `after` from the current time.
  Actions peer_status(Duration after, std::string link = "eth0", std::string st = "up",
                      std::uint64_t dt = 10000) {
    now += after;
    Actions a = run_until(core, now);
    ++peer.seq;
    append(a, core.on_message(messages::decode(status_msg(peer, st, dt)), link, now));
    return a;
  }
};

}  // namespace vigil::core::testing
