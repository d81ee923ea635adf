// Dispatch, timers, helpers and the snapshot of the ownership module. The
// protocol pieces live beside it: startup.cpp (§6.3), standby.cpp (§6.6),
// takeover.cpp (§6.4, §6.7, §6.8).
#include "heartbeatd/ownership/ownership.h"

#include <fmt/format.h>

#include <algorithm>
#include <variant>

namespace vigil::ownership {

std::string_view state_name(ResourceState s) {
  switch (s) {
    case ResourceState::kInit:
      return "INIT";
    case ResourceState::kStarting:
      return "STARTING";
    case ResourceState::kBothStarting:
      return "BOTHSTARTING";
    case ResourceState::kRscRcvd:
      return "RSCRCVD";
    case ResourceState::kStable:
      return "STABLE";
    case ResourceState::kShutdown:
      return "SHUTDOWN";
  }
  return "INIT";
}

std::string_view owner_word(Owner o) {
  switch (o) {
    case Owner::kUs:
      return "us";
    case Owner::kPeer:
      return "peer";
    case Owner::kNone:
      return "none";
    case Owner::kInTransition:
      return "transition";
  }
  return "none";
}

Ownership::Ownership(const conf::Config& config, OwnershipParams params)
    : config_(config),
      policy_(config.ha_cf.auto_failback),
      local_node_(config.local_node),
      walker_(config),
      quorate_(params.quorate),
      members_(params.members),
      ring_(params.in_ring),
      leave_grace_(params.leave_grace),
      per_group_(config.ha_cf.nodes.size() > 2) {
  for (const auto& n : config.ha_cf.nodes)
    if (n != local_node_) {
      peers_.emplace(n, Peer{});
      if (auto method = conf::first_fence_method(config, n); !method.empty())
        fence_method_.emplace(n, std::move(method));
    }
  if (!params.held_at_start) return;
  // What the helpers still run: after a restart the peers did not see, we
  // carry on as its STABLE owner and nothing is started, stopped or
  // announced; in a new generation it is a leftover of an earlier life,
  // owned by nobody we know of, that start() releases (ownership.h).
  const auto& held = *params.held_at_start;
  for (std::size_t g = 0; g < config.groups.size() && g < held.size(); ++g) {
    if (!held[g]) continue;
    walker_.set_state(g, GroupRunState::kRunning);
    if (params.resumed)
      i_hold_ |= class_of(g);
    else
      leftovers_.push_back(g);
  }
  if (!params.resumed) return;
  restarted_ = true;
  state_ = ResourceState::kStable;
  other_is_stable_ = true;
  initial_local_ = initial_foreign_ = initial_logged_ = true;
  needs_failback_ = policy_ == conf::AutoFailback::kOn && (i_hold_ & kForeign);
}

Actions Ownership::on_action(const core::Action& action, MonoTime now) {
  if (const auto* e = std::get_if<core::MembershipEvent>(&action)) return on_event(*e, now);
  if (const auto* d = std::get_if<core::Deliver>(&action)) return on_deliver(*d, now);
  return {};
}

Actions Ownership::on_event(const core::MembershipEvent& event, MonoTime now) {
  Actions out;
  switch (event.kind) {
    case core::EventKind::kCommUp:
      comm_up(now, out);
      break;
    case core::EventKind::kNodeUp:
      node_up(event.node, out);
      break;
    case core::EventKind::kNodeDead:
      node_dead(event.node, now, out);
      break;
    case core::EventKind::kPeerRestarted:
      if (Peer* p = peer(event.node)) {
        // A new run of the peer: what it said before no longer holds.
        Peer fresh;
        fresh.alive = p->alive;
        fresh.heard = true;
        *p = fresh;
        other_is_stable_ = false;
        cancel_standby(out);  // its half of a running standby died with it
        tell_returned_peer(out);
      }
      break;
    case core::EventKind::kPeerReturnedAfterPartition:
      partition_healed(event.node, out);
      break;
    default:
      break;
  }
  check_auto_failback(now, out);
  return out;
}

Actions Ownership::on_deliver(const core::Deliver& d, MonoTime now) {
  Actions out;
  Peer* p = peer(d.from);
  if (p == nullptr) return out;  // only configured peers act on us
  if (!p->alive && !p->heard && !p->taken_over) {
    // First contact by a message before the peer's first status (a
    // returning node hears its peer's mach_down report that way): it is
    // there, so it counts as alive and a report of what it holds is
    // weighed, not ignored as a dead node's.
    p->alive = true;
    p->heard = true;
  }
  const messages::Body& body = d.message.body;
  if (const auto* m = std::get_if<messages::Starting>(&body))
    on_starting(d.from, *m, out);
  else if (const auto* m = std::get_if<messages::Resource>(&body)) {
    if (!stale_report(d.from, d.message.header)) on_resource(d.from, *m, now, out);
  } else if (const auto* m = std::get_if<messages::AskResources>(&body))
    on_ask_resources(d.from, *m, now, out);
  else if (const auto* m = std::get_if<messages::HbTakeover>(&body))
    on_hb_takeover(d.from, *m, now, out);
  else if (const auto* m = std::get_if<messages::IpRequest>(&body))
    on_ip_request(d.from, *m, out);
  else if (const auto* m = std::get_if<messages::IpRequestResp>(&body))
    on_ip_request_resp(d.message.header, *m, out);
  else if (std::holds_alternative<messages::Shutdone>(body))
    on_shutdone(d.from, now, out);
  check_auto_failback(now, out);
  return out;
}

Actions Ownership::on_resource_result(std::uint32_t request_id, ResourceOutcome outcome,
                                      MonoTime now) {
  Actions out;
  if (auto done = walker_.on_result(request_id, outcome, out)) job_done(*done, now, out);
  walker_.kick(out);
  if (shutdown_requested_ && state_ != ResourceState::kShutdown && !walker_.busy())
    begin_shutdown(out);
  check_auto_failback(now, out);
  return out;
}

Actions Ownership::on_tick(MonoTime now) {
  Actions out;
  check_request_delay(now, out);
  if (standby_ != StandbyState::kNot && now >= standby_deadline_) {
    log(out, log::Priority::kWarn, "No reply to standby request.  Standby request cancelled.",
        "standby-timeout");
    standby_ = StandbyState::kNot;
    standby_taker_ = false;
  }
  if (failure_standby_ && now >= failure_standby_->first &&
      (failure_standby_->second & frozen_classes())) {
    // A frozen group stays (maintenance.cpp): ask again a delay later.
    failure_standby_->first = now + kStartFailureStandbyDelay;
  }
  if (failure_standby_ && now >= failure_standby_->first) {
    const ClassBits cls = failure_standby_->second;
    failure_standby_.reset();
    Actions more = standby(cls, now);
    out.insert(out.end(), more.begin(), more.end());
  }
  if (next_failback_try_ && now >= *next_failback_try_) {
    // Cleared before the check: one that finds nothing to do yet (we are in
    // transition, the home is not back) must not leave a deadline in the
    // past, or the I/O loop would tick us without pause until it does.
    // Every event runs the check again, and it re-arms the retry itself.
    next_failback_try_.reset();
    check_auto_failback(now, out);
  }
  retry_fences(now, out);
  end_leases(now, out);
  return out;
}

std::optional<MonoTime> Ownership::next_deadline() const {
  std::optional<MonoTime> next;
  auto consider = [&next](MonoTime t) {
    if (!next || t < *next) next = t;
  };
  if (state_ == ResourceState::kRscRcvd && rscrcvd_at_) consider(*rscrcvd_at_ + kRequestDelay);
  if (standby_ != StandbyState::kNot) consider(standby_deadline_);
  if (failure_standby_) consider(failure_standby_->first);
  if (needs_failback_ && next_failback_try_ && any_peer_alive()) consider(*next_failback_try_);
  for (const auto& [node, fence] : fences_)
    if (fence.retry_at) consider(*fence.retry_at);
  for (const auto& [node, until] : lease_until_) consider(until);
  return next;
}

RscStatus Ownership::rscstatus() const {
  if (walker_.busy() || standby_ != StandbyState::kNot) return RscStatus::kTransition;
  ClassBits held = i_hold_;
  if (policy_ == conf::AutoFailback::kLegacy) {
    // Legacy has no state machine: "stable" is "no resource activity" (§7.2).
    held = kNone;
    for (std::size_t g = 0; g < config_.groups.size(); ++g)
      if (walker_.running(g)) held |= class_of(g);
  } else if (state_ != ResourceState::kStable) {
    return RscStatus::kTransition;
  }
  switch (held) {
    case kLocal:
      return RscStatus::kLocal;
    case kForeign:
      return RscStatus::kForeign;
    case kAll:
      return RscStatus::kAll;
    default:
      return RscStatus::kNone;
  }
}

Snapshot Ownership::snapshot() const {
  Snapshot s;
  const ClassBits theirs = peers_hold_ours();
  for (std::size_t g = 0; g < config_.groups.size(); ++g) {
    GroupStatus gs;
    gs.key = config_.groups[g].key();
    gs.home_node = config_.groups[g].node;
    gs.state = walker_.state(g);
    if (walker_.pending(g) && gs.state != GroupRunState::kRunning) {
      gs.owner = Owner::kInTransition;
      s.groups.push_back(std::move(gs));
      continue;
    }
    switch (gs.state) {
      case GroupRunState::kStarting:
      case GroupRunState::kStopping:
        gs.owner = Owner::kInTransition;
        break;
      case GroupRunState::kRunning:
      case GroupRunState::kStopFailed:
        gs.owner = Owner::kUs;
        break;
      default:
        gs.owner = (per_group_ ? peer_holds(g) : (theirs & class_of(g)) != 0) ? Owner::kPeer
                                                                              : Owner::kNone;
        break;
    }
    s.groups.push_back(std::move(gs));
  }
  s.rscstatus = rscstatus();
  s.state = state_;
  s.standby = standby_;
  s.i_hold = std::string(class_name(i_hold_));
  ClassBits other = kNone;
  for (const auto& [name, p] : peers_)
    if (p.alive) other |= p.holds;
  s.other_holds = std::string(class_name(other));
  s.other_is_stable = other_is_stable_;
  s.needs_failback = needs_failback_;
  return s;
}

// ------------------------------------------------------------- helpers

std::vector<std::size_t> Ownership::groups_of(ClassBits cls) const {
  std::vector<std::size_t> out;
  for (std::size_t g = 0; g < config_.groups.size(); ++g)
    if (class_of(g) & cls) out.push_back(g);
  return out;
}

std::vector<std::size_t> Ownership::groups_of_node(const std::string& node) const {
  std::vector<std::size_t> out;
  for (std::size_t g = 0; g < config_.groups.size(); ++g)
    if (config_.groups[g].node == node) out.push_back(g);
  return out;
}

ClassBits Ownership::class_of(std::size_t g) const {
  return config_.groups.at(g).node == local_node_ ? kLocal : kForeign;
}

Ownership::Peer* Ownership::peer(const std::string& name) {
  auto it = peers_.find(name);
  return it == peers_.end() ? nullptr : &it->second;
}

bool Ownership::any_peer_alive() const {
  return std::any_of(peers_.begin(), peers_.end(), [](const auto& p) { return p.second.alive; });
}

bool Ownership::peer_stable_alive() const { return any_peer_alive() && other_is_stable_; }

// A member of corosync's membership not heard yet, or a peer back in the
// ring whose helpers may still serve (lease.cpp; seed 9801454: a restarted
// home node started its group beside them).
bool Ownership::awaited(const std::string& node) const {
  return per_group_ &&
         (std::find(members_.begin(), members_.end(), node) != members_.end() || in_lease(node));
}

bool Ownership::every_peer_reported() const {
  // With more than two nodes a member of corosync's membership counts too,
  // although its status has not reached us yet (a partition healing): it
  // may hold our groups, and deciding without it started a group it held
  // (whole-node simulator, corosync family, seeds 9800011 and 9800071).
  return std::all_of(peers_.begin(), peers_.end(), [this](const auto& p) {
    return (!p.second.alive && !awaited(p.first)) || (p.second.alive && p.second.sent_resources);
  });
}

ClassBits Ownership::peers_hold_ours() const {
  ClassBits out = kNone;
  if (per_group_) {
    for (std::size_t g = 0; g < config_.groups.size(); ++g)
      if (peer_holds(g)) out |= class_of(g);
    return out;
  }
  for (const auto& [name, p] : peers_)
    if (p.alive) out |= mirror(p.holds);
  return out;
}

void Ownership::log(Actions& out, log::Priority p, std::string text, const char* event,
                    const std::string& node) const {
  log::Fields fields;
  if (!node.empty()) fields.emplace_back("VIGIL_NODE", node);
  fields.emplace_back("VIGIL_EVENT", event);
  out.push_back(Log{p, std::move(text), std::move(fields)});
}

void Ownership::send(Actions& out, messages::Body body, std::string dest) {
  SendMessage& s = std::get<SendMessage>(out.emplace_back(std::in_place_type<SendMessage>));
  s.body = std::move(body);
  s.dest = std::move(dest);
}

void Ownership::run(Job job, MonoTime now, Actions& out) {
  // Without quorum nothing is started (quorum.cpp): what the job would
  // have claimed is given up again, and quorum gain decides afresh.
  if (!quorate_ && job.direction == Direction::kStart && !job.groups.empty()) {
    log(out, log::Priority::kWarn,
        fmt::format("No quorum: not acquiring {} resource group(s).", job.groups.size()),
        "quorum-no-acquire", job.node);
    i_hold_ = kNone;
    needs_failback_ = false;
    if (Peer* p = peer(job.node)) p->taken_over = false;  // decided again on quorum gain
    return;
  }
  if (job.groups.empty()) {
    job_done(JobDone{std::move(job), {}}, now, out);
    return;
  }
  walker_.enqueue(std::move(job), out);
}

}  // namespace vigil::ownership
