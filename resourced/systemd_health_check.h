// One health check of a `systemd:` resource (issue 16: "systemd unit state
// from systemd itself, not by polling systemctl"): the unit's ActiveState
// over the system bus (systemd_unit_state.h), answered as the AgentRunner
// answers a status run, so the server replies to both the same way.
//
// When the system bus cannot be opened (no dbus-daemon: systemd still
// serves systemctl as root on its private socket), the check runs
// `systemctl is-active` through the runner instead, as before the bus was
// used. That is logged once when it starts and once when the bus is back.
#pragma once

#include "common/event_loop.h"
#include "resourced/agent.h"
#include "resourced/agent_runner.h"
#include "resourced/systemd_unit_state.h"

namespace vigil::resourced {

// An answer of the bus as a status run's result: running and not running
// are checks that succeeded; an error or no answer is a failed check that
// leaves the resource "running" (an unknown state is never taken for
// released, agent_runner.h). output_tail says what systemd said, and
// unit_state the same as "ActiveState/SubState" (asked_systemd is set).
ActionResult status_result_for(const UnitStateAnswer& answer);

class SystemdHealthCheck {
 public:
  // `runner` must outlive this object (the fallback runs there).
  SystemdHealthCheck(EventLoop& loop, AgentRunner& runner) : bus_(loop), runner_(runner) {}

  // Checks `call` (kind kSystemd) within `timeout`; `done` is called once,
  // later.
  void run(const AgentCall& call, Duration timeout, AgentRunner::Completion done);

 private:
  SystemdUnitState bus_;
  AgentRunner& runner_;
  bool falling_back_ = false;
};

}  // namespace vigil::resourced
