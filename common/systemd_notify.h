// The service manager's notification protocol (sd_notify(3)) for
// Type=notify units: readiness, status text, watchdog pings. Every call is
// a no-op when not started by systemd (NOTIFY_SOCKET unset).
#pragma once

#include <optional>
#include <string_view>

#include "common/clock.h"

namespace vigil::systemd {

// True if NOTIFY_SOCKET is set, i.e. the service manager listens.
bool notify_available();

// "READY=1" with a STATUS= line: start-up finished (config read, sockets
// bound, helpers connected).
void notify_ready(std::string_view status);
// "STATUS=<text>", shown by `systemctl status`.
void notify_status(std::string_view status);
// "RELOADING=1" (with MONOTONIC_USEC, as Type=notify-reload wants) at the
// start of a SIGHUP reload; notify_ready() ends it.
void notify_reloading();
// "STOPPING=1" at the start of a graceful shutdown.
void notify_stopping();
// "WATCHDOG=1". Ping at half watchdog_interval() or more often.
void notify_watchdog();

// WatchdogSec= of the unit, if the watchdog is enabled for this process
// (sd_watchdog_enabled: WATCHDOG_USEC set and WATCHDOG_PID unset or ours).
std::optional<Duration> watchdog_interval();

}  // namespace vigil::systemd
