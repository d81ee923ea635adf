// The last takeover, read out of the event timeline (event_timeline.h) as
// the operator asks about it: "how long did it take, and where did the
// time go?". Pure; used by vigilctl (`events --last-failover`) and by the
// metrics (the last takeover's duration and its steps, metrics.h).
//
// The takeover is the last `takeover` event naming a node ("Resources being
// acquired from X", heartbeat-compat.md §6.4). Its timeline runs from the
// last heartbeat heard from X (or, when X said goodbye, its shutdown
// notice §6.7) through X declared dead, each group announced and each
// resource step started and finished, to "mach_down takeover complete for
// node X" (the `mach-down` event naming X). Every event recorded in that
// span is an entry, in order; each entry's `since_previous_us` is the
// time from the entry before, so they add up to the total.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/proto/control_messages.h"

namespace vigil::observe {

struct FailoverEntry {
  proto::control::TimelineEvent event;
  std::int64_t since_start_us = 0;
  std::int64_t since_previous_us = 0;
};

struct Failover {
  std::string from_node;  // the node taken over from
  // "dead" (declared dead) or "shutdown" (its shutdown notice, §6.7).
  std::string cause;
  bool complete = false;      // the `mach-down` event for from_node was seen
  std::int64_t total_us = 0;  // first entry to last
  std::vector<FailoverEntry> entries;
  // Per resource step: start to finish (steps finished within the span).
  struct Step {
    std::string group;
    std::string text;  // "start httpsvc"
    std::string outcome;
    std::int64_t duration_us = 0;
  };
  std::vector<Step> steps;
};

// nullopt when the events hold no takeover.
std::optional<Failover> last_failover(std::span<const proto::control::TimelineEvent> events);

}  // namespace vigil::observe
