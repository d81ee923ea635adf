// heartbeatd's engine: every decision the daemon makes, behind one sans-IO
// call (README.md beside this file):
//
//   Actions handle(const Input& input, MonoTime now);
//
// Inside: the membership core (heartbeatd/core) and the resource engine
// (resource_engine.h: ownership, start-up survey, guard). The core's
// membership events and deliveries go to the resource engine where they
// stand in the core's list; the resource engine's cluster messages go
// through the core, which numbers them, and out after the core's own sends
// of the same input. So the output list is in sequence order by
// construction, and one executor runs it front to back. No clock, socket, callback or log call
// happens in here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "conf/config.h"
#include "heartbeatd/core/core.h"
#include "heartbeatd/engine/resource_engine.h"
#include "heartbeatd/engine/vocabulary.h"
#include "heartbeatd/events/event_forwarder.h"

namespace vigil::engine {

struct EngineParams {
  core::CoreParams core;
  // Without resources the engine is membership alone (no haresources
  // negotiation): what the membership tests drive.
  bool resources = true;
  ResourceEngine::Generation generation = ResourceEngine::Generation::kNew;
  Duration survey_timeout = ResourceEngine::kSurveyTimeout;
  // Emit ClusterEvent actions (resourced runs: it has groups, respawn
  // lines or a notify hook to serve).
  bool forward_events = false;
  // Membership and quorum come from corosync (vigil.cf `membership
  // corosync`): the core takes deaths from MembershipChange only, and
  // nothing is acquired before a MembershipChange or QuorumChange says
  // the cluster is quorate.
  bool quorum_required = false;
};

class Engine {
 public:
  // `config` must outlive the engine. The start-up survey's questions are
  // the first actions of handle(Start{}).
  Engine(const conf::Config& config, EngineParams params);

  Actions handle(const Input& input, MonoTime now);

  std::optional<MonoTime> next_deadline() const;
  const core::Core& core() const { return core_; }
  // nullptr while the survey runs, and without resources.
  const ownership::Ownership* ownership() const;
  // nullptr without resources or without vigil.cf's health_check.
  const HealthMonitor* health() const { return resources_ ? resources_->health() : nullptr; }
  // Operator commands are accepted (the survey is over).
  bool ready() const { return resources_ && resources_->ready(); }
  // Quorum as the engine knows it: always true without corosync.
  bool quorum_required() const { return quorum_required_; }
  bool quorate() const { return quorate_; }
  const std::vector<std::string>& members() const { return members_; }

 private:
  void from_core(core::Actions actions, MonoTime now, Actions& out);
  void from_resources(ResourceActions actions, MonoTime now, Actions& out);
  void from_resources(ResourceActions actions, MonoTime now, Actions& out, Actions& later);
  void membership_changed(const MembershipChange& change, MonoTime now, Actions& out);
  void quorum_changed(bool quorate, MonoTime now, Actions& out);

  core::Core core_;
  std::optional<ResourceEngine> resources_;
  events::EventForwarder forwarder_;
  bool forward_events_;
  bool quorum_required_;
  bool quorate_;
  // corosync's first word on quorum: passed on even when it says "no", since
  // a restarted heartbeatd may have resumed groups it must then release.
  bool quorum_heard_ = false;
  std::vector<std::string> members_;
};

}  // namespace vigil::engine
