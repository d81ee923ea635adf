#include "heartbeatd/node/resource_bridge.h"

#include <fmt/format.h>

#include <type_traits>
#include <utility>
#include <variant>

#include "common/log.h"

namespace vigil::node {

using ownership::Actions;
using ownership::Ownership;
using ownership::ResourceOp;
using ownership::ResourceOutcome;
using ownership::ResourceRequest;
using ownership::ResourceTarget;

ResourceBridge::ResourceBridge(const conf::Config& config, HelperPort& helpers, Sender send,
                               Clock clock, MonoTime now, Generation generation,
                               Duration survey_timeout)
    : config_(config),
      helpers_(helpers),
      send_(std::move(send)),
      clock_(std::move(clock)),
      generation_(generation),
      survey_deadline_(now + survey_timeout),
      guard_(config, helpers, [this](std::size_t group) { return holds_quietly(group); }) {
  std::weak_ptr<bool> alive = alive_;
  helpers_.observe(
      [this, alive](const proto::ipd::Event& event) {
        if (!alive.expired()) guard_.on_ipd_event(event);
      },
      [this, alive](HelperPort::Helper helper) {
        if (!alive.expired()) guard_.on_connected(helper);
      });
  start_survey();
  if (survey_waiting_ == 0) finish_survey(nullptr);
}

// Restart continuity (ownership.h): a heartbeatd restarted within the lease
// finds its resources still held by the helpers and must carry on as their
// owner, so it asks before the module decides anything.
void ResourceBridge::start_survey() {
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
      std::weak_ptr<bool> alive = alive_;
      helpers_.resourced(place, proto::resourced::Op::kStatus,
                         [this, alive, place](const proto::resourced::Reply& reply) {
                           if (alive.expired() || own_) return;  // late: survey is over
                           const auto outcome = resourced_outcome(ResourceOp::kStatus, reply);
                           if (outcome == ResourceOutcome::kRunning)
                             survey_running_.insert({place.group, place.position});
                           if (outcome == ResourceOutcome::kFailed) survey_failed_ = true;
                           if (--survey_waiting_ == 0) finish_survey(nullptr);
                         });
    }
  }
  if (!any_ip) return;
  ++survey_waiting_;
  std::weak_ptr<bool> alive = alive_;
  helpers_.ipd_list([this, alive](const proto::ipd::VipList& list) {
    if (alive.expired() || own_) return;
    for (const auto& vip : list.vips)
      if (vip.present) survey_running_.insert({vip.place.group, vip.place.position});
    if (--survey_waiting_ == 0) finish_survey(nullptr);
  });
}

// Running here with no walk on it: what the guard may restore. During a
// walk (or before the survey is over) the walk or the survey decides.
bool ResourceBridge::holds_quietly(std::size_t group) const {
  if (!own_) return false;
  const auto& walker = own_->walker();
  return walker.state(group) == ownership::GroupRunState::kRunning && !walker.pending(group);
}

void ResourceBridge::finish_survey(const char* why) {
  ownership::OwnershipParams params;
  if (why != nullptr) {
    // Unreachable helper: start as holding nothing. If it does hold
    // something, its lease has run out or will (we are not its client
    // yet), and the peer negotiation of §6.3 decides the owner.
    log::warn(fmt::format("Resource survey incomplete ({}); starting as holding no resources", why),
              {{"VIGIL_EVENT", "resource-survey"}});
  } else {
    params.held_at_start = held_at_start(config_, survey_running_);
    params.resumed = generation_ == Generation::kContinued;
    if (survey_failed_)
      log::warn("A resource's status could not be told at start; counted as not running",
                {{"VIGIL_EVENT", "resource-survey"}});
    if (params.held_at_start && params.resumed) {
      for (std::size_t g = 0; g < params.held_at_start->size(); ++g)
        if ((*params.held_at_start)[g])
          log::info(fmt::format("Resource group {} found running at start; keeping it",
                                config_.groups[g].key()),
                    {{"VIGIL_GROUP", config_.groups[g].key()}, {"VIGIL_EVENT", "resource-survey"}});
    }
  }
  own_ = std::make_unique<Ownership>(config_, std::move(params));
  // Leftovers are released before the membership events that waited for
  // the survey reach the module.
  const MonoTime now = clock_();
  inputs_.push_front([now](Ownership& o) { return o.start(now); });
  pump();
}

void ResourceBridge::on_core_action(const core::Action& action, MonoTime now) {
  if (!std::holds_alternative<core::MembershipEvent>(action) &&
      !std::holds_alternative<core::Deliver>(action))
    return;
  inputs_.push_back([action, now](Ownership& o) { return o.on_action(action, now); });
}

void ResourceBridge::on_tick(MonoTime now) {
  if (!own_) {
    if (now >= survey_deadline_) finish_survey("a helper did not answer within the survey time");
    return;
  }
  push([now](Ownership& o) { return o.on_tick(now); });
}

void ResourceBridge::standby(ownership::ClassBits cls, MonoTime now) {
  push([cls, now](Ownership& o) { return o.standby(cls, now); });
}

void ResourceBridge::takeover(ownership::ClassBits cls, bool failback, MonoTime now) {
  push([cls, failback, now](Ownership& o) { return o.takeover(cls, failback, now); });
}

void ResourceBridge::shutdown(long pid, MonoTime now) {
  if (!own_) {
    shutdown_complete_ = true;
    if (on_shutdown_complete_) on_shutdown_complete_();
    return;
  }
  push([pid, now](Ownership& o) { return o.shutdown(pid, now); });
}

std::optional<MonoTime> ResourceBridge::next_deadline() const {
  if (!own_) return survey_deadline_;
  return own_->next_deadline();
}

void ResourceBridge::push(Input input) {
  inputs_.push_back(std::move(input));
  pump();
}

void ResourceBridge::pump() {
  if (pumping_ || !own_) return;
  pumping_ = true;
  while (!inputs_.empty()) {
    Input input = std::move(inputs_.front());
    inputs_.pop_front();
    for (const auto& action : input(*own_)) execute(action);
  }
  pumping_ = false;
  if (on_change_) on_change_();
}

void ResourceBridge::execute(const ownership::Action& action) {
  std::visit(
      [this](const auto& a) {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, ownership::SendMessage>) {
          send_(a, clock_());
        } else if constexpr (std::is_same_v<T, ownership::Log>) {
          log::write(a.priority, a.text, a.fields);
          if (observer_) observer_->on_log(a, clock_());
        } else if constexpr (std::is_same_v<T, ResourceRequest>) {
          run_request(a);
        } else if constexpr (std::is_same_v<T, ownership::ShutdownComplete>) {
          shutdown_complete_ = true;
          if (on_shutdown_complete_) on_shutdown_complete_();
        }
      },
      action);
}

void ResourceBridge::run_request(const ResourceRequest& request) {
  const auto place = place_of(request);
  if (observer_) observer_->on_step_started(request, clock_());
  const auto id = request.request_id;
  const auto op = request.op;
  std::weak_ptr<bool> alive = alive_;
  if (request.target == ResourceTarget::kResourced) {
    helpers_.resourced(place, resourced_op(op),
                       [this, alive, id, op](const proto::resourced::Reply& reply) {
                         if (alive.expired()) return;
                         if (reply.outcome != proto::resourced::Outcome::kOk)
                           log::warn(fmt::format("resourced: request {} failed (exit {}): {}", id,
                                                 reply.exit_status, reply.output_tail));
                         answer(id, resourced_outcome(op, reply));
                       });
    return;
  }
  switch (op) {
    case ResourceOp::kStart:
    case ResourceOp::kStop: {
      auto done = [this, alive, id](const proto::ipd::Result& result) {
        if (alive.expired()) return;
        if (result.outcome != proto::ipd::Outcome::kOk)
          log::warn(fmt::format("ipd: request {} failed: {}", id, result.detail));
        answer(id, ipd_outcome(result));
      };
      if (op == ResourceOp::kStart)
        helpers_.ipd_add(place, std::move(done));
      else
        helpers_.ipd_remove(place, std::move(done));
      return;
    }
    case ResourceOp::kStatus:
      helpers_.ipd_list([this, alive, id, place](const proto::ipd::VipList& list) {
        if (alive.expired()) return;
        answer(id, ipd_status(list, place));
      });
      return;
  }
}

void ResourceBridge::answer(std::uint32_t request_id, ResourceOutcome outcome) {
  const MonoTime now = clock_();
  if (observer_) observer_->on_step_finished(request_id, outcome, now);
  push([request_id, outcome, now](Ownership& o) {
    return o.on_resource_result(request_id, outcome, now);
  });
}

}  // namespace vigil::node
