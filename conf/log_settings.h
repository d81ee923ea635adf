// The logging directives of ha.cf (logfile, debugfile, logfacility,
// syslogmsgfmt, debug — heartbeat-compat.md §2.7) as the logger's settings,
// for each of vigil's daemons. `ident` is the syslog tag: heartbeatd passes
// "heartbeat" so existing log watchers keep matching its lines.
#pragma once

#include <string>

#include "common/log_types.h"
#include "conf/config.h"

namespace vigil::conf {

log::LogConfig log_settings(const HaCf& cf, std::string ident);

}  // namespace vigil::conf
