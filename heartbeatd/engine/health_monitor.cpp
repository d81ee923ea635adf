#include "heartbeatd/engine/health_monitor.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "heartbeatd/engine/check_wording.h"

namespace vigil::engine {

namespace pr = proto::resourced;

namespace {

template <class... F>
struct Overload : F... {
  using F::operator()...;
};

long long ms(Duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

// What a check's reply says: passed, or why not.
struct CheckOutcome {
  ResourceHealthView::Result result = ResourceHealthView::Result::kFailed;
  std::string why;
};

CheckOutcome read_check(const HelperReply& reply) {
  const auto* r = std::get_if<pr::Reply>(&reply);
  if (r == nullptr) return {ResourceHealthView::Result::kFailed, "an answer of the wrong kind"};
  if (check_passed(*r)) return {ResourceHealthView::Result::kPassed, {}};
  return {r->outcome == pr::Outcome::kTimeout ? ResourceHealthView::Result::kTimedOut
                                              : ResourceHealthView::Result::kFailed,
          check_failure_text(*r)};
}

bool step_ok(const HelperReply& reply) {
  return std::visit(
      Overload{[](const proto::ipd::Result& r) { return r.outcome == proto::ipd::Outcome::kOk; },
               [](const proto::ipd::VipList&) { return false; },
               [](const pr::Reply& r) { return r.outcome == pr::Outcome::kOk; }},
      reply);
}

}  // namespace

HealthMonitor::HealthMonitor(const conf::Config& config)
    : config_(config), settings_(HealthSettings::from(config.vigil_cf)) {
  groups_.resize(config.groups.size());
  for (std::size_t gi = 0; gi < config.groups.size(); ++gi) {
    const auto& resources = config.groups[gi].resources;
    groups_[gi].resources.resize(resources.size());
    for (std::size_t p = 0; p < resources.size(); ++p) {
      Resource& r = groups_[gi].resources[p];
      r.checked = !resources[p].is_ip() &&
                  !conf::health_excluded(config.vigil_cf, resources[p].text, resources[p].name);
      r.seen.group = static_cast<std::uint16_t>(gi);
      r.seen.position = static_cast<std::uint16_t>(p);
      r.seen.group_key = config.groups[gi].key();
      r.seen.resource = resources[p].text;
    }
  }
}

void HealthMonitor::log(HealthActions& out, log::Priority p, std::string text, std::size_t group,
                        const char* event) const {
  out.emplace_back(Log{
      p, std::move(text), {{"VIGIL_GROUP", config_.groups[group].key()}, {"VIGIL_EVENT", event}}});
}

void HealthMonitor::schedule_group(Group& g, MonoTime at) {
  for (Resource& r : g.resources)
    if (r.checked) r.next_check = at;
}

HealthActions HealthMonitor::on_tick(const View& view, MonoTime now) {
  HealthActions out;
  for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
    Group& g = groups_[gi];
    if (g.given_up_at && settings_.hold > Duration::zero() &&
        now >= *g.given_up_at + settings_.hold) {
      g.given_up_at.reset();
      g.give_up_tried = false;
      log(out, log::Priority::kNotice,
          fmt::format("health_hold of resource group {} is over: this node may take it again",
                      config_.groups[gi].key()),
          gi, "health-cleanup");
    }
    const bool held = gi < view.held.size() && view.held[gi];
    // Our restart walk keeps the ownership module's view "held, no walk";
    // so a group that stops being held during it was moved by the module
    // (a standby, a shutdown): the walk is dropped, the module owns it.
    if (!held) {
      if (g.held) {
        for (Resource& r : g.resources) r.next_check.reset();
        g.walk.clear();
        g.step_in_flight.reset();
      }
      g.held = false;
      continue;
    }
    if (!g.held) {
      g.held = true;
      g.stay_put_logged = false;
      schedule_group(g, now + settings_.start_grace);
    }
    if (suspended(g) || g.step_in_flight || !g.walk.empty()) continue;
    for (std::size_t p = 0; p < g.resources.size(); ++p) {
      Resource& r = g.resources[p];
      if (!r.checked || r.in_flight || !r.next_check || now < *r.next_check) continue;
      const std::uint32_t token = next_token_++;
      r.in_flight = token;
      r.next_check.reset();
      out.emplace_back(HealthCall{token,
                                  CallKind::kResourcedMonitor,
                                  {static_cast<std::uint16_t>(gi), static_cast<std::uint16_t>(p)},
                                  pr::Op::kStatus});
    }
  }
  return out;
}

HealthActions HealthMonitor::on_answer(std::uint32_t token, const HelperReply& reply,
                                       const View& view, MonoTime now) {
  HealthActions out;
  for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
    Group& g = groups_[gi];
    if (g.step_in_flight == token) {
      g.step_in_flight.reset();
      step_result(g, gi, reply, now, out);
      return out;
    }
    for (Resource& r : g.resources) {
      if (r.in_flight != token) continue;
      r.in_flight.reset();
      check_result(g, gi, r, reply, view, now, out);
      return out;
    }
  }
  return out;  // an answer for a walk dropped meanwhile
}

void HealthMonitor::check_result(Group& g, std::size_t gi, Resource& r, const HelperReply& reply,
                                 const View& view, MonoTime now, HealthActions& out) {
  const CheckOutcome seen = read_check(reply);
  r.seen.last = seen.result;
  r.seen.last_check = now;
  r.seen.detail = seen.why;
  ++r.seen.checks;
  // A check answered after the group left us, or while maintenance began,
  // says nothing about a resource we run.
  if (!g.held || suspended(g)) return;
  const bool passed = seen.result == ResourceHealthView::Result::kPassed;
  if (!passed) ++r.seen.failed_checks;
  const bool was_failing = r.counts.in_a_row() > 0;
  const HealthVerdict verdict = r.counts.record(passed, now, settings_);
  r.seen.in_a_row = r.counts.in_a_row();
  r.seen.failures = r.counts.failures();
  r.seen.decays_at = r.counts.decays_at(settings_);
  const std::string& name = r.seen.resource;
  const std::string& key = config_.groups[gi].key();
  r.next_check = now + settings_.interval;
  switch (verdict) {
    case HealthVerdict::kHealthy:
      if (was_failing)
        log(out, log::Priority::kInfo, fmt::format("Resource {} passes its check again", name), gi,
            "health-check-passed");
      return;
    case HealthVerdict::kSuspect:
      log(out, log::Priority::kWarn,
          fmt::format("Resource {} failed its check ({} of {} before acting): {}", name,
                      r.counts.in_a_row(), settings_.fall, seen.why),
          gi, "health-check-failed");
      return;
    case HealthVerdict::kRestart:
      log(out, log::Priority::kError,
          fmt::format("Resource {} of group {} failed ({}; failure {} of {} within {} s): "
                      "restarting it in place",
                      name, key, seen.why, r.counts.failures(), settings_.max_failures,
                      ms(settings_.window) / 1000),
          gi, "health-restart");
      begin_restart(g, gi, r.seen.position, now, out);
      return;
    case HealthVerdict::kGiveUp:
      give_up(g, gi, name, view, now, out);
      return;
  }
}

void HealthMonitor::give_up(Group& g, std::size_t gi, const std::string& resource, const View& view,
                            MonoTime now, HealthActions& out) {
  const std::string& key = config_.groups[gi].key();
  if (view.peer_can_take && !g.give_up_tried) {
    g.give_up_tried = true;
    g.given_up_at = now;
    log(out, log::Priority::kCrit,
        fmt::format("Resource {} failed {} times within {} s: giving resource group {} to the "
                    "peer; this node takes it back only after `vigilctl cleanup`{}",
                    resource, settings_.max_failures, ms(settings_.window) / 1000, key,
                    settings_.hold > Duration::zero()
                        ? fmt::format(" or in {} s (health_hold)", ms(settings_.hold) / 1000)
                        : std::string()),
        gi, "health-give-up");
    out.emplace_back(HealthGiveUp{gi});
    return;
  }
  // Nowhere better to go: keep serving as well as restarts allow, and say
  // so once (no ping-pong; field-notes A8, keepalived's flapping).
  if (!g.stay_put_logged) {
    g.stay_put_logged = true;
    log(out, log::Priority::kCrit,
        fmt::format("Resource {} keeps failing ({} times within {} s) and {}: resource group {} "
                    "stays on this node and is restarted in place",
                    resource, settings_.max_failures, ms(settings_.window) / 1000,
                    g.give_up_tried ? "the peer did not take it" : "the peer cannot take it", key),
        gi, "health-stay-put");
  }
  const auto& resources = config_.groups[gi].resources;
  for (std::uint16_t p = 0; p < resources.size(); ++p)
    if (resources[p].text == resource) return begin_restart(g, gi, p, now, out);
}

void HealthMonitor::begin_restart(Group& g, std::size_t gi, std::uint16_t from, MonoTime now,
                                  HealthActions& out) {
  const auto& resources = config_.groups[gi].resources;
  const auto group = static_cast<std::uint16_t>(gi);
  g.walk.clear();
  for (std::size_t p = resources.size(); p-- > from;)
    g.walk.push_back({{group, static_cast<std::uint16_t>(p)},
                      resources[p].is_ip() ? CallKind::kIpdRemove : CallKind::kResourced,
                      pr::Op::kStop});
  for (std::size_t p = from; p < resources.size(); ++p)
    g.walk.push_back({{group, static_cast<std::uint16_t>(p)},
                      resources[p].is_ip() ? CallKind::kIpdAdd : CallKind::kResourced,
                      pr::Op::kStart});
  g.walk_began = now;
  ++g.resources[from].seen.restarts;
  next_step(g, gi, now, out);
}

void HealthMonitor::next_step(Group& g, std::size_t gi, MonoTime now, HealthActions& out) {
  if (g.walk.empty()) {
    log(out, log::Priority::kInfo,
        fmt::format("Resource group {} restarted in place in {} ms", config_.groups[gi].key(),
                    ms(now - g.walk_began)),
        gi, "health-restarted");
    schedule_group(g, now + settings_.start_grace);
    return;
  }
  // The front step stays in `walk` while it runs; step_result pops it.
  const Step& step = g.walk.front();
  const std::uint32_t token = next_token_++;
  g.step_in_flight = token;
  out.emplace_back(HealthCall{token, step.kind, step.place, step.op});
}

void HealthMonitor::step_result(Group& g, std::size_t gi, const HelperReply& reply, MonoTime now,
                                HealthActions& out) {
  if (g.walk.empty()) return;
  const Step step = g.walk.front();
  g.walk.erase(g.walk.begin());
  if (!g.held) {
    g.walk.clear();
    return;
  }
  if (!step_ok(reply)) {
    g.walk.clear();
    const auto& resource = config_.groups[gi].resources[step.place.position];
    log(out, log::Priority::kError,
        fmt::format("Restart of resource group {} failed at the {} of {}; its checks go on and "
                    "decide",
                    config_.groups[gi].key(), step.op == pr::Op::kStop ? "stop" : "start",
                    resource.text),
        gi, "health-restart-failed");
    schedule_group(g, now + settings_.start_grace);
    return;
  }
  next_step(g, gi, now, out);
}

HealthActions HealthMonitor::cleanup(MonoTime) {
  HealthActions out;
  for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
    Group& g = groups_[gi];
    const bool had = g.given_up_at.has_value() || g.give_up_tried;
    g.given_up_at.reset();
    g.give_up_tried = false;
    g.stay_put_logged = false;
    for (Resource& r : g.resources) {
      r.counts.clear();
      r.seen.in_a_row = 0;
      r.seen.failures = 0;
      r.seen.decays_at.reset();
    }
    if (had)
      log(out, log::Priority::kNotice,
          fmt::format("Cleanup: resource group {} may be taken back by this node",
                      config_.groups[gi].key()),
          gi, "health-cleanup");
  }
  return out;
}

HealthActions HealthMonitor::maintenance(bool on, std::optional<std::size_t> group, MonoTime now) {
  HealthActions out;
  if (group && *group >= groups_.size()) return out;
  if (!group) maintenance_all_ = on;
  for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
    if (group && gi != *group) continue;
    Group& g = groups_[gi];
    if (group) g.maintenance = on;
    if (!on && !suspended(g)) {
      // What happened meanwhile was the operator's: start afresh.
      for (Resource& r : g.resources) r.counts = HealthCounts{};
      if (g.held) schedule_group(g, now + settings_.start_grace);
    }
  }
  const std::string what =
      group ? fmt::format("resource group {}", config_.groups[*group].key()) : "every group";
  if (on)
    log(out, log::Priority::kWarn,
        fmt::format("MAINTENANCE ON for {}: no checks, restarts, give-ups or takeovers "
                    "(not even for a dead peer) until `vigilctl maintenance off`",
                    what),
        group.value_or(0), "health-maintenance");
  else
    log(out, log::Priority::kNotice, fmt::format("Maintenance off for {}", what), group.value_or(0),
        "health-maintenance");
  return out;
}

std::optional<MonoTime> HealthMonitor::next_deadline() const {
  std::optional<MonoTime> next;
  auto consider = [&next](MonoTime t) {
    if (!next || t < *next) next = t;
  };
  for (const Group& g : groups_) {
    if (g.given_up_at && settings_.hold > Duration::zero())
      consider(*g.given_up_at + settings_.hold);
    if (!g.held || suspended(g) || g.step_in_flight || !g.walk.empty()) continue;
    for (const Resource& r : g.resources)
      if (r.next_check && !r.in_flight) consider(*r.next_check);
  }
  return next;
}

std::vector<std::size_t> HealthMonitor::declined() const {
  std::vector<std::size_t> out;
  for (std::size_t gi = 0; gi < groups_.size(); ++gi)
    if (groups_[gi].given_up_at) out.push_back(gi);
  return out;
}

bool HealthMonitor::in_maintenance(std::size_t group) const {
  return maintenance_all_ || (group < groups_.size() && groups_[group].maintenance);
}

std::vector<ResourceHealthView> HealthMonitor::view() const {
  std::vector<ResourceHealthView> out;
  for (const Group& g : groups_)
    for (const Resource& r : g.resources)
      if (r.checked) out.push_back(r.seen);
  return out;
}

}  // namespace vigil::engine
