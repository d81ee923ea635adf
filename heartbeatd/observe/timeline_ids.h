// The event ids the timeline adds to the VIGIL_EVENT ids it records from
// the log (event_timeline.h), for those who read the timeline (vigilctl,
// failover_timeline.h) without linking the recorder.
#pragma once

#include <string_view>

namespace vigil::observe {

inline constexpr std::string_view kStepStarted = "step-started";
inline constexpr std::string_view kStepFinished = "step-finished";
inline constexpr std::string_view kLastHeard = "heartbeat-last-heard";

}  // namespace vigil::observe
