// The ownership test of heartbeat's ResourceManager (heartbeat-compat.md
// §3.3): whether a heartbeat or LSB script's `status` output says the
// resource is running. The exit code of `status` is ignored by heartbeat,
// and so by vigil: only the text decides.
#pragma once

#include <string_view>

namespace vigil::resourced {

// The rules, in order, applied to the whole stdout of `status`:
//   1. it contains "not" and a space, and somewhere after that "running"
//      — N, O, T and the R of running in either case ("NOT running",
//      "not  Running", "is not currently running") → not running;
//   2. else it contains "running" or "Running", or the upper-case "OK"
//      → running;
//   3. else (e.g. "stopped", empty output) → not running.
// heartbeat's case pattern is `*[Nn][Oo][Tt]\ *[Rr]unning*`: a literal
// space after "not" (not a TAB), then a glob `*` — any text, newlines
// included — before "[Rr]unning"; "unning" is lower-case. So "cannot
// connect; daemon running" counts as not running, exactly as in heartbeat.
bool status_text_says_running(std::string_view status_output);

}  // namespace vigil::resourced
