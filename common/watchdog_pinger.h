// The service manager's watchdog (WatchdogSec=, sd_watchdog_enabled(3)),
// pinged from the daemon's own event loop at half the interval: a hung
// loop stops the pings and systemd restarts the daemon. For heartbeatd
// that matters beyond the daemon itself: a hung loop sends no heartbeat,
// so to its peers the node is dead, and it must not come back to life
// holding what a peer is taking over.
//
//   EventLoop loop;
//   WatchdogPinger watchdog(loop);   // nothing at all without WatchdogSec=
//   loop.run();
#pragma once

#include <optional>

#include "common/event_loop.h"
#include "common/timer.h"

namespace vigil {

class WatchdogPinger {
 public:
  explicit WatchdogPinger(EventLoop& loop);
  WatchdogPinger(const WatchdogPinger&) = delete;
  WatchdogPinger& operator=(const WatchdogPinger&) = delete;

  bool enabled() const { return timer_.has_value(); }

 private:
  std::optional<Timer> timer_;
  Duration every_{};
};

}  // namespace vigil
