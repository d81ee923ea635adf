// What a health check's answer says, in the words of heartbeatd's log and
// `vigilctl status` (issue 16). resourced says how the check ran
// (proto::resourced::CheckRun: a program, or systemd asked over D-Bus) and
// this file only puts that into words, so a line never claims a process
// group was killed or an exit code for a check that asked systemd.
#pragma once

#include <string>

#include "common/proto/resourced_messages.h"

namespace vigil::engine {

// True when the check says the resource is running (it passed).
bool check_passed(const proto::resourced::Reply& reply);

// Why a check did not pass, one phrase for "Resource R failed its check
// (...): WHY"; empty when it passed.
std::string check_failure_text(const proto::resourced::Reply& reply);

}  // namespace vigil::engine
