#include "heartbeatd/engine/announcement_plan.h"

#include <fmt/format.h>

#include <variant>

namespace vigil::engine {

using proto::ipd::AnnounceKind;

void AnnouncementPlan::start(MonoTime now) {
  if (refresh_ > Duration::zero()) next_refresh_ = now + refresh_;
}

std::optional<AnnouncementPlan::Verdict> AnnouncementPlan::on_membership(const core::Action& action,
                                                                         MonoTime now) {
  if (const auto* e = std::get_if<core::MembershipEvent>(&action)) {
    switch (e->kind) {
      case core::EventKind::kPeerReturnedAfterPartition:
        watch_[e->node] = now + kHealWatch;
        return Verdict{AnnounceKind::kAgain, fmt::format("partition with {} healed", e->node)};
      case core::EventKind::kNodeDead:
      case core::EventKind::kPeerRestarted:
        // Dead again, or a new process whose reports say nothing about the
        // partition (its own start-up negotiation follows, §6.3).
        watch_.erase(e->node);
        return std::nullopt;
      default:
        return std::nullopt;
    }
  }
  const auto* d = std::get_if<core::Deliver>(&action);
  if (d == nullptr) return std::nullopt;
  const auto it = watch_.find(d->from);
  if (it == watch_.end()) return std::nullopt;
  if (now >= it->second) {
    watch_.erase(it);
    return std::nullopt;
  }
  const bool shutdone = std::holds_alternative<messages::Shutdone>(d->message.body);
  if (!shutdone && !std::holds_alternative<messages::Resource>(d->message.body))
    return std::nullopt;
  // After `shutdone` it holds nothing and says nothing more about the
  // partition (a heartbeat peer restarts next).
  if (shutdone) watch_.erase(it);
  return Verdict{AnnounceKind::kAgain,
                 fmt::format("{} reported its resources after the partition healed", d->from)};
}

std::optional<AnnouncementPlan::Verdict> AnnouncementPlan::on_tick(MonoTime now) {
  std::erase_if(watch_, [now](const auto& w) { return now >= w.second; });
  if (!next_refresh_ || now < *next_refresh_) return std::nullopt;
  // The next one a period after this one was due, so a late tick does not
  // shift the schedule; one missed by more than a period is not sent twice.
  *next_refresh_ += refresh_;
  if (*next_refresh_ <= now) *next_refresh_ = now + refresh_;
  return Verdict{AnnounceKind::kRefresh, {}};
}

std::optional<MonoTime> AnnouncementPlan::next_deadline() const { return next_refresh_; }

}  // namespace vigil::engine
