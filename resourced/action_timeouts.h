// How long one agent run of a request may take before its process group is
// SIGKILLed (agent_runner.h). heartbeat itself waited forever; vigil does
// not, so a hung script cannot hold a resource hostage. The values are
// generous on purpose: a database start replaying its journal, or a stop
// flushing it, takes minutes, and heartbeatd — not a short timer here —
// decides what a slow failover means. A status is a quick query.
//
//   start   120 s per run (the ownership test before it included)
//   stop    120 s per run (each of the HA_STOPRETRYMAX retries gets its own)
//   status   30 s
#pragma once

#include <chrono>

#include "common/clock.h"
#include "resourced/action.h"

namespace vigil::resourced {

inline constexpr Duration kStartTimeout = std::chrono::seconds(120);
inline constexpr Duration kStopTimeout = std::chrono::seconds(120);
inline constexpr Duration kStatusTimeout = std::chrono::seconds(30);

constexpr Duration action_timeout(Action action) {
  switch (action) {
    case Action::kStart:
      return kStartTimeout;
    case Action::kStop:
      return kStopTimeout;
    case Action::kStatus:
      return kStatusTimeout;
  }
  return kStatusTimeout;
}

}  // namespace vigil::resourced
