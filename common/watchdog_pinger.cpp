#include "common/watchdog_pinger.h"

#include "common/systemd_notify.h"

namespace vigil {

WatchdogPinger::WatchdogPinger(EventLoop& loop) {
  const auto interval = systemd::watchdog_interval();
  if (!interval) return;
  // Half the interval, as sd_watchdog_enabled(3) advises: one late ping
  // on a loaded machine must not be taken for a hang.
  every_ = *interval / 2;
  timer_.emplace(loop, [this] {
    systemd::notify_watchdog();
    timer_->arm_after(every_);
  });
  timer_->arm_after(every_);
}

}  // namespace vigil
