#include "vigilctl/events_render.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "heartbeatd/observe/timeline_ids.h"

namespace vigil::ctl {

namespace {

using proto::control::TimelineEvent;

std::tm local_time(std::int64_t wall_us) {
  const std::time_t secs = static_cast<std::time_t>(wall_us / 1000000);
  std::tm tm{};
  localtime_r(&secs, &tm);
  return tm;
}

std::string wall_text(std::int64_t wall_us, const std::tm& tm) {
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03}", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (wall_us / 1000) % 1000);
}

// What a line says beyond the id: the log text, or the step and its end.
std::string describe(const TimelineEvent& e) {
  if (e.event == observe::kStepStarted)
    return fmt::format("{}{}", e.text, e.group.empty() ? "" : fmt::format(" (group {})", e.group));
  if (e.event == observe::kStepFinished) {
    std::string what = e.text.empty() ? fmt::format("step {}", e.step_id) : e.text;
    return fmt::format("{}: {}{}", what, e.outcome,
                       e.text.empty() ? "" : fmt::format(" in {}", human_duration(e.step_us)));
  }
  return e.text;
}

nlohmann::ordered_json event_json(const TimelineEvent& e) {
  nlohmann::ordered_json j;
  j["seq"] = e.seq;
  j["wall_us"] = e.wall_us;
  j["mono_us"] = e.mono_us;
  j["priority"] = e.priority;
  j["event"] = e.event;
  j["node"] = e.node;
  j["link"] = e.link;
  j["group"] = e.group;
  j["text"] = e.text;
  if (e.event == observe::kStepStarted || e.event == observe::kStepFinished)
    j["step_id"] = e.step_id;
  if (e.event == observe::kStepFinished) {
    j["outcome"] = e.outcome;
    j["step_us"] = e.step_us;
  }
  return j;
}

// Where a failover's timeline starts, in words.
std::string_view start_words(const observe::Failover& f) {
  if (f.entries.empty()) return "?";
  const std::string& id = f.entries.front().event.event;
  if (id == observe::kLastHeard) return "the last heartbeat heard";
  if (id == "node-dead") return "declared dead";
  if (id == "peer-shutdown") return "its shutdown notice";
  return id;
}

}  // namespace

std::string human_duration(std::int64_t us) {
  if (us >= 1000000 || us <= -1000000) return fmt::format("{:.3f} s", us / 1e6);
  if (us >= 1000 || us <= -1000) return fmt::format("{} ms", us / 1000);
  return fmt::format("{} us", us);
}

std::string render_event_line(const TimelineEvent& e, const std::tm& local) {
  return fmt::format("{}  {:<22} {}\n", wall_text(e.wall_us, local), e.event, describe(e));
}

std::string render_events(std::span<const TimelineEvent> events) {
  std::string out;
  for (const auto& e : events) out += render_event_line(e, local_time(e.wall_us));
  return out;
}

std::string render_event_json(const TimelineEvent& e) { return event_json(e).dump() + "\n"; }

std::string render_failover(const observe::Failover& f) {
  std::string out = fmt::format(
      "Last failover: resources taken over from {} ({}), {} from {} to {}{}\n", f.from_node,
      f.cause.empty()     ? "cause not recorded"
      : f.cause == "dead" ? "declared dead"
                          : "shut down",
      human_duration(f.total_us), start_words(f), f.complete ? "done" : "the last event so far",
      f.complete ? "" : " (not complete)");
  out += fmt::format("  {:<23}  {:>9}  {:>9}  {}\n", "wall clock", "at", "+since", "event");
  for (const auto& entry : f.entries) {
    const auto& e = entry.event;
    out += fmt::format("  {:<23}  {:>9}  {:>9}  {:<22} {}\n",
                       wall_text(e.wall_us, local_time(e.wall_us)),
                       fmt::format("{:.3f}", entry.since_start_us / 1e6),
                       fmt::format("+{:.3f}", entry.since_previous_us / 1e6), e.event, describe(e));
  }
  if (!f.steps.empty()) {
    out += "Steps:\n";
    for (const auto& s : f.steps)
      out += fmt::format("  {:>9}  {:<8} {} (group {})\n", human_duration(s.duration_us), s.outcome,
                         s.text, s.group);
  }
  return out;
}

std::string render_failover_json(const observe::Failover& f) {
  nlohmann::ordered_json j;
  j["from_node"] = f.from_node;
  j["cause"] = f.cause;
  j["complete"] = f.complete;
  j["total_us"] = f.total_us;
  auto& entries = j["entries"] = nlohmann::ordered_json::array();
  for (const auto& entry : f.entries) {
    auto e = event_json(entry.event);
    e["since_start_us"] = entry.since_start_us;
    e["since_previous_us"] = entry.since_previous_us;
    entries.push_back(std::move(e));
  }
  auto& steps = j["steps"] = nlohmann::ordered_json::array();
  for (const auto& s : f.steps)
    steps.push_back({{"group", s.group},
                     {"text", s.text},
                     {"outcome", s.outcome},
                     {"duration_us", s.duration_us}});
  return j.dump(2) + "\n";
}

}  // namespace vigil::ctl
