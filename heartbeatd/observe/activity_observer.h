// What heartbeatd's I/O shell tells the observability side (the event
// timeline, the metrics) as it executes the engines' actions: every Log
// action, at the one place Log actions are executed, and every resource
// step as it is handed to a helper and as its answer comes back.
//
// An interface, so the glue that executes actions (heartbeatd/node/) needs
// one pointer and one call per kind, and knows nothing of what is kept.
#pragma once

#include <cstdint>

#include "common/clock.h"
#include "heartbeatd/core/actions.h"
#include "heartbeatd/ownership/actions.h"

namespace vigil::observe {

class ActivityObserver {
 public:
  virtual ~ActivityObserver() = default;
  // A Log action, right after it was written to the log backends.
  virtual void on_log(const core::Log& log, MonoTime now) = 0;
  // A ResourceRequest handed to ipd or resourced.
  virtual void on_step_started(const ownership::ResourceRequest& request, MonoTime now) = 0;
  // The helper's answer to request `request_id`, as given to Ownership.
  virtual void on_step_finished(std::uint32_t request_id, ownership::ResourceOutcome outcome,
                                MonoTime now) = 0;
};

}  // namespace vigil::observe
