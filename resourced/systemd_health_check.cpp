#include "resourced/systemd_health_check.h"

#include <fmt/format.h>

#include <utility>

#include "common/log.h"

namespace vigil::resourced {

ActionResult status_result_for(const UnitStateAnswer& answer) {
  ActionResult r;
  r.action = Action::kStatus;
  r.duration = answer.took;
  r.asked_systemd = true;
  if (!answer.active_state.empty()) {
    r.output_tail = fmt::format("ActiveState={} SubState={}\n", answer.active_state,
                                answer.sub_state.empty() ? "?" : answer.sub_state);
    r.unit_state = answer.sub_state.empty()
                       ? answer.active_state
                       : fmt::format("{}/{}", answer.active_state, answer.sub_state);
  }
  switch (answer.kind) {
    case UnitStateAnswer::Kind::kRunning:
      r.succeeded = true;
      r.running = true;
      break;
    case UnitStateAnswer::Kind::kNotRunning:
      r.succeeded = true;
      r.running = false;
      break;
    case UnitStateAnswer::Kind::kTimedOut:
      r.timed_out = true;
      r.running = true;
      r.message = answer.message;
      break;
    case UnitStateAnswer::Kind::kFailed:
      r.running = true;
      r.message = answer.message;
      break;
  }
  return r;
}

void SystemdHealthCheck::run(const AgentCall& call, Duration timeout,
                             AgentRunner::Completion done) {
  auto asked = bus_.query(call.unit, timeout, [done](const UnitStateAnswer& answer) {
    done(status_result_for(answer));
  });
  if (asked) {
    if (falling_back_)
      log::notice(
          "the system bus is open again: health checks of systemd units ask systemd "
          "over it");
    falling_back_ = false;
    return;
  }
  if (!falling_back_)
    log::warn(
        fmt::format("{}: health checks of systemd units run `systemctl is-active` (a "
                    "process per check) until the bus can be opened",
                    asked.error().message));
  falling_back_ = true;
  runner_.run(call, Action::kStatus, timeout, std::move(done));
}

}  // namespace vigil::resourced
