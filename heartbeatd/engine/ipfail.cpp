#include "heartbeatd/engine/ipfail.h"

#include <fmt/format.h>

#include <utility>

#include "conf/ping_nodes.h"
#include "conf/respawn_role.h"

namespace vigil::engine {

namespace {

template <class... F>
struct Overload : F... {
  using F::operator()...;
};

using ownership::ClassBits;

}  // namespace

bool ipfail_requested(const conf::Config& config) {
  return config.vigil_cf.ipfail || conf::ipfail_requested(config.ha_cf);
}

Ipfail::Ipfail(const conf::Config& config)
    : requested_(ipfail_requested(config)),
      auto_failback_on_(config.ha_cf.auto_failback == conf::AutoFailback::kOn),
      delay_(2 * config.ha_cf.keepalive) {
  for (const auto& p : conf::ping_nodes(config.ha_cf)) ping_nodes_.insert(p.name);
  for (const auto& n : config.ha_cf.nodes)
    if (n != config.local_node) peer_ = n;
  for (const auto& g : config.groups)
    if (g.node == config.local_node) has_local_groups_ = true;
  if (!requested_) return;
  // The reasons heartbeat's ipfail exits with 100 (do not respawn), §8.2,
  // plus its two-node assumption: it talks to "the other node".
  if (config.groups.empty())
    off_reason_ = "No managed resources";
  else if (config.ha_cf.auto_failback == conf::AutoFailback::kLegacy)
    off_reason_ = "auto_failback set to incompatible legacy option.";
  else if (config.ha_cf.nodes.size() != 2 || peer_.empty())
    off_reason_ = "ipfail: ha.cf must name exactly two nodes; ipfail stays off";
  enabled_ = off_reason_.empty();
}

std::optional<MonoTime> Ipfail::next_deadline() const {
  std::optional<MonoTime> d = giveup_at_;
  for (const auto& t : {ask_again_at_, peer_standby_due_, failback_due_})
    if (t && (!d || *t < *d)) d = t;
  return d;
}

IpfailActions Ipfail::on_membership(const core::Action& action, const View& view, MonoTime now) {
  IpfailActions out;
  if (!requested_) return out;
  if (const auto* e = std::get_if<core::MembershipEvent>(&action)) {
    using core::EventKind;
    if (e->kind == EventKind::kCommUp) comm_up(out);
    if (e->kind == EventKind::kStatusChanged && e->detail == "ping" && is_ping_node(e->node))
      ping_node_status(e->node, true, out);
    else if (e->kind == EventKind::kNodeDead && is_ping_node(e->node))
      ping_node_status(e->node, false, out);
    else if (e->kind == EventKind::kNodeDead && e->node == peer_) {
      peer_standby_due_.reset();
      failback_due_.reset();
    } else if (e->kind == EventKind::kLinkDead && e->node == peer_ && running_) {
      // A link to the peer died: the counts may be about to change (§8.2).
      log(out, log::Priority::kInfo,
          fmt::format("Link Status update: Link {}/{} now has status dead", e->node, e->link),
          "ipfail-link-dead");
      ask_ping_nodes(out);
    }
  } else if (const auto* d = std::get_if<core::Deliver>(&action)) {
    if (running_ && d->from == peer_) on_message(d->from, d->message.body, view, now, out);
  }
  return out;
}

IpfailActions Ipfail::on_tick(const View& view, MonoTime now) {
  IpfailActions out;
  if (!running_) return out;
  if (giveup_at_ && now >= *giveup_at_) giveup(view, out);
  if (ask_again_at_ && now >= *ask_again_at_) {
    ask_again_at_.reset();
    ask_ping_nodes(out);
  }
  if (peer_standby_due_ && now >= *peer_standby_due_) expect_peer_standby(view, now, out);
  if (failback_due_ && now >= *failback_due_) expect_failback(view, now, out);
  return out;
}

// The peer answered our count `balanced` (its abort_giveup), we are the
// home of groups we do not hold and auto_failback is on: its ipfail gives
// them home by standby unless its heartbeat was in transition when it
// compared, and then never looks again (ipfail.h). Ask once more.
void Ipfail::expect_failback(const View& view, MonoTime now, IpfailActions& out) {
  failback_due_.reset();
  if (view.holds & ownership::kLocal) return;
  if (!view.resources_stable) {
    failback_due_ = now + std::chrono::seconds(1);  // ours first; retried each second
    return;
  }
  --failback_asks_left_;
  log(out, log::Priority::kInfo,
      fmt::format("ipfail: {} still holds our groups after a balanced count; asking again", peer_),
      "ipfail-ask-failback");
  ask_ping_nodes(out);
}

// heartbeat starts respawn clients at comm up (§6.2): ipfail signs on
// then, which heartbeat announces to the cluster as an API client join; the
// peer's ipfail answers by asking for our count.
void Ipfail::comm_up(IpfailActions& out) {
  if (running_) return;
  if (!enabled_) {
    log(out, log::Priority::kWarn, off_reason_, "ipfail-off");
    requested_ = false;
    return;
  }
  running_ = true;
  log(out, log::Priority::kInfo,
      fmt::format("ipfail: built in, watching {} ping node(s) with {}", ping_nodes_.size(), peer_),
      "ipfail-on");
  send(messages::ApiClientStatus{"join", "ipfail"}, out);
}

void Ipfail::ping_node_status(const std::string& node, bool alive, IpfailActions& out) {
  // Counted from heartbeatd's start: a ping node heard before comm up
  // counts when ipfail begins.
  const bool changed = alive ? reachable_.insert(node).second : reachable_.erase(node) != 0;
  if (!changed || !running_) return;
  failback_asks_left_ = kFailbackAsks;
  log(out, log::Priority::kInfo,
      fmt::format("Status update: Node {} now has status {}", node, alive ? "ping" : "dead"),
      "ipfail-ping-status");
  if (alive)
    log(out, log::Priority::kInfo, "A ping node just came up.", "ipfail-ping-up");
  else if (ping_count() > 0)
    log(out, log::Priority::kInfo, "NS: We are still alive!", "ipfail-ping-dead");
  else
    log(out, log::Priority::kInfo, "NS: We are dead. :<", "ipfail-ping-dead");
  ask_ping_nodes(out);
}

void Ipfail::on_message(const std::string& from, const messages::Body& body, const View& view,
                        MonoTime now, IpfailActions& out) {
  std::visit(Overload{[&](const messages::NumPingNodes& m) {
                        log(out, log::Priority::kInfo, "Got asked for num_ping.", "ipfail-asked");
                        // A count we cannot read compares as nothing: giving our groups
                        // away on garbage would be worse than keeping them.
                        if (m.num_ping) compare(*m.num_ping, view, now, out);
                      },
                      [&](const messages::YouAreDead&) {
                        log(out, log::Priority::kInfo,
                            "Giving up because we were told that we have less ping nodes.",
                            "ipfail-told-fewer");
                        schedule_giveup(ownership::kAll, now, out);
                      },
                      [&](const messages::AbortGiveup&) {
                        abort_giveup(out);
                        // The answer to our count: balanced (see expect_failback).
                        if (auto_failback_on_ && has_local_groups_ && failback_asks_left_ > 0 &&
                            !(view.holds & ownership::kLocal))
                          failback_due_ = now + delay_ + kPeerGiveupGrace;
                      },
                      [&](const messages::AskResources& m) {
                        // The standby request our `you_are_dead` asked for.
                        if (m.info == "me") {
                          peer_standby_due_.reset();
                          failback_due_.reset();
                        }
                      },
                      [&](const messages::ApiClientStatus& m) {
                        if (m.st != "join" || m.from_id != "ipfail") return;
                        log(out, log::Priority::kInfo,
                            fmt::format("Got join message from another ipfail client. ({})", from),
                            "ipfail-peer-joined");
                        ask_ping_nodes(out);
                      },
                      [&](const messages::Resource& m) {
                        if (!m.isstable) return;
                        // heartbeat's ipfail reads only the plain stable
                        // report, not one with info= (ipfail.h).
                        if (*m.isstable && !m.info.empty()) return;
                        if (!*m.isstable) {
                          log(out, log::Priority::kInfo, "Other side is unstable.",
                              "ipfail-peer-unstable");
                          return;
                        }
                        log(out, log::Priority::kInfo, "Other side is now stable.",
                            "ipfail-peer-stable");

                        // §8.2 "not stable yet": a give-up found our resources in
                        // transition; the counts are asked again 10 s after the peer
                        // settles, since they may have changed meanwhile.
                        if (waiting_for_stable_) {
                          waiting_for_stable_ = false;
                          ask_again_at_ = now + kNotStableRetry;
                        }
                      },
                      [](const auto&) {}},
             body);
}

void Ipfail::compare(std::uint64_t theirs, const View& view, MonoTime now, IpfailActions& out) {
  log(out, log::Priority::kInfo, "Checking remote count of ping nodes.", "ipfail-compare");
  const auto ours = static_cast<std::uint64_t>(ping_count());
  peer_standby_due_.reset();
  if (ours > theirs) {
    log(out, log::Priority::kInfo, "Telling other node that we have more visible ping nodes.",
        "ipfail-we-see-more");
    send(messages::YouAreDead{}, out);
    peer_standby_due_ = now + delay_ + kPeerGiveupGrace;
  } else if (ours < theirs) {
    log(out, log::Priority::kInfo, "Giving up because we have less visible ping nodes.",
        "ipfail-we-see-fewer");
    schedule_giveup(ownership::kAll, now, out);
  } else {
    log(out, log::Priority::kInfo, "Ping node count is balanced.", "ipfail-balanced");
    send(messages::AbortGiveup{}, out);
    // Our own pending give-up too: it came from the peer's `you_are_dead`
    // when its count was still the higher (both lost the same ping node,
    // each noticed at its own deadping), see ipfail.h.
    if (giveup_at_) abort_giveup(out);
    // The home node sees as much as we do again: its groups go home
    // (auto_failback on). Only when we hold some (see ipfail.h).
    if (auto_failback_on_ && view.resources_stable && (view.holds & ownership::kForeign)) {
      log(out, log::Priority::kInfo, "Giving up foreign resources (auto_failback).",
          "ipfail-failback");
      schedule_giveup(ownership::kForeign, now, out);
    }
  }
}

void Ipfail::ask_ping_nodes(IpfailActions& out) {
  log(out, log::Priority::kInfo, "Asking other side for ping node count.", "ipfail-ask");
  send(messages::NumPingNodes{static_cast<std::uint64_t>(ping_count())}, out);
}

// §8.2: the give-up waits 2 × keepalive, time for the peer's abort_giveup
// to arrive when its count changes at the same moment ours does.
void Ipfail::schedule_giveup(ClassBits cls, MonoTime now, IpfailActions& out) {
  if (giveup_at_)
    log(out, log::Priority::kInfo, "Detected existing delay timer, overriding", "ipfail-giveup");
  giveup_at_ = now + delay_;
  giveup_class_ = cls;
  ++giveup_id_;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(delay_).count();
  log(out, log::Priority::kInfo,
      ms % 1000 == 0
          ? fmt::format("Delayed giveup in {} seconds.", ms / 1000)
          : fmt::format("Delayed giveup in {:g} seconds.", static_cast<double>(ms) / 1000),
      "ipfail-giveup");
}

void Ipfail::abort_giveup(IpfailActions& out) {
  if (!giveup_at_) {
    log(out, log::Priority::kInfo, "No giveup timer to abort.", "ipfail-abort");
    return;
  }
  giveup_at_.reset();
  log(out, log::Priority::kInfo, fmt::format("Aborted delayed giveup ({})", giveup_id_),
      "ipfail-abort");
}

void Ipfail::giveup(const View& view, IpfailActions& out) {
  giveup_at_.reset();
  log(out, log::Priority::kInfo, "giveup() called (timeout worked)", "ipfail-giveup");
  if (!view.resources_stable) {
    // §8.2: not while resources move; the peer's next stable report
    // brings a fresh count exchange (on_message, Resource).
    waiting_for_stable_ = true;
    log(out, log::Priority::kInfo,
        "ipfail: resources are in transition; asking again once the other side is stable",
        "ipfail-not-stable");
    return;
  }
  out.emplace_back(IpfailGiveUp{giveup_class_});
}

// The peer was told `you_are_dead` and has not asked to go standby: its
// give-up found its heartbeat in transition and waits for our stable
// report (ipfail.h). Sent once; a fresh count exchange re-arms it.
void Ipfail::expect_peer_standby(const View& view, MonoTime now, IpfailActions& out) {
  if (!view.resources_stable) {
    peer_standby_due_ = now + std::chrono::seconds(1);  // ours first; retried each second
    return;
  }
  peer_standby_due_.reset();
  log(out, log::Priority::kInfo,
      fmt::format("ipfail: {} did not ask to go standby after you_are_dead; sending our "
                  "stable resource report, which its deferred give-up waits for",
                  peer_),
      "ipfail-peer-deferred");
  out.emplace_back(IpfailReportStable{});
}

void Ipfail::send(messages::Body body, IpfailActions& out) const {
  // ipfail's own messages go to the peer (sendnodemsg); the join is the
  // API's announcement to every node.
  const bool to_peer = !std::holds_alternative<messages::ApiClientStatus>(body);
  out.emplace_back(ownership::SendMessage{std::move(body), to_peer ? peer_ : std::string()});
}

void Ipfail::log(IpfailActions& out, log::Priority p, std::string text, const char* event) const {
  out.emplace_back(Log{p, std::move(text), {{"VIGIL_EVENT", event}}});
}

}  // namespace vigil::engine
