#include "heartbeatd/engine/health_policy.h"

namespace vigil::engine {

HealthSettings HealthSettings::from(const conf::VigilCf& cf) {
  HealthSettings s;
  s.interval = cf.health_interval;
  s.start_grace = cf.health_start_grace;
  s.fall = cf.health_fall;
  s.max_failures = cf.health_max_failures;
  s.window = cf.health_failure_window;
  s.hold = cf.health_hold;
  return s;
}

HealthVerdict HealthCounts::record(bool passed, MonoTime now, const HealthSettings& s) {
  decay(now, s);
  if (passed) {
    in_a_row_ = 0;
    return HealthVerdict::kHealthy;
  }
  if (++in_a_row_ < s.fall) return HealthVerdict::kSuspect;
  // Confirmed: the next confirmation needs `fall` fresh failures again.
  in_a_row_ = 0;
  failures_.push_back(now);
  return failures() >= s.max_failures ? HealthVerdict::kGiveUp : HealthVerdict::kRestart;
}

void HealthCounts::decay(MonoTime now, const HealthSettings& s) {
  while (!failures_.empty() && now - failures_.front() >= s.window) failures_.pop_front();
}

void HealthCounts::clear() {
  in_a_row_ = 0;
  failures_.clear();
}

std::optional<MonoTime> HealthCounts::decays_at(const HealthSettings& s) const {
  if (failures_.empty()) return std::nullopt;
  return failures_.front() + s.window;
}

}  // namespace vigil::engine
