#include "heartbeatd/engine/resource_engine.h"

#include <fmt/format.h>

#include <type_traits>
#include <utility>

namespace vigil::engine {

namespace pi = proto::ipd;
namespace pr = proto::resourced;
using ownership::ResourceOp;
using ownership::ResourceOutcome;
using ownership::ResourceTarget;

namespace {

template <class... F>
struct Overload : F... {
  using F::operator()...;
};

log::Fields group_fields(const conf::Config& config, std::size_t group, const char* event) {
  return {{"VIGIL_GROUP", config.groups[group].key()}, {"VIGIL_EVENT", event}};
}

void log(ResourceActions& out, log::Priority priority, std::string text, log::Fields fields = {}) {
  out.emplace_back(Log{priority, std::move(text), std::move(fields)});
}

}  // namespace

ResourceEngine::ResourceEngine(const conf::Config& config, Generation generation,
                               Duration survey_timeout, bool quorate, Duration leave_grace)
    : config_(config),
      generation_(generation),
      survey_timeout_(survey_timeout),
      announcements_(config.vigil_cf.garp_refresh),
      outdate_(config),
      ipfail_(config),
      isolation_(config),
      quorate_(quorate),
      leave_grace_(leave_grace) {
  if (config.vigil_cf.health_check) health_.emplace(config);
}

void ResourceEngine::call(CallKind kind, proto::ResourcePlace place, pr::Op op, Purpose purpose,
                          ResourceActions& out) {
  const std::uint32_t id = next_call_++;
  calls_.emplace(id, std::move(purpose));
  out.emplace_back(HelperCall{id, kind, place, op});
}

// Restart continuity (ownership.h): a heartbeatd restarted within the lease
// finds its resources still held by the helpers and must carry on as their
// owner, so it asks before the module decides anything.
ResourceActions ResourceEngine::start(MonoTime now) {
  ResourceActions out;
  announcements_.start(now);
  survey_deadline_ = now + survey_timeout_;
  bool any_ip = false;
  for (std::size_t g = 0; g < config_.groups.size(); ++g) {
    const auto& resources = config_.groups[g].resources;
    for (std::size_t p = 0; p < resources.size(); ++p) {
      if (resources[p].is_ip()) {
        any_ip = true;
        continue;
      }
      ++survey_waiting_;
      const proto::ResourcePlace place{static_cast<std::uint16_t>(g),
                                       static_cast<std::uint16_t>(p)};
      call(CallKind::kResourced, place, pr::Op::kStatus, SurveyStatus{place}, out);
    }
  }
  if (any_ip) {
    ++survey_waiting_;
    call(CallKind::kIpdList, {}, pr::Op::kStatus, SurveyList{}, out);
  }
  if (survey_waiting_ == 0) finish_survey(nullptr, now, out);
  return out;
}

void ResourceEngine::finish_survey(const char* why, MonoTime now, ResourceActions& out) {
  ownership::OwnershipParams params;
  params.quorate = quorate_;
  params.members = members_;
  params.in_ring = in_ring_;
  params.leave_grace = leave_grace_;
  if (why != nullptr) {
    // Unreachable helper: start as holding nothing. If it does hold
    // something, its lease has run out or will (we are not its client
    // yet), and the peer negotiation of §6.3 decides the owner.
    log(out, log::Priority::kWarn,
        fmt::format("Resource survey incomplete ({}); starting as holding no resources", why),
        {{"VIGIL_EVENT", "resource-survey"}});
  } else {
    params.held_at_start = held_at_start(config_, survey_running_);
    params.resumed = generation_ == Generation::kContinued;
    if (survey_failed_)
      log(out, log::Priority::kWarn,
          "A resource's status could not be told at start; counted as not running",
          {{"VIGIL_EVENT", "resource-survey"}});
    if (params.held_at_start && params.resumed) {
      for (std::size_t g = 0; g < params.held_at_start->size(); ++g)
        if ((*params.held_at_start)[g])
          log(out, log::Priority::kInfo,
              fmt::format("Resource group {} found running at start; keeping it",
                          config_.groups[g].key()),
              {{"VIGIL_GROUP", config_.groups[g].key()}, {"VIGIL_EVENT", "resource-survey"}});
    }
  }
  survey_deadline_.reset();
  own_ = std::make_unique<ownership::Ownership>(config_, std::move(params));
  // Leftovers are released before the membership that waited for the
  // survey reaches the module.
  absorb(own_->start(now), out);
  // Told "no quorum" while the survey ran: what a restart resumed goes now
  // (the word will not come again; quorum.cpp).
  if (quorum_heard_ && !quorate_) absorb(own_->on_quorum(false, {}, now), out);
  std::vector<core::Action> heard = std::move(heard_before_module_);
  heard_before_module_.clear();
  for (const auto& action : heard) absorb(own_->on_action(action, now), out);
}

void ResourceEngine::absorb(ownership::Actions actions, ResourceActions& out) {
  for (auto& action : actions) {
    std::visit(
        Overload{[&](ownership::SendMessage& m) { out.emplace_back(std::move(m)); },
                 [&](ownership::Log& l) { out.emplace_back(std::move(l)); },
                 [&](const ownership::ShutdownComplete&) { out.emplace_back(ShutdownComplete{}); },
                 [&](const ownership::FenceRequest& f) {
                   const std::uint32_t id = next_call_++;
                   calls_.emplace(id, ForFence{f.request_id});
                   out.emplace_back(FenceCall{id, static_cast<std::uint16_t>(f.node_index)});
                 },
                 [&](const ownership::ResourceRequest& r) {
                   out.emplace_back(StepStarted{r});
                   const proto::ResourcePlace place = place_of(r);
                   if (r.target == ResourceTarget::kResourced) {
                     call(CallKind::kResourced, place, resourced_op(r.op), ForModule{r}, out);
                     return;
                   }
                   const CallKind kind = r.op == ResourceOp::kStart  ? CallKind::kIpdAdd
                                         : r.op == ResourceOp::kStop ? CallKind::kIpdRemove
                                                                     : CallKind::kIpdList;
                   call(kind, place, pr::Op::kStatus, ForModule{r}, out);
                 }},
        action);
  }
}

ResourceActions ResourceEngine::on_membership(const core::Action& action, MonoTime now) {
  ResourceActions out;
  if (!std::holds_alternative<core::MembershipEvent>(action) &&
      !std::holds_alternative<core::Deliver>(action))
    return out;
  // DRBD's exchange does not wait for the survey: a primary that lost its
  // peer must not wait on what this node holds.
  from_outdate(outdate_.on_membership(action), out);
  if (!own_)
    heard_before_module_.push_back(action);
  else
    absorb(own_->on_action(action, now), out);
  // After the module: a group it just began to give back is no longer held
  // quietly, so only what stays here is announced.
  announce(announcements_.on_membership(action, now), out);
  from_ipfail(ipfail_.on_membership(action, ipfail_view(), now), now, out);
  // The isolated node (isolation.h): after the module saw the death, so a
  // takeover it began is queued before the release that undoes it.
  from_isolation(isolation_.on_membership(action, now), now, out);
  return out;
}

void ResourceEngine::from_isolation(IsolationWatch::Verdict v, MonoTime now, ResourceActions& out) {
  for (auto& l : v.logs) out.emplace_back(std::move(l));
  if (v.edge && own_)
    absorb(*v.edge == IsolationWatch::Edge::kIsolated ? own_->release_isolated(now)
                                                      : own_->end_isolation(now),
           out);
}

Ipfail::View ResourceEngine::ipfail_view() const {
  Ipfail::View view;
  if (!own_) return view;  // the survey runs: nothing is stable yet
  view.resources_stable = own_->rscstatus() != ownership::RscStatus::kTransition;
  view.holds = own_->i_hold();
  return view;
}

// ipfail's give-up is hb_standby of its class (§8.2, ipfail.h); before the
// module exists there is nothing to give.
void ResourceEngine::from_ipfail(IpfailActions actions, MonoTime now, ResourceActions& out) {
  for (auto& action : actions) {
    if (auto* m = std::get_if<ownership::SendMessage>(&action))
      out.emplace_back(std::move(*m));
    else if (auto* l = std::get_if<Log>(&action))
      out.emplace_back(std::move(*l));
    else if (auto* g = std::get_if<IpfailGiveUp>(&action); g && own_) {
      // Maintenance freezes placement (ownership/maintenance.cpp): ipfail's
      // give-up is vigil's own initiative, so a frozen class stays.
      if (own_->frozen_classes() & g->cls) {
        out.emplace_back(Log{log::Priority::kWarn,
                             fmt::format("ipfail: not giving up [{}]: a group of it is in "
                                         "maintenance (vigilctl maintenance off lets it move)",
                                         ownership::class_name(g->cls)),
                             {{"VIGIL_EVENT", "ipfail-giveup"}}});
        continue;
      }
      absorb(own_->standby(g->cls, now), out);
    } else if (std::holds_alternative<IpfailReportStable>(action) && own_) {
      absorb(own_->report_stable(), out);
    }
  }
}

ResourceActions ResourceEngine::on_quorum(bool quorate, const std::vector<std::string>& members,
                                          MonoTime now) {
  ResourceActions out;
  quorate_ = quorate;  // the module, built later, starts from it
  quorum_heard_ = true;
  if (own_) absorb(own_->on_quorum(quorate, members, now), out);
  return out;
}

void ResourceEngine::on_members(const std::vector<std::string>& members,
                                const std::vector<std::string>& in_ring, MonoTime now) {
  members_ = members;
  in_ring_ = in_ring;
  if (own_) own_->set_members(members, in_ring, now);
}

ResourceActions ResourceEngine::on_tick(MonoTime now) {
  ResourceActions out;
  from_outdate(outdate_.on_tick(now), out);
  if (!own_) {
    if (survey_deadline_ && now >= *survey_deadline_)
      finish_survey("a helper did not answer within the survey time", now, out);
    return out;
  }
  absorb(own_->on_tick(now), out);
  announce(announcements_.on_tick(now), out);
  from_ipfail(ipfail_.on_tick(ipfail_view(), now), now, out);
  from_isolation(isolation_.on_tick(now), now, out);
  if (health_) from_health(health_->on_tick(health_view(), now), now, out);
  return out;
}

HealthMonitor::View ResourceEngine::health_view() const {
  HealthMonitor::View view;
  view.held.resize(config_.groups.size());
  for (std::size_t g = 0; g < config_.groups.size(); ++g) view.held[g] = holds_quietly(g);
  view.peer_can_take = own_ && own_->peer_can_take();
  return view;
}

// The monitor's calls are numbered here like every other; a give-up is the
// standby of the group's class; what it declines is told to the module
// after every step, so it holds from the moment it is decided.
void ResourceEngine::from_health(HealthActions actions, MonoTime now, ResourceActions& out) {
  for (auto& action : actions) {
    if (auto* l = std::get_if<Log>(&action)) {
      out.emplace_back(std::move(*l));
    } else if (auto* c = std::get_if<HealthCall>(&action)) {
      call(c->kind, c->place, c->op, HealthStep{c->token}, out);
    } else if (auto* g = std::get_if<HealthGiveUp>(&action); g && own_) {
      absorb(own_->standby(own_->group_class(g->group), now), out);
    }
  }
  if (own_) {
    ownership::ClassBits declined = ownership::kNone;
    for (std::size_t d : health_->declined()) declined |= own_->group_class(d);
    absorb(own_->set_declined(declined), out);
    // Maintenance freezes placement too (ownership/maintenance.cpp); turning
    // it off may take over what a dead peer left waiting.
    std::vector<bool> frozen(config_.groups.size());
    for (std::size_t g = 0; g < frozen.size(); ++g) frozen[g] = health_->in_maintenance(g);
    absorb(own_->set_frozen(frozen, now), out);
  }
}

ResourceActions ResourceEngine::health_cleanup(MonoTime now) {
  ResourceActions out;
  if (!health_) {
    log(out, log::Priority::kNotice, "cleanup: resource checks are off (vigil.cf health_check)",
        {{"VIGIL_EVENT", "health-cleanup"}});
    return out;
  }
  from_health(health_->cleanup(now), now, out);
  return out;
}

ResourceActions ResourceEngine::maintenance(bool on, std::optional<std::size_t> group,
                                            MonoTime now) {
  ResourceActions out;
  if (!health_) {
    log(out, log::Priority::kNotice,
        "maintenance: needs vigil.cf health_check on; nothing was changed",
        {{"VIGIL_EVENT", "health-maintenance"}});
    return out;
  }
  from_health(health_->maintenance(on, group, now), now, out);
  return out;
}

ResourceActions ResourceEngine::outdate_peer(const OutdatePeer& request, MonoTime now) {
  ResourceActions out;
  from_outdate(outdate_.ask(request, now), out);
  return out;
}

// The module's tasks are numbered here like every other call.
void ResourceEngine::from_outdate(PeerOutdate::Actions actions, ResourceActions& out) {
  for (auto& action : actions) {
    std::visit(Overload{[&](ownership::SendMessage& m) { out.emplace_back(std::move(m)); },
                        [&](Log& l) { out.emplace_back(std::move(l)); },
                        [&](OutdateAnswer& a) { out.emplace_back(std::move(a)); },
                        [&](const PeerOutdate::Task& t) {
                          const std::uint32_t id = next_call_++;
                          calls_.emplace(id, ForOutdate{t.token});
                          out.emplace_back(OutdateCall{id, t.resource_index});
                        }},
               action);
  }
}

ResourceActions ResourceEngine::standby(ownership::ClassBits cls, MonoTime now) {
  ResourceActions out;
  if (own_) absorb(own_->standby(cls, now), out);
  return out;
}

ResourceActions ResourceEngine::takeover(ownership::ClassBits cls, bool failback, MonoTime now) {
  ResourceActions out;
  if (own_) absorb(own_->takeover(cls, failback, now), out);
  return out;
}

ResourceActions ResourceEngine::shutdown(long pid, MonoTime now) {
  ResourceActions out;
  if (!own_)
    out.emplace_back(ShutdownComplete{});
  else
    absorb(own_->shutdown(pid, now), out);
  return out;
}

std::optional<MonoTime> ResourceEngine::next_deadline() const {
  auto next = own_ ? own_->next_deadline() : survey_deadline_;
  if (auto o = outdate_.next_deadline(); o && (!next || *o < *next)) next = o;
  if (!own_) return next;
  if (auto a = announcements_.next_deadline(); a && (!next || *a < *next)) next = a;
  if (health_)
    if (auto h = health_->next_deadline(); h && (!next || *h < *next)) next = h;
  if (auto i = ipfail_.next_deadline(); i && (!next || *i < *next)) next = i;
  if (auto i = isolation_.next_deadline(); i && (!next || *i < *next)) next = i;
  return next;
}

ResourceActions ResourceEngine::on_answer(const HelperAnswer& answer, MonoTime now) {
  ResourceActions out;
  auto it = calls_.find(answer.call);
  if (it == calls_.end()) return out;  // not ours, or answered already
  const Purpose purpose = std::move(it->second);
  calls_.erase(it);
  if (const auto* m = std::get_if<ForModule>(&purpose))
    module_answer(m->request, answer.reply, now, out);
  else if (const auto* a = std::get_if<Announce>(&purpose))
    announce_answer(*a, answer.reply, out);
  else if (const auto* f = std::get_if<ForFence>(&purpose))
    fence_answer(f->request_id, answer.reply, now, out);
  else if (const auto* o = std::get_if<ForOutdate>(&purpose))
    from_outdate(outdate_.on_task_done(o->token, std::get_if<pr::Reply>(&answer.reply)), out);
  else if (const auto* h = std::get_if<HealthStep>(&purpose))
    from_health(health_->on_answer(h->token, answer.reply, health_view(), now), now, out);
  else if (std::holds_alternative<SurveyStatus>(purpose) ||
           std::holds_alternative<SurveyList>(purpose))
    survey_answer(purpose, answer.reply, now, out);
  else
    guard_answer(purpose, answer.reply, out);
  return out;
}

void ResourceEngine::survey_answer(const Purpose& purpose, const HelperReply& reply, MonoTime now,
                                   ResourceActions& out) {
  if (own_) return;  // late: the survey is over
  if (const auto* s = std::get_if<SurveyStatus>(&purpose)) {
    const auto* r = std::get_if<pr::Reply>(&reply);
    if (r == nullptr) return;
    const auto outcome = resourced_outcome(ResourceOp::kStatus, *r);
    if (outcome == ResourceOutcome::kRunning)
      survey_running_.insert({s->place.group, s->place.position});
    if (outcome == ResourceOutcome::kFailed) survey_failed_ = true;
  } else {
    const auto* list = std::get_if<pi::VipList>(&reply);
    if (list == nullptr) return;
    for (const auto& vip : list->vips)
      if (vip.present) survey_running_.insert({vip.place.group, vip.place.position});
  }
  if (--survey_waiting_ == 0) finish_survey(nullptr, now, out);
}

void ResourceEngine::module_answer(const ownership::ResourceRequest& request,
                                   const HelperReply& reply, MonoTime now, ResourceActions& out) {
  ResourceOutcome outcome = ResourceOutcome::kFailed;
  if (const auto* r = std::get_if<pr::Reply>(&reply)) {
    if (r->outcome != pr::Outcome::kOk)
      log(out, log::Priority::kWarn,
          fmt::format("resourced: request {} failed (exit {}): {}", request.request_id,
                      r->exit_status, r->output_tail));
    outcome = resourced_outcome(request.op, *r);
  } else if (const auto* result = std::get_if<pi::Result>(&reply)) {
    if (result->outcome != pi::Outcome::kOk)
      log(out, log::Priority::kWarn,
          fmt::format("ipd: request {} failed: {}", request.request_id, result->detail));
    outcome = ipd_outcome(*result);
  } else if (const auto* list = std::get_if<pi::VipList>(&reply)) {
    outcome = ipd_status(*list, place_of(request));
  }
  out.emplace_back(StepFinished{request.request_id, outcome});
  absorb(own_->on_resource_result(request.request_id, outcome, now), out);
}

void ResourceEngine::announce(const std::optional<AnnouncementPlan::Verdict>& verdict,
                              ResourceActions& out) {
  if (!verdict) return;
  bool logged = false;
  for (std::size_t g = 0; g < config_.groups.size(); ++g) {
    if (!holds_quietly(g)) continue;
    const auto& resources = config_.groups[g].resources;
    for (std::size_t p = 0; p < resources.size(); ++p) {
      if (!resources[p].is_ip()) continue;
      if (!verdict->why.empty() && !logged) {
        logged = true;
        log(out, log::Priority::kInfo,
            fmt::format("Announcing the IP addresses held here again: {}", verdict->why),
            {{"VIGIL_EVENT", "vip-reannounce"}});
      }
      const proto::ResourcePlace place{static_cast<std::uint16_t>(g),
                                       static_cast<std::uint16_t>(p)};
      const std::uint32_t id = next_call_++;
      calls_.emplace(id, Announce{place});
      HelperCall c{id, CallKind::kIpdAnnounce, place, pr::Op::kStatus};
      c.announce = verdict->kind;
      out.emplace_back(c);
    }
  }
}

void ResourceEngine::announce_answer(const Announce& a, const HelperReply& reply,
                                     ResourceActions& out) {
  const auto* result = std::get_if<pi::Result>(&reply);
  if (result == nullptr || result->outcome == pi::Outcome::kOk) return;
  const auto& group = config_.groups[a.place.group];
  log(out, log::Priority::kWarn,
      fmt::format("Cannot announce {} of resource group {} again: {}",
                  group.resources[a.place.position].text, group.key(), result->detail),
      group_fields(config_, a.place.group, "vip-reannounce-failed"));
}

void ResourceEngine::fence_answer(std::uint32_t request_id, const HelperReply& reply, MonoTime now,
                                  ResourceActions& out) {
  const auto* r = std::get_if<pr::Reply>(&reply);
  const bool reset = r != nullptr && r->outcome == pr::Outcome::kOk;
  if (r != nullptr && !reset)
    log(out, log::Priority::kWarn, fmt::format("resourced: fencing failed: {}", r->output_tail),
        {{"VIGIL_EVENT", "stonith-failed"}});
  absorb(own_->on_fence_result(request_id, reset, now), out);
}

// Running here with no walk on it: what the guard may restore. During a
// walk (or before the survey is over) the walk or the survey decides.
bool ResourceEngine::holds_quietly(std::size_t group) const {
  if (!own_) return false;
  const auto& walker = own_->walker();
  return walker.state(group) == ownership::GroupRunState::kRunning && !walker.pending(group);
}

bool ResourceEngine::place_valid(const proto::ResourcePlace& place) const {
  return place.group < config_.groups.size() &&
         place.position < config_.groups[place.group].resources.size();
}

ResourceActions ResourceEngine::on_helper_event(const pi::Event& event) {
  ResourceActions out;
  switch (event.kind) {
    case pi::EventKind::kVipLost: {
      if (!place_valid(event.place)) break;
      const auto& group = config_.groups[event.place.group];
      const auto& resource = group.resources[event.place.position];
      if (!holds_quietly(event.place.group)) {
        log(out, log::Priority::kWarn,
            fmt::format("IP address {} was removed from {} by someone else", resource.text,
                        event.interface),
            group_fields(config_, event.place.group, "vip-lost"));
        break;
      }
      log(out, log::Priority::kWarn,
          fmt::format("IP address {} of resource group {} was removed from {} by someone "
                      "else; adding it again",
                      resource.text, group.key(), event.interface),
          group_fields(config_, event.place.group, "vip-lost"));
      restore(event.place, "removed by someone else", out);
      break;
    }
    case pi::EventKind::kLinkDown:
      log(out, log::Priority::kWarn, fmt::format("Local interface {} is down", event.interface),
          {{"VIGIL_LINK", event.interface}, {"VIGIL_EVENT", "local-link-down"}});
      break;
    case pi::EventKind::kLinkUp:
      log(out, log::Priority::kInfo, fmt::format("Local interface {} is up", event.interface),
          {{"VIGIL_LINK", event.interface}, {"VIGIL_EVENT", "local-link-up"}});
      break;
  }
  return out;
}

// Only reads unless something is missing: a helper restart within its
// lease leaves everything in place and must not move anything.
ResourceActions ResourceEngine::on_connected(Helper helper) {
  ResourceActions out;
  if (helper == Helper::kIpd) {
    bool any = false;
    for (std::size_t g = 0; g < config_.groups.size() && !any; ++g) any = holds_quietly(g);
    if (any) call(CallKind::kIpdList, {}, pr::Op::kStatus, GuardList{}, out);
    return out;
  }
  for (std::size_t g = 0; g < config_.groups.size(); ++g) {
    if (!holds_quietly(g)) continue;
    const auto& resources = config_.groups[g].resources;
    for (std::size_t p = 0; p < resources.size(); ++p) {
      if (resources[p].is_ip()) continue;
      const proto::ResourcePlace place{static_cast<std::uint16_t>(g),
                                       static_cast<std::uint16_t>(p)};
      call(CallKind::kResourced, place, pr::Op::kStatus, GuardStatus{place}, out);
    }
  }
  return out;
}

void ResourceEngine::guard_answer(const Purpose& purpose, const HelperReply& reply,
                                  ResourceActions& out) {
  if (std::holds_alternative<GuardList>(purpose)) {
    const auto* list = std::get_if<pi::VipList>(&reply);
    if (list == nullptr) return;
    for (const auto& vip : list->vips) {
      if (vip.present || !place_valid(vip.place) || !holds_quietly(vip.place.group)) continue;
      const auto& group = config_.groups[vip.place.group];
      log(out, log::Priority::kWarn,
          fmt::format("IP address {} of resource group {} is not configured after ipd "
                      "reconnected; adding it again",
                      group.resources[vip.place.position].text, group.key()),
          group_fields(config_, vip.place.group, "resource-lost"));
      restore(vip.place, "missing after ipd reconnected", out);
    }
    return;
  }
  if (const auto* s = std::get_if<GuardStatus>(&purpose)) {
    const auto* r = std::get_if<pr::Reply>(&reply);
    if (r == nullptr || r->outcome != pr::Outcome::kOk || r->state != pr::RunState::kStopped)
      return;
    if (!holds_quietly(s->place.group)) return;
    const auto& group = config_.groups[s->place.group];
    log(out, log::Priority::kWarn,
        fmt::format("Resource {} of resource group {} is not running after resourced "
                    "reconnected; starting it again",
                    group.resources[s->place.position].text, group.key()),
        group_fields(config_, s->place.group, "resource-lost"));
    restore(s->place, "stopped after resourced reconnected", out);
    return;
  }
  if (const auto* r = std::get_if<Restore>(&purpose)) {
    const auto& group = config_.groups[r->place.group];
    const std::string& text = group.resources[r->place.position].text;
    bool ok = false;
    std::string detail;
    if (const auto* result = std::get_if<pi::Result>(&reply)) {
      ok = result->outcome == pi::Outcome::kOk;
      detail = result->detail;
    } else if (const auto* rr = std::get_if<pr::Reply>(&reply)) {
      ok = rr->outcome == pr::Outcome::kOk;
      detail = rr->output_tail;
    }
    if (ok)
      log(out, log::Priority::kInfo,
          fmt::format("{} of resource group {} restored ({})", text, group.key(), r->why),
          {{"VIGIL_GROUP", group.key()}, {"VIGIL_EVENT", "resource-restored"}});
    else
      log(out, log::Priority::kError,
          fmt::format("Cannot restore {} of resource group {} ({}): {}", text, group.key(), r->why,
                      detail),
          {{"VIGIL_GROUP", group.key()}, {"VIGIL_EVENT", "resource-restore-failed"}});
  }
}

void ResourceEngine::restore(const proto::ResourcePlace& place, const char* why,
                             ResourceActions& out) {
  if (config_.groups[place.group].resources[place.position].is_ip())
    call(CallKind::kIpdAdd, place, pr::Op::kStatus, Restore{place, why}, out);
  else
    call(CallKind::kResourced, place, pr::Op::kStart, Restore{place, why}, out);
}

}  // namespace vigil::engine
