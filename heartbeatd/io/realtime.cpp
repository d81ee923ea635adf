// The system-call half of realtime.h.
#include "heartbeatd/io/realtime.h"

#include <fmt/format.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/log.h"

namespace vigil::io {
namespace {

std::optional<std::uint64_t> soft_limit(int resource) {
  rlimit r{};
  if (getrlimit(resource, &r) != 0 || r.rlim_cur == RLIM_INFINITY) return std::nullopt;
  return static_cast<std::uint64_t>(r.rlim_cur);
}

RealtimeLimits read_limits() {
  RealtimeLimits l;
  l.priority_min = sched_get_priority_min(SCHED_RR);
  l.priority_max = sched_get_priority_max(SCHED_RR);
  l.rtprio_limit = soft_limit(RLIMIT_RTPRIO);
  l.memlock_limit = soft_limit(RLIMIT_MEMLOCK);
  // Root may exceed both limits unless its capabilities are gone; a wrong
  // guess only changes which message comes first, never what is tried.
  l.may_exceed_limits = geteuid() == 0;
  return l;
}

}  // namespace

void apply_realtime(bool realtime, std::optional<int> rtprio) {
  if (!realtime) {
    log::info("realtime off: normal scheduling, memory not locked");
    return;
  }
  const RealtimePlan plan = plan_realtime(realtime, rtprio, read_limits());
  for (const auto& p : plan.expected_problems) log::warn(fmt::format("realtime: {}", p));
  if (plan.set_scheduler) {
    sched_param param{};
    param.sched_priority = plan.priority;
    if (sched_setscheduler(0, SCHED_RR, &param) == 0)
      log::info(fmt::format("realtime: scheduling policy SCHED_RR, priority {}", plan.priority));
    else
      log::warn(
          fmt::format("realtime: cannot set SCHED_RR priority {}: {}; running with normal "
                      "scheduling",
                      plan.priority, std::strerror(errno)));
  }
  if (plan.lock_memory) {
    const int flags = MCL_CURRENT | (plan.lock_future ? MCL_FUTURE : 0);
    if (mlockall(flags) == 0)
      log::info(plan.lock_future ? "realtime: memory locked (current and future)"
                                 : "realtime: memory locked (current; MCL_FUTURE only without "
                                   "a memory lock limit)");
    else
      log::warn(fmt::format("realtime: unable to lock pages into memory: {}; running on",
                            std::strerror(errno)));
  }
}

}  // namespace vigil::io
