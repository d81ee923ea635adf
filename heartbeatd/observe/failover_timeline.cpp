#include "heartbeatd/observe/failover_timeline.h"

#include "heartbeatd/observe/timeline_ids.h"

namespace vigil::observe {

namespace {

using proto::control::TimelineEvent;

bool is(const TimelineEvent& e, std::string_view event, std::string_view node) {
  return e.event == event && e.node == node;
}

}  // namespace

std::optional<Failover> last_failover(std::span<const TimelineEvent> events) {
  std::size_t takeover = events.size();
  for (std::size_t i = events.size(); i-- > 0;) {
    if (events[i].event == "takeover" && !events[i].node.empty()) {
      takeover = i;
      break;
    }
  }
  if (takeover == events.size()) return std::nullopt;
  Failover f;
  f.from_node = events[takeover].node;

  // Back to what began it: declared dead (and the last heartbeat heard
  // just before that), or the shutdown notice.
  std::size_t first = takeover;
  for (std::size_t i = takeover; i-- > 0;) {
    if (is(events[i], "node-dead", f.from_node)) {
      f.cause = "dead";
      first = i;
      for (std::size_t j = i; j-- > 0;) {
        if (is(events[j], kLastHeard, f.from_node)) {
          first = j;
          break;
        }
        if (is(events[j], "node-dead", f.from_node)) break;  // an earlier death
      }
      break;
    }
    if (is(events[i], "peer-shutdown", f.from_node)) {
      f.cause = "shutdown";
      first = i;
      break;
    }
    if (is(events[i], "takeover", f.from_node)) break;  // an earlier takeover
  }

  std::size_t last = events.size() - 1;
  for (std::size_t i = takeover; i < events.size(); ++i) {
    if (is(events[i], "mach-down", f.from_node)) {
      f.complete = true;
      last = i;
      break;
    }
  }

  const std::int64_t start = events[first].mono_us;
  std::int64_t previous = start;
  for (std::size_t i = first; i <= last; ++i) {
    const TimelineEvent& e = events[i];
    f.entries.push_back({e, e.mono_us - start, e.mono_us - previous});
    previous = e.mono_us;
    if (e.event == kStepFinished && !e.text.empty())
      f.steps.push_back({e.group, e.text, e.outcome, e.step_us});
  }
  f.total_us = previous - start;
  return f;
}

}  // namespace vigil::observe
