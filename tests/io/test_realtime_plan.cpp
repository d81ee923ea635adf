// plan_realtime(): what `realtime` / `rtprio` make heartbeatd apply.
#include <catch2/catch.hpp>

#include "heartbeatd/io/realtime.h"

using vigil::io::plan_realtime;
using vigil::io::RealtimeLimits;

namespace {
RealtimeLimits unit_limits() {  // what vigil-heartbeatd.service grants
  RealtimeLimits l;
  l.rtprio_limit = 99;
  l.memlock_limit = 64ull << 20;
  return l;
}
}  // namespace

TEST_CASE("realtime off applies nothing") {
  const auto plan = plan_realtime(false, 80, unit_limits());
  CHECK_FALSE(plan.set_scheduler);
  CHECK_FALSE(plan.lock_memory);
  CHECK(plan.expected_problems.empty());
}

TEST_CASE("realtime on without rtprio takes the midway priority, as heartbeat") {
  const auto plan = plan_realtime(true, std::nullopt, unit_limits());
  CHECK(plan.set_scheduler);
  CHECK(plan.priority == 50);
  CHECK(plan.lock_memory);
  CHECK(plan.expected_problems.empty());
}

TEST_CASE("rtprio sets the priority, clamped into the policy's range") {
  CHECK(plan_realtime(true, 10, unit_limits()).priority == 10);
  RealtimeLimits narrow = unit_limits();
  narrow.priority_max = 40;
  CHECK(plan_realtime(true, 90, narrow).priority == 40);
}

TEST_CASE("memory is locked for the future only without a lock limit") {
  CHECK_FALSE(plan_realtime(true, std::nullopt, unit_limits()).lock_future);
  RealtimeLimits unlimited = unit_limits();
  unlimited.memlock_limit = std::nullopt;
  CHECK(plan_realtime(true, std::nullopt, unlimited).lock_future);
  RealtimeLimits root = unit_limits();
  root.may_exceed_limits = true;  // root becomes hacluster, and the limit, next
  CHECK_FALSE(plan_realtime(true, std::nullopt, root).lock_future);
}

TEST_CASE("a too low RLIMIT_RTPRIO is named before trying, root excepted") {
  RealtimeLimits low = unit_limits();
  low.rtprio_limit = 0;
  low.memlock_limit = 0;
  const auto plan = plan_realtime(true, 20, low);
  CHECK(plan.set_scheduler);  // tried anyway: the limit may be raised meanwhile
  REQUIRE(plan.expected_problems.size() == 2);
  CHECK(plan.expected_problems[0] ==
        "RLIMIT_RTPRIO is 0, below rtprio 20: raise LimitRTPRIO= in the unit "
        "(or lower rtprio in ha.cf)");
  CHECK(plan.expected_problems[1] ==
        "RLIMIT_MEMLOCK is 0: raise LimitMEMLOCK= in the unit to lock memory");
  low.may_exceed_limits = true;
  CHECK(plan_realtime(true, 20, low).expected_problems.empty());
  low.may_exceed_limits = false;
  low.rtprio_limit = 20;
  low.memlock_limit = 1;
  CHECK(plan_realtime(true, 20, low).expected_problems.empty());
}
