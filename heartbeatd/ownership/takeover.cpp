// Node death and mach_down (heartbeat-compat.md §6.4), a peer's graceful
// shutdown and ours (§6.7), the healed partition (§6.8), and what happens
// when a group walk finishes.
#include <fmt/format.h>

#include <algorithm>

#include "heartbeatd/ownership/ownership.h"

namespace vigil::ownership {

void Ownership::node_dead(const std::string& node, MonoTime now, Actions& out) {
  Peer* p = peer(node);
  if (p == nullptr) return;
  p->alive = false;
  p->reported_while_dead = false;
  if (!any_peer_alive()) other_is_stable_ = false;
  if (!comm_up_) {
    deaths_before_comm_up_.push_back(node);
    return;
  }
  if (state_ == ResourceState::kShutdown || shutdown_requested_) return;
  cancel_standby(out);
  // Without quorum neither a reset nor a takeover: the quorate partition
  // decides both (quorum.cpp), and a minority must not reset the majority.
  if (!quorate_) {
    log(out, log::Priority::kWarn,
        fmt::format("No quorum: not taking over the resource groups of {}.", node),
        "quorum-no-acquire", node);
    return;
  }
  if (!stonith_decision(node, out)) return;  // fencing.cpp takes over once reset
  if (!p->taken_over) takeover_from(node, /*after_shutdone=*/false, now, out);
}

bool Ownership::stonith_decision(const std::string& node, Actions& out) {
  Peer* p = peer(node);
  // §6.4: a reset is unneeded only if we heard the node and it told us it
  // holds nothing (nice_failback: its last `resource` said none, or it never
  // sent one; legacy: it sent `shutdone`).
  //
  // With a device, only `shutdone` (a graceful exit: it released all, §6.7)
  // spares the reset, as pacemaker fences every unclean loss (A10): a
  // report of "none" can be overtaken by the node's own acquisition (a
  // vigil peer's fast start takes its groups right after reporting; the
  // whole-node simulator's seed 9000002 put the VIP on both nodes that way).
  const bool fencing = fence_method_.count(node) != 0;
  const bool gave_up = policy_ == conf::AutoFailback::kLegacy || fencing
                           ? p->shutdone
                           : (!p->sent_resources || p->holds == kNone);
  if (p->heard && gave_up) {
    log(out, log::Priority::kInfo, fmt::format("Dead node {} gave up resources.", node),
        "dead-node-gave-up", node);
    send(out, messages::Stonith{node, "unneeded"});
    return true;
  }
  if (fencing) {
    if (p->taken_over) return true;  // already fenced and taken over
    request_fence(node, out);
    return false;
  }
  log(out, log::Priority::kWarn, "No STONITH device configured.", "stonith-none", node);
  log(out, log::Priority::kWarn, "Shared disks are not protected.", "stonith-none", node);
  send(out, messages::Stonith{node, "n_stnth"});
  return true;
}

void Ownership::takeover_from(const std::string& node, bool after_shutdone, MonoTime now,
                              Actions& out) {
  Peer* p = peer(node);
  p->taken_over = true;
  log(out, log::Priority::kInfo, fmt::format("Resources being acquired from {}.", node), "takeover",
      node);
  // heartbeat claims the foreign class and arms auto_failback on every
  // takeover, even of a node that has no group: a home node that started
  // alone then says rsc_hold=all, and when the peer joins it runs a
  // standby [foreign] exchange that moves nothing (real-heartbeat-lab.md
  // shows both heartbeat and vigil doing it). vigil claims only what the
  // dead node's groups make true, so the joining peer simply takes its own
  // groups (none) and nobody sits in `transition` for an empty handover.
  // Its own groups and those it served for other dead homes, when this
  // node is their successor (successor.cpp; with two nodes: all of them).
  auto dead_groups = groups_to_take_from(node);
  // With more than two nodes, a group a live peer reports holding stays
  // there (exact_holdings.cpp): it moved there while this node was away.
  // Before every live peer said what it holds, none is taken here: the
  // audit takes what nobody holds once they did. Taken at once, a node
  // that came up while a fourth was dead started that node's group beside
  // the successor that held it (whole-node simulator, seed 9800025).
  if (per_group_ && !every_peer_reported()) dead_groups.clear();
  if (per_group_)
    dead_groups.erase(std::remove_if(dead_groups.begin(), dead_groups.end(),
                                     [this](std::size_t g) { return peer_holds(g); }),
                      dead_groups.end());
  p->held_before_death.clear();
  for (auto g : dead_groups)
    if (walker_.running(g)) p->held_before_death.push_back(g);
  // A death moves no frozen group (maintenance.cpp); a graceful shutdown,
  // which stopped them, still does.
  if (!after_shutdone) hold_back_frozen(dead_groups, node, out);
  if (!dead_groups.empty()) {
    i_hold_ |= kForeign;
    if (policy_ == conf::AutoFailback::kOn) needs_failback_ = true;
  }

  const auto local = groups_of(kLocal);
  // With more than two nodes a group a live peer holds is not ours to
  // start either (exact_holdings.cpp): a shutdone takeover started a home
  // group its successor still held (whole-node simulator, seed 9800071).
  auto not_yet_held = [this](const std::vector<std::size_t>& groups) {
    std::vector<std::size_t> out_groups;
    for (auto g : groups)
      if (!walker_.running(g) && !walker_.pending(g) &&
          !(per_group_ && (peer_holds(g) || declines(local_node_, g))))
        out_groups.push_back(g);
    return out_groups;
  };
  Job theirs = make_job(Direction::kStart, Purpose::kMachDown, dead_groups, node);
  theirs.announce = "Taking over resource group ";
  if (after_shutdone) {
    // §6.7: a standby-style acquisition of our own groups, then mach_down.
    log(out, log::Priority::kInfo, "acquire local HA resources (standby).", "takeover");
    i_hold_ |= kLocal;
    run(make_job(Direction::kStart, Purpose::kStartupLocal, not_yet_held(local)), now, out);
    run(std::move(theirs), now, out);
    return;
  }
  // §6.4 step 3: req_our_resources too, in case ours are not held yet — but
  // after the dead node's groups, so the takeover's first step goes out now.
  if (local.empty())
    log(out, log::Priority::kInfo,
        fmt::format(
            "No local resources [/usr/share/heartbeat/ResourceManager listkeys {}] to acquire.",
            local_node_),
        "local-acquired-none");
  run(std::move(theirs), now, out);
  if (state_ == ResourceState::kInit) return;
  // With more than two nodes another live peer may hold our groups (it
  // succeeded to them while we were away): only once every live peer said
  // what it holds are ours taken here, and only those nobody holds
  // (acquire_local); until then becoming stable or the audit takes them.
  // Taken here regardless, a node starting while a third one was dead
  // started its group beside its successor (whole-node simulator, seed
  // 9800000).
  if (per_group_ && !every_peer_reported()) return;
  // The walk above may have ended at once (a dead node without groups) and
  // its own mach_down report made us STABLE, which queued our groups
  // already: heartbeat walks them once (a lone start logs one `Acquiring
  // resource group`), so only what is neither running nor queued goes here.
  // As req_our_resources, local counts as held from here on, even with
  // nothing to take: becoming STABLE later then takes nothing a second time.
  i_hold_ |= kLocal;
  auto ours = not_yet_held(local);
  hold_back_frozen(ours, node, out);
  Job mine = make_job(Direction::kStart, Purpose::kAcquireLocal, std::move(ours));
  if (!mine.groups.empty()) run(std::move(mine), now, out);
}

void Ownership::on_shutdone(const std::string& from, MonoTime now, Actions& out) {
  Peer* p = peer(from);
  p->shutdone = true;
  p->holds = kNone;
  // Its `info=shutdown` report counted it holding every group until now;
  // kept, that hid its groups from the takeover below (whole-node
  // simulator, seed 9800169: its successor took nothing over).
  p->groups.clear();
  p->sent_resources = true;
  if (state_ == ResourceState::kShutdown || shutdown_requested_) {
    log(out, log::Priority::kInfo, "Resource takeover cancelled - shutdown in progress.",
        "takeover-cancelled", from);
    return;
  }
  log(out, log::Priority::kInfo, fmt::format("Received shutdown notice from '{}'.", from),
      "peer-shutdown", from);
  cancel_standby(out);
  other_is_stable_ = false;
  if (!comm_up_) return;
  takeover_from(from, /*after_shutdone=*/true, now, out);
}

void Ownership::partition_healed(const std::string& node, Actions& out) {
  Peer* p = peer(node);
  if (p == nullptr) return;
  cancel_fence(node, out);
  // heartbeat's line (it runs the death path once more); then vigil's rule:
  // the home node wins, we hand back what we took over (ownership.h).
  log(out, log::Priority::kInfo, fmt::format("Dead node {} gave up resources.", node),
      "dead-node-gave-up", node);
  // Only what the death moved goes back: a group of the returning node we
  // already held before it died (a standby or an earlier takeover gave it
  // to us) stays, or a death only we saw would leave it held by nobody
  // (whole-node simulator, seed 8000965). If the returning node took it
  // too, the audit's home-wins rule settles it (startup.cpp).
  const std::vector<std::size_t> kept = std::move(p->held_before_death);
  // Its report can come before the status that tells the core it returned
  // (it declared us dead, healed and reported first): that report is the
  // returned node's, and it sends no other. Forgetting it left us counting
  // the peer "in flux" for good, so our next standby was refused here and
  // accepted there, which left the peer waiting an hour for our `done`
  // (whole-node simulator, seed 8000010: "Standby in progress- new
  // request ... ignored [3593 seconds left]").
  const Peer before = *p;
  *p = Peer{};
  p->alive = true;
  p->heard = true;
  other_is_stable_ = false;
  keep_report_while_dead(before, *p);
  if (state_ == ResourceState::kShutdown || shutdown_requested_) return;
  cancel_standby(out);
  Job job = make_job(Direction::kStop, Purpose::kPartitionGive, {}, node);
  for (auto g : groups_of_node(node)) {
    if (std::find(kept.begin(), kept.end(), g) != kept.end()) continue;
    if (walker_.running(g) || walker_.pending(g) || walker_.state(g) == GroupRunState::kStopFailed)
      job.groups.push_back(g);
  }
  log(out, log::Priority::kInfo,
      fmt::format("Partition with {} healed: giving back the resource groups taken over from it.",
                  node),
      "partition-healed", node);
  needs_failback_ = false;
  run(std::move(job), MonoTime{}, out);
  // Its stable report came while we counted it dead (it noticed the heal
  // first, gave back and reported): no report follows, so the audit that
  // report would have run runs now. A node that released everything for
  // lack of quorum takes its home groups back here (quorum.cpp).
  if (before.reported_while_dead && before.reported_stable && state_ == ResourceState::kStable)
    audit(MonoTime{}, out);
}

Actions Ownership::shutdown(long pid, MonoTime) {
  Actions out;
  if (shutdown_requested_ || state_ == ResourceState::kShutdown) return out;
  shutdown_requested_ = true;
  shutdown_pid_ = pid;
  if (walker_.busy()) {
    log(out, log::Priority::kWarn, "Shutdown delayed until current resource activity finishes.",
        "shutdown-delayed");
    return out;
  }
  begin_shutdown(out);
  return out;
}

void Ownership::begin_shutdown(Actions& out) {
  log(out, log::Priority::kInfo, fmt::format("Heartbeat shutdown in progress. ({})", shutdown_pid_),
      "shutdown");
  standby_ = StandbyState::kNot;
  standby_taker_ = false;
  failure_standby_.reset();
  state_ = ResourceState::kShutdown;
  i_hold_ = kNone;
  send_resources(false, "shutdown", out);
  log(out, log::Priority::kInfo, "Giving up all HA resources.", "shutdown");
  // §6.7: every key in the file, file order, held or not.
  Job job = make_job(Direction::kStop, Purpose::kShutdown);
  for (std::size_t g = 0; g < config_.groups.size(); ++g) job.groups.push_back(g);
  run(std::move(job), MonoTime{}, out);
}

void Ownership::job_done(const JobDone& done, MonoTime now, Actions& out) {
  const Job& job = done.job;
  if (!done.failed.empty()) {
    // §3.4 fallback, intent rather than quirk (ownership.h): 30 s later,
    // standby of the failed groups' class so the peer can try.
    ClassBits cls = failure_standby_ ? failure_standby_->second : kNone;
    for (auto g : done.failed) cls |= class_of(g);
    failure_standby_ = {now + kStartFailureStandbyDelay, cls};
  }
  switch (job.purpose) {
    case Purpose::kAcquireLocal:
      log(out, log::Priority::kInfo, "Local Resource acquisition completed.", "local-acquired");
      break;
    case Purpose::kStartupLocal:
      log(out, log::Priority::kInfo, "local HA resource acquisition completed (standby).",
          "takeover");
      log(out, log::Priority::kInfo, "Standby resource acquisition done [all].", "takeover");
      break;
    case Purpose::kMachDown: {
      log(out, log::Priority::kInfo,
          fmt::format("/usr/share/heartbeat/mach_down: nice_failback: foreign resources acquired"),
          "mach-down");
      messages::Resource m;
      m.rsc_hold = "foreign";
      m.info = "mach_down";
      m.vigil = true;
      if (per_group_) {
        m.held = held_bitmap();
        last_held_sent_ = m.held;
      }
      if (policy_ != conf::AutoFailback::kLegacy) send(out, m);
      log(out, log::Priority::kInfo,
          fmt::format("mach_down takeover complete for node {}.", job.node), "mach-down", job.node);
      if (policy_ != conf::AutoFailback::kLegacy) on_own_resource(m, now, out);
      break;
    }
    case Purpose::kStandbyGive:
      log(out, log::Priority::kInfo,
          fmt::format("{} HA resource release completed (standby).", class_name(job.cls)),
          "standby-give");
      if (standby_ == StandbyState::kMe && !standby_taker_) {
        send_ask(job.cls, "done", out);
        handle_standby_msg(local_node_, true, job.cls, "done", now, out);
      } else {
        send_resources(true, {}, out);  // cancelled meanwhile: say what we hold
      }
      break;
    case Purpose::kStandbyTake: {
      const ClassBits mine = mirror(job.cls);
      log(out, log::Priority::kInfo,
          fmt::format("{} HA resource acquisition completed (standby).", class_name(mine)),
          "standby-take");
      i_hold_ |= mine;
      send_resources(true, {}, out);
      if (standby_ == StandbyState::kDone && standby_taker_) {
        send_ask(job.cls, "done", out);
        handle_standby_msg(local_node_, true, job.cls, "done", now, out);
      }
      break;
    }
    case Purpose::kShutdown: {
      log(out, log::Priority::kInfo, "All HA resources relinquished.", "shutdown");
      send(out, messages::Shutdone{"dead"});
      out.emplace_back(std::in_place_type<ShutdownComplete>);
      break;
    }
    case Purpose::kLegacyTake:
      break;
    case Purpose::kLegacyGive: {
      send(out, messages::IpRequestResp{job.key, /*weown=*/true, /*ok=*/true}, job.node);
      break;
    }
    case Purpose::kLeftoverRelease:
      log(out, log::Priority::kInfo, "Leftover resources released.", "leftover-release");
      break;
    case Purpose::kIsolatedRelease:
    case Purpose::kIsolationOver:
      isolation_done(job, out);
      break;
    case Purpose::kQuorumRelease:
      log(out, log::Priority::kWarn, "Resource groups released for lack of quorum.",
          "quorum-released");
      send_resources(state_ == ResourceState::kStable, {}, out);
      break;
    case Purpose::kPartitionGive:
      log(out, log::Priority::kInfo, "foreign HA resource release completed (partition).",
          "partition-healed", job.node);
      forget_foreign_if_none_runs();
      send_resources(state_ == ResourceState::kStable, {}, out);
      break;
    case Purpose::kAuditTake:
      log(out, log::Priority::kInfo, "Resource groups no node held are running here.", "audit");
      break;
    case Purpose::kFailbackGive:
      log(out, log::Priority::kInfo, "foreign HA resource release completed (auto_failback).",
          "failback");
      forget_foreign_if_none_runs();
      break;
  }
  announce_held(out);
  // With more than two nodes a finished walk may leave a group held twice
  // or by nobody that an earlier audit could not settle while it ran.
  if (per_group_ && !walker_.busy() && state_ == ResourceState::kStable) audit(now, out);
}

void Ownership::keep_report_while_dead(const Peer& before, Peer& p) {
  if (!before.reported_while_dead) return;
  p.holds = before.holds;
  p.vigil = before.vigil;
  p.sent_resources = before.sent_resources;
  p.groups = before.groups;
  p.away = before.away;
  p.stable = before.reported_stable;
  other_is_stable_ = before.reported_stable;
}

void Ownership::forget_foreign_if_none_runs() {
  bool foreign_left = false;
  for (auto g : groups_of(kForeign)) foreign_left = foreign_left || walker_.running(g);
  if (!foreign_left) i_hold_ &= static_cast<ClassBits>(~kForeign);
}

void Ownership::on_own_resource(const messages::Resource& m, MonoTime now, Actions& out) {
  // The local copy of our own `resource` (ownership.h "Our own messages").
  if (m.info != "mach_down") return;
  log(out, log::Priority::kInfo, "mach_down takeover complete.", "mach-down");
  initial_done(true, true, "mach_down", out);
  if (state_ == ResourceState::kStarting || state_ == ResourceState::kBothStarting)
    rscrcvd(now, out);
}

}  // namespace vigil::ownership
