// The counting half of resource health (issue 16): what one resource's
// check results mean. Pure: results and `now` in, a verdict out; the
// scheduling, the restart walk and the hand-over are health_monitor.h's.
//
//   a failed check      counts toward `fall`; a success resets that count
//                       (keepalived's rise/fall, field-notes-2 §4: one bad
//                       check never acts, OpenShift raised fall for that)
//   `fall` in a row     a confirmed failure: recorded with its time
//   a confirmed failure restart in place, unless it is the
//                       `max_failures`-th within `window`: give the group
//                       up (the monitor decides whether the peer can take it)
//   decay               a confirmed failure older than `window` is dropped,
//                       so a service that fails once a week is restarted
//                       every time, never moved (Pacemaker keeps counts until
//                       an operator clears them, field-notes-2 §4)
#pragma once

#include <deque>
#include <optional>

#include "common/clock.h"
#include "conf/vigil_cf.h"

namespace vigil::engine {

struct HealthSettings {
  Duration interval = std::chrono::seconds(10);
  Duration start_grace = std::chrono::seconds(10);
  int fall = 2;
  int max_failures = 3;
  Duration window = std::chrono::minutes(10);
  Duration hold = Duration::zero();  // zero: until an operator's cleanup

  static HealthSettings from(const conf::VigilCf& cf);
};

enum class HealthVerdict {
  kHealthy,  // the check passed
  kSuspect,  // it failed, not yet `fall` times in a row
  kRestart,  // a confirmed failure: restart in place
  kGiveUp,   // the max_failures-th confirmed failure within the window
};

class HealthCounts {
 public:
  HealthVerdict record(bool passed, MonoTime now, const HealthSettings& s);
  // Drops confirmed failures older than the window.
  void decay(MonoTime now, const HealthSettings& s);
  void clear();

  int failures() const { return static_cast<int>(failures_.size()); }
  int in_a_row() const { return in_a_row_; }
  // When the oldest counted failure stops counting (nothing counted: none).
  std::optional<MonoTime> decays_at(const HealthSettings& s) const;

 private:
  int in_a_row_ = 0;
  std::deque<MonoTime> failures_;  // confirmed failures, oldest first
};

}  // namespace vigil::engine
