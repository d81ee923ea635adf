// The standby protocol (heartbeat-compat.md §6.6), hb_standby/hb_takeover
// (§7.3) and auto_failback (§6.3). Two-node logic, as heartbeat's: `rsc_hold`
// of ask_resources is always the initiator's class.
//
// With more than two nodes (corosync, successor.cpp) none of this runs:
// every peer answered `other` and, on `done`, took the mirror of the class,
// which for a third node is every group not homed at it, so two nodes
// started the same group (whole-node simulator, seed 9800000). hb_standby
// and hb_takeover go group by group then (standby_groups.cpp), and the
// holder hands each group back to its own home node for auto_failback
// (exact_holdings.cpp).
#include <fmt/format.h>

#include <algorithm>

#include "heartbeatd/ownership/ownership.h"

namespace vigil::ownership {

namespace {

constexpr const char* kLegacyRefusal = "Standby mode only implemented when nice_failback on";
constexpr const char* kLocalOnly =
    "hb_takeover with more than two nodes takes only this node's home groups back (local or "
    "failback); the others' groups move by the successor rule (node order of ha.cf).";

}  // namespace

// Why an operator's standby or takeover cannot run now (empty: it can).
const char* Ownership::standby_refusal() const {
  if (!quorate_) return "No quorum: resource groups cannot move now.";  // quorum.cpp
  if (policy_ == conf::AutoFailback::kLegacy) return kLegacyRefusal;
  return "";
}

Actions Ownership::standby(ClassBits cls, MonoTime now) {
  Actions out;
  if (const char* why = standby_refusal(); *why != '\0') {
    log(out, log::Priority::kError, why, "standby-refused");
    return out;
  }
  log(out, log::Priority::kInfo, fmt::format("Going standby [{}].", class_name(cls)),
      "standby-request");
  if (per_group_)
    standby_groups(cls, now, out);
  else
    start_standby(cls, now, out);
  return out;
}

Actions Ownership::takeover(ClassBits cls, bool failback, MonoTime now) {
  Actions out;
  if (const char* why = standby_refusal(); *why != '\0') {
    log(out, log::Priority::kError, why, "standby-refused");
    return out;
  }
  if (per_group_) {
    if (failback || cls == kLocal)
      take_home_groups_back(now, out);
    else
      log(out, log::Priority::kError, kLocalOnly, "standby-refused");
    return out;
  }
  // `failback` = "my home groups back" = takeover local (ownership.h); sent
  // as `local` so a heartbeat peer, whose script cannot map `failback`,
  // does the same.
  send(out, messages::HbTakeover{failback ? std::string("local") : std::string(class_name(cls))});
  return out;
}

void Ownership::on_hb_takeover(const std::string& from, const messages::HbTakeover& m, MonoTime now,
                               Actions& out) {
  const std::string_view word = m.rsc_hold;
  if (per_group_) {  // standby_groups.cpp
    if (word == "local" || word == "failback") give_back_on_request(from, now, out);
    return;
  }
  std::optional<ClassBits> cls =
      word == "failback" ? std::optional<ClassBits>(kLocal) : parse_class(word);
  if (!cls || *cls == kNone) return;
  Actions more = standby(mirror(*cls), now);
  out.insert(out.end(), more.begin(), more.end());
}

void Ownership::start_standby(ClassBits cls, MonoTime now, Actions& out) {
  send_ask(cls, "me", out);
  handle_standby_msg(local_node_, /*own=*/true, cls, "me", now, out);
}

void Ownership::send_ask(ClassBits cls, std::string_view info, Actions& out) {
  send(out, messages::AskResources{std::string(class_name(cls)), std::string(info)});
}

void Ownership::on_ask_resources(const std::string& from, const messages::AskResources& m,
                                 MonoTime now, Actions& out) {
  if (policy_ == conf::AutoFailback::kLegacy) return;
  const auto cls = parse_class(m.rsc_hold);
  if (!cls || *cls == kNone) return;
  handle_standby_msg(from, /*own=*/false, *cls, m.info, now, out);
}

void Ownership::handle_standby_msg(const std::string& from, bool own, ClassBits cls,
                                   std::string_view info, MonoTime now, Actions& out) {
  const std::string cname(class_name(cls));
  if (info == "me" && !own && (mirror(cls) & declined_)) {
    log(out, log::Priority::kCrit,
        fmt::format("standby message [me] from {} not answered: this node gave up [{}] for "
                    "failing resources (vigilctl cleanup takes it back)",
                    from, class_name(mirror(cls) & declined_)),
        "health-declined", from);
    return;
  }
  if (info == "me" && !own && (mirror(cls) & frozen_classes())) {
    log(out, log::Priority::kCrit,
        fmt::format("standby message [me] from {} not answered: [{}] has a resource group in "
                    "maintenance on this node (vigilctl maintenance off)",
                    from, class_name(mirror(cls) & frozen_classes())),
        "maintenance-declined", from);
    return;
  }
  if (info == "me") {
    if (standby_ != StandbyState::kNot) {
      const auto left = std::chrono::duration_cast<std::chrono::seconds>(
                            std::max(standby_deadline_ - now, Duration::zero()))
                            .count();
      log(out, log::Priority::kWarn,
          fmt::format("Standby in progress- new request from {} ignored [{} seconds left]", from,
                      left),
          "standby-ignored", from);
      return;
    }
    if (!peer_stable_alive()) {
      log(out, log::Priority::kWarn,
          fmt::format("standby message [me] from {} ignored.  Other side is in flux.", from),
          "standby-ignored", from);
      return;
    }
    if (state_ != ResourceState::kStable || walker_.busy()) {
      log(out, log::Priority::kWarn,
          fmt::format("standby message [me] from {} ignored.  local resources in flux.", from),
          "standby-ignored", from);
      return;
    }
    log(out, log::Priority::kInfo, fmt::format("{} wants to go standby [{}]", from, cname),
        "standby-accepted", from);
    standby_class_ = cls;
    if (own) {
      standby_ = StandbyState::kMe;
      standby_taker_ = false;
      standby_deadline_ = now + kStandbyReplyTimeout;
    } else {
      standby_ = StandbyState::kOther;
      standby_taker_ = true;
      standby_peer_ = from;
      // The giver answers our `other` at once with `resource info=standby`
      // (§6.6 step 2), and only then may its walk take long (on_resource
      // extends this to kStandbyOtherTimeout). A giver that dropped its
      // request (it counted us in flux) never sends it: waiting the hour
      // for its `done` refused every standby meanwhile ("Standby in
      // progress- new request ... ignored [3593 seconds left]",
      // whole-node simulator seed 8000013).
      standby_deadline_ = now + kStandbyReplyTimeout;
      send_ask(cls, "other", out);
    }
    return;
  }
  if (info == "other") {
    if (own) return;  // our own answer, heard back
    if (standby_ == StandbyState::kMe && cls == standby_class_) {
      standby_peer_ = from;
      standby_deadline_ = now + kStandbyOtherTimeout;  // the walk may take long
      log(out, log::Priority::kInfo,
          fmt::format("standby: {} can take our {} resources", from, cname), "standby-give", from);
      i_hold_ &= static_cast<ClassBits>(~cls);
      if (cls & kForeign) needs_failback_ = false;
      send_resources(false, "standby", out);
      log(out, log::Priority::kInfo, fmt::format("give up {} HA resources (standby).", cname),
          "standby-give");
      // §6.6: every group of the class, held or not (stop is idempotent).
      Job job = make_job(Direction::kStop, Purpose::kStandbyGive, groups_of(cls), from);
      job.cls = cls;
      run(std::move(job), now, out);
      return;
    }
  } else if (info == "done") {
    if (own && standby_ == StandbyState::kMe && !standby_taker_) {
      standby_ = StandbyState::kDone;
      standby_deadline_ = now + kStandbyOtherTimeout;
      log(out, log::Priority::kInfo, fmt::format("Local standby process completed [{}].", cname),
          "standby-given");
      return;
    }
    if (own && standby_ == StandbyState::kDone && standby_taker_) {
      log(out, log::Priority::kInfo, fmt::format("Standby resource acquisition done [{}].", cname),
          "standby-taken");
      standby_ = StandbyState::kNot;
      standby_taker_ = false;
      initial_done(true, true, "auto_failback", out);
      return;
    }
    if (!own && standby_ == StandbyState::kOther) {
      log(out, log::Priority::kInfo,
          fmt::format("standby: acquire [{}] resources from {}", cname, from), "standby-take",
          from);
      standby_ = StandbyState::kDone;
      standby_deadline_ = now + kStandbyOtherTimeout;
      const ClassBits mine = mirror(cls);
      log(out, log::Priority::kInfo,
          fmt::format("acquire {} HA resources (standby).", class_name(mine)), "standby-take");
      Job job = make_job(Direction::kStart, Purpose::kStandbyTake, groups_of(mine), from);
      job.cls = cls;
      run(std::move(job), now, out);
      return;
    }
    if (!own && standby_ == StandbyState::kDone && !standby_taker_) {
      log(out, log::Priority::kInfo,
          fmt::format("Other node completed standby takeover of {} resources.", cname),
          "standby-complete", from);
      standby_ = StandbyState::kNot;
      send_resources(true, {}, out);
      return;
    }
  }
  if (own) return;
  log(out, log::Priority::kError,
      fmt::format("Ignored standby message '{}' from {} in state {}", info, from,
                  static_cast<int>(standby_)),
      "standby-unexpected", from);
}

void Ownership::cancel_standby(Actions& out) {
  if (standby_ == StandbyState::kNot) return;
  log(out, log::Priority::kInfo, "Cancelling pending standby operation", "standby-cancelled");
  standby_ = StandbyState::kNot;
  standby_taker_ = false;
}

void Ownership::check_auto_failback(MonoTime now, Actions& out) {
  // §6.3: the holder of foreign groups it took over hands them back once the
  // home node is stable and so are we; retry every second until then.
  // With more than two nodes, group by group (exact_holdings.cpp).
  if (per_group_) {
    fail_back_groups(now, out);
    return;
  }
  if (policy_ != conf::AutoFailback::kOn || !needs_failback_ || !(i_hold_ & kForeign)) return;
  if (!any_peer_alive() || state_ != ResourceState::kStable) return;
  // With more than two nodes, only a held group's home node coming back
  // is a reason to fail back (successor.cpp); with two, the one peer is it.
  // Back means its status was heard (kNodeUp), not only that it is in
  // corosync's membership as alive() counts it: a home node that rejoined
  // the CPG group and died again before its first status is never declared
  // dead by the core (it never came back for it), so a group given back to
  // it then was served by nobody (test_corosync.py, heal then kill, 2 runs
  // in 5).
  bool home_back = false;
  for (auto g : groups_of(kForeign)) {
    const auto it = peers_.find(config_.groups[g].node);
    home_back = home_back || (walker_.running(g) && it != peers_.end() && it->second.alive);
  }
  if (!home_back) return;
  if (next_failback_try_ && now < *next_failback_try_ && !peer_stable_alive()) return;
  next_failback_try_ = now + kFailbackRetry;
  // Frozen groups stay where they run (maintenance.cpp): tried again each
  // second until maintenance is off.
  if (!peer_stable_alive() || standby_ != StandbyState::kNot || walker_.busy() ||
      shutdown_requested_ || (frozen_classes() & kForeign))
    return;
  start_standby(kForeign, now, out);
}

}  // namespace vigil::ownership
