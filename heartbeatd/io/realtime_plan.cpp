// The pure half of realtime.h: no system call here.
#include <fmt/format.h>

#include <algorithm>

#include "heartbeatd/io/realtime.h"

namespace vigil::io {

RealtimePlan plan_realtime(bool realtime, std::optional<int> rtprio, const RealtimeLimits& limits) {
  RealtimePlan plan;
  if (!realtime) return plan;
  plan.set_scheduler = true;
  // heartbeat's default priority is midway in the policy's range.
  const int wanted = rtprio.value_or((limits.priority_min + limits.priority_max) / 2);
  plan.priority = std::clamp(wanted, limits.priority_min, limits.priority_max);
  plan.lock_memory = true;
  plan.lock_future = !limits.memlock_limit.has_value();
  if (!limits.may_exceed_limits && limits.rtprio_limit &&
      *limits.rtprio_limit < static_cast<std::uint64_t>(plan.priority))
    plan.expected_problems.push_back(
        fmt::format("RLIMIT_RTPRIO is {}, below rtprio {}: raise LimitRTPRIO= in the unit "
                    "(or lower rtprio in ha.cf)",
                    *limits.rtprio_limit, plan.priority));
  if (!limits.may_exceed_limits && limits.memlock_limit && *limits.memlock_limit == 0)
    plan.expected_problems.push_back(
        "RLIMIT_MEMLOCK is 0: raise LimitMEMLOCK= in the unit to lock memory");
  return plan;
}

}  // namespace vigil::io
