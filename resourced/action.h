// The three things heartbeat ever asks of a resource (heartbeat-compat.md
// §3.2): start, stop, and the status query behind the ownership test
// (§3.3). heartbeatd names one of them per request; resourced maps it onto
// the agent's own verb (OCF `monitor`, systemctl `is-active`, ...).
#pragma once

#include <string_view>

namespace vigil::resourced {

enum class Action { kStart, kStop, kStatus };

// The word heartbeat passes to a resource.d or init.d script: "start",
// "stop", "status".
constexpr std::string_view action_word(Action a) {
  switch (a) {
    case Action::kStart:
      return "start";
    case Action::kStop:
      return "stop";
    case Action::kStatus:
      return "status";
  }
  return "status";
}

}  // namespace vigil::resourced
