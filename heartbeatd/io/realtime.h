// ha.cf `realtime` / `rtprio` (heartbeat-compat.md §3): heartbeat's answer
// to false deaths under load. With `realtime on` (the default) heartbeatd
// runs its timing path under SCHED_RR and locks its memory, as heartbeat
// does; `realtime off` leaves both alone.
//
// Without a capability: an unprivileged process may raise itself to
// SCHED_RR up to its RLIMIT_RTPRIO and lock up to its RLIMIT_MEMLOCK, and
// the unit grants those limits (LimitRTPRIO=, LimitMEMLOCK=). When a limit
// is too low the daemon says so and runs on, as heartbeat runs on when
// mlockall fails.
//
// plan_realtime() decides (pure, unit-tested); apply_realtime() makes the
// system calls and logs each outcome.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil::io {

// What the process may do, read from the system by apply_realtime().
struct RealtimeLimits {
  int priority_min = 1;   // sched_get_priority_min(SCHED_RR)
  int priority_max = 99;  // sched_get_priority_max(SCHED_RR)
  // RLIMIT_RTPRIO and RLIMIT_MEMLOCK soft limits; nullopt = unlimited.
  std::optional<std::uint64_t> rtprio_limit;
  std::optional<std::uint64_t> memlock_limit;
  bool may_exceed_limits = false;  // CAP_SYS_NICE / CAP_IPC_LOCK (root)
};

struct RealtimePlan {
  bool set_scheduler = false;  // sched_setscheduler(0, SCHED_RR, priority)
  int priority = 0;
  bool lock_memory = false;  // mlockall(MCL_CURRENT [| MCL_FUTURE])
  // MCL_FUTURE only without a memory lock limit: under a limit, a future
  // mapping past it would fail (malloc returning null) instead of merely
  // being unlocked. Root too: it becomes hacluster, and the limit, next.
  bool lock_future = false;
  // Why a step is expected to fail (logged before trying, so the message
  // names the limit to raise rather than only an errno).
  std::vector<std::string> expected_problems;
};

// `realtime off`: nothing. `realtime on`: SCHED_RR at `rtprio`, or
// heartbeat's default midway between the policy's minimum and maximum,
// clamped into the policy's range; memory locked.
RealtimePlan plan_realtime(bool realtime, std::optional<int> rtprio, const RealtimeLimits& limits);

// Reads the limits, applies plan_realtime(), logs what it did or why it
// could not. Never fatal.
void apply_realtime(bool realtime, std::optional<int> rtprio);

}  // namespace vigil::io
