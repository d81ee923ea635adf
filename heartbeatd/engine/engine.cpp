#include "heartbeatd/engine/engine.h"

#include <utility>
#include <variant>

namespace vigil::engine {

namespace {

template <class... F>
struct Overload : F... {
  using F::operator()...;
};

}  // namespace

Engine::Engine(const conf::Config& config, EngineParams params)
    : core_(config, params.core),
      forwarder_(config),
      forward_events_(params.forward_events),
      quorum_required_(params.quorum_required),
      quorate_(!params.quorum_required) {
  if (params.resources)
    resources_.emplace(config, params.generation, params.survey_timeout, quorate_,
                       params.core.leave_grace);
}

const ownership::Ownership* Engine::ownership() const {
  return resources_ ? resources_->ownership() : nullptr;
}

std::optional<MonoTime> Engine::next_deadline() const {
  auto d = core_.next_deadline();
  if (!resources_) return d;
  auto r = resources_->next_deadline();
  if (r && (!d || *r < *d)) d = r;
  return d;
}

Actions Engine::handle(const Input& input, MonoTime now) {
  Actions out;
  std::visit(
      Overload{
          [&](const Start&) {
            // The survey's questions first: nothing is decided before the
            // answers (resource_engine.h).
            if (resources_) from_resources(resources_->start(now), now, out);
            from_core(core_.start(now), now, out);
          },
          [&](const Tick&) {
            from_core(core_.on_tick(now), now, out);
            if (resources_) from_resources(resources_->on_tick(now), now, out);
          },
          [&](const Received& r) { from_core(core_.on_message(r.message, r.link, now), now, out); },
          [&](const HelperAnswer& a) {
            if (resources_) from_resources(resources_->on_answer(a, now), now, out);
          },
          [&](const HelperEvent& e) {
            if (resources_) from_resources(resources_->on_helper_event(e.event), now, out);
          },
          [&](const HelperConnected& c) {
            if (resources_) from_resources(resources_->on_connected(c.helper), now, out);
          },
          [&](const Standby& s) {
            if (resources_) from_resources(resources_->standby(s.cls, now), now, out);
          },
          [&](const Takeover& t) {
            if (resources_) from_resources(resources_->takeover(t.cls, t.failback, now), now, out);
          },
          [&](const HealthCleanup&) {
            if (resources_) from_resources(resources_->health_cleanup(now), now, out);
          },
          [&](const Maintenance& m) {
            if (resources_) from_resources(resources_->maintenance(m.on, m.group, now), now, out);
          },
          [&](const OutdatePeer& o) {
            if (resources_)
              from_resources(resources_->outdate_peer(o, now), now, out);
            else
              out.emplace_back(OutdateAnswer{o.asker, OutdateResult::kRefused,
                                             "this node manages no haresources"});
          },
          [&](const MembershipChange& m) { membership_changed(m, now, out); },
          [&](const QuorumChange& q) { quorum_changed(q.quorate, now, out); },
          [&](const Shutdown& s) {
            if (resources_)
              from_resources(resources_->shutdown(s.pid, now), now, out);
            else
              out.emplace_back(ShutdownComplete{});
          },
      },
      input);
  return out;
}

// A membership and the quorum of it (heartbeatd/io/corosync_link.h). The
// order guards the minority: losing quorum is applied before the deaths, so
// no death is taken over without quorum; gaining it after, so the peers
// the new membership lost are known dead when the module decides who takes
// their groups (ownership/quorum.cpp).
void Engine::membership_changed(const MembershipChange& change, MonoTime now, Actions& out) {
  members_ = change.members;
  if (resources_) resources_->on_members(change.members, change.in_ring, now);
  if (!change.quorate) quorum_changed(false, now, out);
  from_core(core_.on_membership(change.members, change.in_ring, now), now, out);
  if (change.quorate) quorum_changed(true, now, out);
}

void Engine::quorum_changed(bool quorate, MonoTime now, Actions& out) {
  if (!quorum_required_ || (quorum_heard_ && quorate == quorate_)) return;
  const bool had_quorum = quorate_;
  quorate_ = quorate;
  quorum_heard_ = true;
  out.emplace_back(Log{quorate ? log::Priority::kInfo : log::Priority::kWarn,
                       quorate      ? "Cluster is quorate."
                       : had_quorum ? "Cluster lost quorum."
                                    : "Cluster is not quorate.",
                       {{"VIGIL_EVENT", quorate ? "quorum-gained" : "quorum-lost"}}});
  if (resources_) from_resources(resources_->on_quorum(quorate, members_, now), now, out);
}

// The core's actions in order; the resource engine reacts to each
// membership event and delivery where it stands, so its log lines
// interleave with the core's as heartbeat prints them ("node X: is dead",
// "Dead node X gave up resources.", "Link X:eth1 dead."). Its cluster
// messages are numbered by the core at once, so their seqs are above every
// Send already in the core's list: they go out after that list (`later`),
// since a record_sent of a lower seq after a higher one is refused.
void Engine::from_core(core::Actions actions, MonoTime now, Actions& out) {
  Actions later;
  for (auto& action : actions) {
    std::visit(Overload{[&](core::Send& s) { out.emplace_back(std::move(s)); },
                        [&](core::Log& l) { out.emplace_back(std::move(l)); },
                        [&](core::Probe& p) { out.emplace_back(std::move(p)); },
                        [&](const auto& membership) {
                          // Every membership action goes through the
                          // forwarder, in order (a status change's OSTATUS
                          // is what the previous one left).
                          if (auto e = forwarder_.on_action(membership); e && forward_events_)
                            out.emplace_back(ClusterEvent{e->event, std::move(e->fields)});
                          if (resources_)
                            from_resources(resources_->on_membership(membership, now), now, out,
                                           later);
                        }},
               action);
  }
  for (auto& a : later) out.push_back(std::move(a));
}

void Engine::from_resources(ResourceActions actions, MonoTime now, Actions& out) {
  Actions later;
  from_resources(std::move(actions), now, out, later);
  for (auto& a : later) out.push_back(std::move(a));
}

// Sends go to `later`, everything else to `out` (see from_core).
void Engine::from_resources(ResourceActions actions, MonoTime now, Actions& out, Actions& later) {
  for (auto& action : actions) {
    std::visit(Overload{[&](ownership::SendMessage& m) {
                          from_core(core_.send(m.body, m.dest, now), now, later);
                        },
                        [&](Log& l) { out.emplace_back(std::move(l)); },
                        [&](HelperCall& c) { out.emplace_back(c); },
                        [&](FenceCall& f) { out.emplace_back(f); },
                        [&](OutdateCall& o) { out.emplace_back(o); },
                        [&](OutdateAnswer& a) { out.emplace_back(std::move(a)); },
                        [&](ShutdownComplete& s) { out.emplace_back(s); },
                        [&](StepStarted& s) { out.emplace_back(s); },
                        [&](StepFinished& s) { out.emplace_back(s); }},
               action);
  }
}

}  // namespace vigil::engine
