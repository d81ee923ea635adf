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
    : core_(config, params.core), forwarder_(config), forward_events_(params.forward_events) {
  if (params.resources) resources_.emplace(config, params.generation, params.survey_timeout);
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
