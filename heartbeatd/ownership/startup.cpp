// Initial resource acquisition (heartbeat-compat.md §6.2 step 4, §6.3):
// the nice_failback starting/resource exchange for auto_failback on/off,
// the release of leftovers found at the start of a new generation,
// and legacy's ip-request pull.
#include <fmt/format.h>

#include <algorithm>

#include "heartbeatd/ownership/ownership.h"

namespace vigil::ownership {

namespace {

// heartbeat prints ResourceManager's path here; log watchers grep it.
std::string no_local_resources(const std::string& node) {
  return fmt::format(
      "No local resources [/usr/share/heartbeat/ResourceManager listkeys {}] to acquire.", node);
}

}  // namespace

Actions Ownership::start(MonoTime now) {
  Actions out;
  if (leftovers_.empty()) return out;
  // heartbeat's verifyallidle line (§3.6), one per group, then vigil's
  // remedy instead of heartbeat's refusal to start.
  for (auto g : leftovers_)
    log(out, log::Priority::kCrit,
        fmt::format("Resource {} is active, and should not be!", config_.groups[g].key()),
        "leftover-release");
  log(out, log::Priority::kWarn,
      "Resources found running in a new generation (the cluster saw this node die); "
      "releasing them before joining",
      "leftover-release");
  run(make_job(Direction::kStop, Purpose::kLeftoverRelease, std::move(leftovers_)), now, out);
  leftovers_.clear();
  return out;
}

void Ownership::node_up(const std::string& node, Actions& out) {
  Peer* p = peer(node);
  if (p == nullptr) return;
  // Dead and back before our comm up: its death is not replayed at comm up,
  // which left it dead here for good while it served and reported
  // (whole-node simulator, seed 9801032: its group held by nobody).
  std::erase(deaths_before_comm_up_, node);
  cancel_fence(node, out);
  if (!p->alive && (p->heard || p->taken_over)) {
    // Back after being dead (also one dead before we ever heard it, whose
    // groups we took at our lone start): a new life, nothing it said or we
    // did about it before counts, and its next death is taken over again.
    // With more than two nodes, what it reported while we counted it dead
    // is from this new life and stays, as for a healed partition
    // (takeover.cpp): its stable report came before its status, was
    // dropped here, and our audit waited for it for ever (whole-node
    // simulator, seed 9800510: a home group held by nobody).
    const Peer before = *p;
    *p = Peer{};
    other_is_stable_ = false;
    if (per_group_) keep_report_while_dead(before, *p);
  }
  p->alive = true;
  p->heard = true;
  tell_returned_peer(out);
}

void Ownership::comm_up(MonoTime now, Actions& out) {
  if (comm_up_) return;
  comm_up_ = true;
  if (!restarted_) {
    if (policy_ == conf::AutoFailback::kLegacy)
      legacy_comm_up(out);
    else
      send_starting(out);
  }
  // heartbeat runs mach_down for peers found dead before comm up only once
  // comm is up (capture 03: `is dead`, `Comm_now_up`, then STONITH lines).
  auto deaths = std::move(deaths_before_comm_up_);
  deaths_before_comm_up_.clear();
  for (const auto& d : deaths) node_dead(d, now, out);
  // Nobody to hear from: RSCRCVD now, so a node without peers does not sit
  // in STARTING (a lone node whose peers are dead gets there through its
  // own mach_down report above). Comm comes up once every peer sent its
  // first status or was declared dead (§6.2, core.cpp check_comm_up): a
  // peer not dead is alive here and will answer `starting`.
  if (peers_.empty() && state_ == ResourceState::kStarting) rscrcvd(now, out);
}

void Ownership::send_starting(Actions& out) {
  send(out, messages::Starting{/*vigil=*/true});
  state_ = ResourceState::kStarting;
}

void Ownership::send_resources(bool stable, std::string_view info, Actions& out, bool answer) {
  if (policy_ == conf::AutoFailback::kLegacy) return;  // legacy exchanges no `resource`
  messages::Resource m;
  m.rsc_hold = std::string(class_name(i_hold_));
  m.full = true;
  m.isstable = stable;
  m.info = std::string(info);
  // Until `shutdone` every report of a stopping node says so: one without
  // it (the answer to a restarted peer's `starting`) read "holds none"
  // replaced the shutdown notice, and the peer started its home group while
  // this node was still releasing it (whole-node simulator, seed 9001017).
  if (state_ == ResourceState::kShutdown && m.info.empty()) m.info = "shutdown";
  m.vigil = true;
  if (per_group_) {
    m.held = held_bitmap();
    if (std::find(away_.begin(), away_.end(), true) != away_.end()) m.away = away_bitmap();
    m.rsc_hold = std::string(class_name(class_of_bitmap(m.held)));
    m.ask = !answer && state_ == ResourceState::kStable && !every_peer_reported();
    last_held_sent_ = m.held;
  }
  send(out, std::move(m));
}

Actions Ownership::report_stable() {
  Actions out;
  if (rscstatus() != RscStatus::kTransition) send_resources(true, {}, out);
  return out;
}

void Ownership::on_starting(const std::string& from, const messages::Starting& m, Actions& out) {
  Peer* p = peer(from);
  if (m.vigil) p->vigil = true;
  p->sent_resources = false;
  other_is_stable_ = false;
  if (policy_ == conf::AutoFailback::kLegacy) return;
  // INIT: we answer once our own comm is up and the peer answers our
  // `starting` (it replies in every state but INIT, as we do).
  if (state_ == ResourceState::kInit) return;
  if (state_ == ResourceState::kStarting) state_ = ResourceState::kBothStarting;
  send_resources(state_ == ResourceState::kStable, {}, out);
}

void Ownership::on_resource(const std::string& from, const messages::Resource& m, MonoTime now,
                            Actions& out) {
  if (policy_ == conf::AutoFailback::kLegacy) return;
  Peer* p = peer(from);
  const auto holds = parse_class(m.rsc_hold);
  if (!holds || *holds != (*holds & kAll) || m.rsc_hold == "failback") return;
  if (m.vigil) p->vigil = true;
  // `rtype=full` replaces, no rtype ORs into the last report (§5.6).
  p->holds = m.full ? *holds : (p->holds | *holds);
  // §6.7 step 2: a stopping peer says rsc_hold=none before it releases
  // anything; it holds them until its `shutdone`, which is when we take
  // over. Read literally, a node in RSCRCVD would take its groups at once
  // while the peer still releases them (whole-node simulator, seed
  // 7000125: the VIP on two nodes for the length of the release walk).
  if (m.info == "shutdown") p->holds = kAll;
  // Likewise a standby giver reports without the class it gives before its
  // stops run: it may hold anything until its next report. With two nodes
  // the taker is in the exchange and waits for `done`; with more, a home
  // node outside it read "nobody holds our groups" and started its group
  // during the giver's release (whole-node simulator, seed 9600000).
  if (m.info == "standby") p->holds = kAll;
  if (per_group_) note_held(from, m, *holds, out);
  if (per_group_ && m.ask && state_ != ResourceState::kInit)
    send_resources(state_ == ResourceState::kStable, {}, out, /*answer=*/true);
  // The giver of our standby started giving: its walk may take long.
  if (m.info == "standby" && standby_ == StandbyState::kOther && from == standby_peer_)
    standby_deadline_ = now + kStandbyOtherTimeout;
  if (!p->alive) {
    p->reported_while_dead = true;
    p->reported_stable = m.isstable.value_or(false);
  }
  p->sent_resources = true;
  // The mach_down report (`info=mach_down`, §6.4 step 5) carries no
  // isstable: it says what the sender holds, not that it is in flux. Read
  // as "unstable" it would leave a peer that returned during the takeover
  // ignoring every later standby [foreign] as "Other side is in flux".
  const bool says_stability = m.isstable.has_value();
  const bool stable = m.isstable.value_or(false);
  if (says_stability) p->stable = stable;
  if (state_ == ResourceState::kInit || state_ == ResourceState::kShutdown) {
    if (says_stability) other_is_stable_ = stable;
    return;
  }
  const bool was_stable = state_ == ResourceState::kStable;
  if (state_ == ResourceState::kStarting || state_ == ResourceState::kBothStarting)
    rscrcvd(now, out);
  if (!says_stability) return;
  if (!stable) {
    other_is_stable_ = false;
    check_request_delay(now, out);
    return;
  }
  other_is_stable_ = true;
  log(out, log::Priority::kInfo, "remote resource transition completed.", "remote-stable", from);
  // With more than two nodes, one peer's report does not say whether
  // another holds our groups: become stable once every live peer reported
  // (or at RQSTDELAY). Deciding on the first report started a home group
  // the third node still held (whole-node simulator, seed 9800000: node3
  // back, node2's report first, node1 held node3's group).
  if (state_ == ResourceState::kRscRcvd && every_peer_reported())
    become_stable(/*by_remote=*/true, now, out);
  // With more than two nodes also right after becoming stable on this
  // report: a dead node's groups wait for the audit until every live peer
  // reported (takeover.cpp).
  if (was_stable || (per_group_ && state_ == ResourceState::kStable)) audit(now, out);
}

void Ownership::rscrcvd(MonoTime now, Actions& out) {
  state_ = ResourceState::kRscRcvd;
  rscrcvd_at_ = now;
  check_request_delay(now, out);
}

void Ownership::check_request_delay(MonoTime now, Actions& out) {
  if (state_ != ResourceState::kRscRcvd || !rscrcvd_at_) return;
  // RQSTDELAY waits for a peer to become stable first. A lone node has no
  // one to wait for; an all-vigil cluster knows from `rsc_hold` that the
  // peer does not hold our groups (ownership.h "vigil peers").
  bool all_vigil = true;
  for (const auto& [name, p] : peers_)
    if (p.alive && !p.vigil) all_vigil = false;
  // With more than two nodes, a member of corosync's membership not heard
  // yet is a peer too: deciding alone started our group beside the node
  // that held it (whole-node simulator, seed 9800721).
  bool lone = !any_peer_alive();
  for (const auto& [name, p] : peers_) lone = lone && !awaited(name);
  const bool fast = lone || (all_vigil && every_peer_reported() && !(peers_hold_ours() & kLocal));
  if (!fast && now < *rscrcvd_at_ + kRequestDelay) return;
  log(out, log::Priority::kInfo, "local resource transition completed.", "local-stable");
  become_stable(/*by_remote=*/false, now, out);
}

void Ownership::become_stable(bool by_remote, MonoTime now, Actions& out) {
  // §6.3: take our groups unless the peer already holds them or we do.
  const bool peer_has_ours = peers_hold_ours() & kLocal;
  bool take = !peer_has_ours && !(i_hold_ & kLocal);
  if (by_remote && !take)
    log(out, log::Priority::kInfo, "Local Resource acquisition completed. (none)",
        "local-acquired-none");
  if (take) i_hold_ |= kLocal;
  state_ = ResourceState::kStable;
  rscrcvd_at_.reset();
  // With more than two nodes the report names the groups held, so the
  // start is queued first: a report without them told the peers nobody
  // held them (exact_holdings.cpp).
  if (per_group_ && take) {
    acquire_local(Purpose::kAcquireLocal, now, out);
    take = false;
  }
  send_resources(true, {}, out);
  if (!by_remote)
    initial_done(true, true, "T_RESOURCES(us)", out);
  else if (take || !peer_has_ours || policy_ != conf::AutoFailback::kOn)
    initial_done(true, true, "T_RESOURCES(them)", out);
  else
    initial_done(false, true, "T_RESOURCES(them)", out);  // auto_failback brings ours back
  if (take) acquire_local(Purpose::kAcquireLocal, now, out);
}

void Ownership::acquire_local(Purpose purpose, MonoTime now, Actions& out) {
  const auto local = groups_of(kLocal);
  if (local.empty()) {
    log(out, log::Priority::kInfo, no_local_resources(local_node_), "local-acquired-none");
    return;
  }
  Job job = make_job(Direction::kStart, purpose);
  for (auto g : local)
    if (!walker_.running(g) && !walker_.pending(g) &&
        !(per_group_ && (peer_holds(g) || declines(local_node_, g))))
      job.groups.push_back(g);
  run(std::move(job), now, out);
}

void Ownership::initial_done(bool local, bool foreign, std::string_view reason, Actions& out) {
  initial_local_ = initial_local_ || local;
  initial_foreign_ = initial_foreign_ || foreign;
  if (initial_logged_ || !initial_local_ || !initial_foreign_) return;
  initial_logged_ = true;
  log(out, log::Priority::kInfo, fmt::format("Initial resource acquisition complete ({})", reason),
      "initial-acquired");
}

void Ownership::legacy_comm_up(Actions& out) {
  // §6.3 legacy: pull each of our groups; alone (HA_DONTASK) take it
  // directly. No state machine: we count as stable from here on.
  state_ = ResourceState::kStable;
  const auto local = groups_of(kLocal);
  if (local.empty()) {
    log(out, log::Priority::kInfo, no_local_resources(local_node_), "local-acquired-none");
  } else {
    Job direct = make_job(Direction::kStart, Purpose::kLegacyTake);
    for (auto g : local) {
      if (walker_.running(g) || walker_.pending(g)) continue;
      if (!any_peer_alive()) {
        direct.groups.push_back(g);
        continue;
      }
      send(out, messages::IpRequest{config_.groups[g].key()});
    }
    log(out, log::Priority::kInfo, "Local Resource acquisition completed.", "local-acquired");
    initial_done(true, true, "req_our_resources", out);
    if (!direct.groups.empty()) walker_.enqueue(std::move(direct), out);
    return;
  }
  initial_done(true, true, "req_our_resources", out);
}

void Ownership::on_ip_request(const std::string& from, const messages::IpRequest& m, Actions& out) {
  if (policy_ != conf::AutoFailback::kLegacy) return;
  const std::string& key = m.ipaddr;
  std::optional<std::size_t> group;
  for (std::size_t g = 0; g < config_.groups.size(); ++g)
    if (config_.groups[g].key() == key) group = g;
  if (!group) return;
  // Only the group's home node may pull it (a hardening: heartbeat's
  // rc.d/ip-request would hand any group to anyone asking).
  if (config_.groups[*group].node != from) {
    log(out, log::Priority::kWarn,
        fmt::format("ip-request for {} from {} ignored: not its home node.", key, from),
        "ip-request-refused", from);
    return;
  }
  if (walker_.running(*group) || walker_.pending(*group)) {
    Job job = make_job(Direction::kStop, Purpose::kLegacyGive, {*group}, from);
    job.key = key;
    walker_.enqueue(std::move(job), out);
    return;
  }
  send(out, messages::IpRequestResp{key, /*weown=*/false, /*ok=*/true}, from);
}

void Ownership::on_ip_request_resp(const messages::Header& h, const messages::IpRequestResp& m,
                                   Actions& out) {
  if (policy_ != conf::AutoFailback::kLegacy || !m.ok) return;
  if (h.dest != local_node_) return;
  const std::string& key = m.ipaddr;
  for (std::size_t g = 0; g < config_.groups.size(); ++g) {
    if (config_.groups[g].key() != key || config_.groups[g].node != local_node_) continue;
    log(out, log::Priority::kInfo,
        fmt::format("received ip-request-resp {} OK {}", key, m.weown ? "yes" : "no"),
        "ip-request-resp");
    if (walker_.running(g) || walker_.pending(g)) return;
    walker_.enqueue(make_job(Direction::kStart, Purpose::kLegacyTake, {g}), out);
  }
}

void Ownership::audit(MonoTime now, Actions& out) {
  // §6.3 audit lines, only in a quiet moment (both stable, nothing moving),
  // and with every live peer's report: with more than two nodes, the first
  // peer to report after a heal said nothing of a third that holds our
  // groups, and we took them back while it held them (whole-node
  // simulator, seed 9800000).
  if (per_group_) ask_missing_reports(out);
  if (standby_ != StandbyState::kNot || walker_.busy() || !peer_stable_alive() ||
      !every_peer_reported())
    return;
  // Without quorum the audit has nothing to do (quorum.cpp: nothing is
  // held, nothing starts), and its take-back report, refused at once,
  // made two nodes of a minority answer each other's reports without end
  // (whole-node simulator, seed 9800002: a report every 2 ms on each).
  if (!quorate_) return;
  if (per_group_) {
    audit_groups(now, out);
    return;
  }
  const ClassBits theirs = peers_hold_ours();
  auto check = [&](ClassBits cls, const char* both, const char* none) {
    if (!has_groups(cls)) return;
    const bool ours = i_hold_ & cls;
    const bool peers = theirs & cls;
    if (ours && peers) log(out, log::Priority::kError, both, "audit");
    if (!ours && !peers) log(out, log::Priority::kError, none, "audit");
  };
  check(kLocal, "Both machines own our resources!", "No one owns our local resources!");
  check(kForeign, "Both machines own foreign resources!", "No one owns foreign resources!");
  // Both holding a peer's home groups, in a quiet moment, is left over from
  // a partition only one side saw (whole-node simulator, seed 8000025: the
  // peer declared us dead and took its groups back from us while we never
  // lost it, so neither side's §6.8 rule ran for us). The rule of §6.8
  // applies: the home node wins, so we give its groups back. Our own home
  // groups the peer holds are the peer's to give back, by this same rule.
  if ((i_hold_ & kForeign) && (theirs & kForeign) && has_groups(kForeign)) give_back_to_homes(out);
  // The mirror case: we are home and the peer holds our groups too. It
  // gives them back by the rule above once it audits, which it does on our
  // next stable report; a death only it saw may leave it none to hear
  // (whole-node simulator, seed 8000006), so we report again. A vigil peer
  // answers by releasing, which changes what it holds. With more than two
  // nodes the class words cannot say whose groups a peer holds (`foreign`
  // from a third node may be another node's group, which it keeps): every
  // home node re-reported on every report, for ever (whole-node simulator,
  // seed 9800002: five nodes after a heal, a storm of reports). So one
  // re-report per picture of who holds what.
  if ((i_hold_ & kLocal) && (theirs & kLocal) && has_groups(kLocal)) {
    bool all_vigil = true;
    std::vector<std::pair<std::string, ClassBits>> picture{{local_node_, i_hold_}};
    for (const auto& [name, p] : peers_) {
      if (p.alive && !p.vigil) all_vigil = false;
      if (p.alive) picture.emplace_back(name, p.holds);
    }
    if (all_vigil && picture != rereported_for_) {
      rereported_for_ = std::move(picture);
      send_resources(true, {}, out);
    }
  }
  // Nobody holding our home groups, in a quiet moment, is a peer that
  // restarted in a new generation (its helpers released everything when
  // their lease ran out) after taking them over, before we declared it
  // dead (whole-node simulator, seed 7000061): no death, so no takeover.
  // Its stable report says it holds none of them: we take them back, as
  // at start (§6.3). Groups whose start failed here stay with the §3.4
  // fallback.
  if (!(i_hold_ & kLocal) && !(theirs & kLocal) && has_groups(kLocal) && !failure_standby_ &&
      !(frozen_classes() & kLocal)) {
    bool failed = false;
    for (auto g : groups_of(kLocal)) failed = failed || walker_.state(g) == GroupRunState::kFailed;
    if (failed) return;
    log(out, log::Priority::kWarn, "Taking our resource groups back: no node holds them.", "audit");
    i_hold_ |= kLocal;
    send_resources(true, {}, out);
    acquire_local(Purpose::kAcquireLocal, now, out);
  }
}

void Ownership::give_back_to_homes(Actions& out) {
  for (const auto& [name, p] : peers_) {
    if (!p.alive) continue;
    Job job = make_job(Direction::kStop, Purpose::kPartitionGive, {}, name);
    for (auto g : groups_of_node(name))
      if (walker_.running(g)) job.groups.push_back(g);
    if (job.groups.empty()) continue;
    log(out, log::Priority::kWarn,
        fmt::format("{} holds its resource groups too: its home node keeps them, releasing ours.",
                    name),
        "audit", name);
    needs_failback_ = false;
    run(std::move(job), MonoTime{}, out);
  }
}

}  // namespace vigil::ownership
