#include "heartbeatd/observe/event_timeline.h"

#include <algorithm>

namespace vigil::observe {

namespace {

std::string cut(std::string_view text) {
  return std::string(text.substr(0, proto::control::kMaxEventText));
}

}  // namespace

std::string_view field_value(const log::Fields& fields, std::string_view name) {
  for (const auto& [k, v] : fields)
    if (k == name) return v;
  return {};
}

std::int64_t mono_us(MonoTime t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

EventTimeline::EventTimeline(std::size_t capacity)
    : capacity_(std::max<std::size_t>(capacity, 1)) {}

void EventTimeline::push(TimelineEvent e, MonoTime now, std::int64_t wall_us) {
  e.seq = next_seq_++;
  if (e.mono_us == 0) {
    e.mono_us = mono_us(now);
    e.wall_us = wall_us;
  }
  ++counts_[e.event];
  transitions_.observe(e);
  if (ring_.size() == capacity_) ring_.pop_front();
  ring_.push_back(std::move(e));
}

void EventTimeline::record_log(const core::Log& log, MonoTime now, std::int64_t wall_us) {
  const std::string_view id = field_value(log.fields, "VIGIL_EVENT");
  if (id.empty()) return;  // not a cluster event: a diagnostic line
  TimelineEvent e;
  e.priority = static_cast<std::uint8_t>(log::syslog_priority(log.priority));
  e.event = std::string(id.substr(0, proto::control::kMaxEventId));
  e.node = std::string(field_value(log.fields, "VIGIL_NODE").substr(0, proto::control::kMaxName));
  e.link = std::string(field_value(log.fields, "VIGIL_LINK").substr(0, proto::control::kMaxName));
  e.group = std::string(field_value(log.fields, "VIGIL_GROUP").substr(0, proto::control::kMaxName));
  e.text = cut(log.text);
  push(std::move(e), now, wall_us);
}

void EventTimeline::record_last_heard(std::string_view node, MonoTime last_heard, MonoTime now,
                                      std::int64_t wall_us) {
  TimelineEvent e;
  e.event = std::string(kLastHeard);
  e.node = std::string(node.substr(0, proto::control::kMaxName));
  e.text = cut("last heartbeat heard from " + std::string(node));
  // Stamped when it happened, in both clocks: the wall clock moved by as
  // much as the monotonic one since.
  e.mono_us = mono_us(last_heard);
  e.wall_us = wall_us - (mono_us(now) - e.mono_us);
  push(std::move(e), now, wall_us);
}

void EventTimeline::step_started(std::uint32_t step_id, std::string_view group,
                                 std::string_view text, MonoTime now, std::int64_t wall_us) {
  if (open_steps_.size() >= kMaxOpenSteps) open_steps_.erase(open_steps_.begin());
  open_steps_[step_id] = OpenStep{std::string(group), std::string(text), now};
  TimelineEvent e;
  e.event = std::string(kStepStarted);
  e.group = std::string(group.substr(0, proto::control::kMaxName));
  e.text = cut(text);
  e.step_id = step_id;
  push(std::move(e), now, wall_us);
}

void EventTimeline::step_finished(std::uint32_t step_id, std::string_view outcome, MonoTime now,
                                  std::int64_t wall_us) {
  TimelineEvent e;
  e.event = std::string(kStepFinished);
  e.step_id = step_id;
  e.outcome = std::string(outcome.substr(0, proto::control::kMaxEventId));
  if (auto it = open_steps_.find(step_id); it != open_steps_.end()) {
    e.group = it->second.group.substr(0, proto::control::kMaxName);
    e.text = cut(it->second.text);
    e.step_us = mono_us(now) - mono_us(it->second.started);
    open_steps_.erase(it);
  }
  if (outcome == "failed")
    e.priority = static_cast<std::uint8_t>(log::syslog_priority(log::Priority::kWarn));
  push(std::move(e), now, wall_us);
}

std::vector<TimelineEvent> EventTimeline::after(std::uint64_t after_seq, std::size_t max) const {
  std::vector<TimelineEvent> out;
  // seq is dense in the ring: the first wanted one is found by arithmetic.
  auto it = ring_.begin();
  if (!ring_.empty() && after_seq >= ring_.front().seq)
    it += static_cast<std::ptrdiff_t>(
        std::min<std::uint64_t>(after_seq - ring_.front().seq + 1, ring_.size()));
  for (; it != ring_.end() && out.size() < max; ++it) out.push_back(*it);
  return out;
}

std::uint64_t EventTimeline::count(std::string_view event) const {
  auto it = counts_.find(event);
  return it == counts_.end() ? 0 : it->second;
}

}  // namespace vigil::observe
