// ha.cf -> HaCf, with heartbeat's exact rules (heartbeat-compat.md §2):
// tokenisation (§2.1), time and boolean syntax (§2.2, §2.3), every
// directive of §2.4 with its default and derived values, the required
// content of §2.5 that ha.cf alone decides, and order dependence (§2.6:
// udpport and baud are captured when a medium is created).
//
// What needs the other files (the local node, haresources, authkeys) is
// checked by load_config (conf/load.h).
#pragma once

#include <string_view>

#include "conf/config.h"
#include "conf/diagnostics.h"

namespace vigil::conf {

// Parses the text of an ha.cf. `file` is the path as the user gave it, for
// messages. Every problem goes into `diag` (errors and warnings, nothing is
// printed); the returned HaCf holds what could be parsed, with defaults
// and derivations applied, and is meaningful only if diag has no errors.
HaCf parse_ha_cf(std::string_view text, std::string_view file, Diagnostics& diag);

// The number of lines of `text` (the line number errors about missing
// content point at: the end of the file).
int count_lines(std::string_view text);

}  // namespace vigil::conf
