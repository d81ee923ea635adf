// heartbeatd's event timeline: the last few hundred cluster events in
// memory, for `vigilctl events` and `vigilctl events --last-failover`
// (failover_timeline.h). Sans-IO: the caller passes both clocks' readings;
// nothing here reads a clock, logs or blocks.
//
// What is kept:
//   - every Log action carrying a VIGIL_EVENT id (node and link changes,
//     decisions, group walks: the ids of common/log_message_ids.h and of
//     heartbeatd/core/log_texts.cpp, heartbeatd/ownership/);
//   - each resource step, once when started ("step-started") and once when
//     finished ("step-finished", with its outcome and duration);
//   - "heartbeat-last-heard": when a peer is declared dead, the moment it
//     was last heard from, so a failover's timeline starts where the
//     client's outage did.
// A bounded ring: the oldest event goes when a new one arrives at
// capacity. Counts per event id are kept apart from the ring and never
// drop (the metrics' counters, metrics.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/proto/control_messages.h"
#include "heartbeatd/core/actions.h"
#include "heartbeatd/observe/timeline_ids.h"
#include "heartbeatd/observe/transition_counts.h"

namespace vigil::observe {

using proto::control::TimelineEvent;

class EventTimeline {
 public:
  static constexpr std::size_t kDefaultCapacity = 512;
  // Steps started and not yet finished that are remembered (a helper that
  // never answers must not grow this for ever).
  static constexpr std::size_t kMaxOpenSteps = 64;

  explicit EventTimeline(std::size_t capacity = kDefaultCapacity);

  // Keeps `log` if it has a VIGIL_EVENT field; text cut to
  // proto::control::kMaxEventText. `wall_us`: the wall clock at `now`.
  void record_log(const core::Log& log, MonoTime now, std::int64_t wall_us);
  // Peer `node`, declared dead at `now`, was last heard at `last_heard`.
  void record_last_heard(std::string_view node, MonoTime last_heard, MonoTime now,
                         std::int64_t wall_us);
  // Resource step `step_id` of group `group` began: `text` says what
  // ("start httpsvc").
  void step_started(std::uint32_t step_id, std::string_view group, std::string_view text,
                    MonoTime now, std::int64_t wall_us);
  // Its outcome word ("ok", "failed", "running", "stopped"). A finish with
  // no recorded start is kept without a duration.
  void step_finished(std::uint32_t step_id, std::string_view outcome, MonoTime now,
                     std::int64_t wall_us);

  // The kept events with seq > after_seq, oldest first, at most `max`.
  std::vector<TimelineEvent> after(std::uint64_t after_seq, std::size_t max) const;
  const std::deque<TimelineEvent>& events() const { return ring_; }
  std::uint64_t newest_seq() const { return next_seq_ - 1; }
  // How many events of each id were ever recorded (not only those kept).
  const std::map<std::string, std::uint64_t, std::less<>>& counts() const { return counts_; }
  std::uint64_t count(std::string_view event) const;
  const TransitionCounts& transitions() const { return transitions_; }

 private:
  void push(TimelineEvent e, MonoTime now, std::int64_t wall_us);

  std::size_t capacity_;
  std::deque<TimelineEvent> ring_;
  std::uint64_t next_seq_ = 1;
  std::map<std::string, std::uint64_t, std::less<>> counts_;
  TransitionCounts transitions_;
  struct OpenStep {
    std::string group;
    std::string text;
    MonoTime started;
  };
  std::map<std::uint32_t, OpenStep> open_steps_;
};

// The value of journald field `name` in `fields` ("" if absent).
std::string_view field_value(const log::Fields& fields, std::string_view name);

// MonoTime as the timeline's microseconds.
std::int64_t mono_us(MonoTime t);

}  // namespace vigil::observe
