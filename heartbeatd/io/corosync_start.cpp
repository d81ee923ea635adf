#include "heartbeatd/io/corosync_start.h"

#include <fmt/format.h>

#include <chrono>
#include <thread>

#include "common/log.h"
#include "common/systemd_notify.h"

namespace vigil::io {

Result<std::unique_ptr<CorosyncLink>> open_corosync_waiting(const std::string& group,
                                                            Duration limit) {
  using namespace std::chrono_literals;
  const MonoTime start = MonoClock::now();
  MonoTime next_report = start;
  bool waited = false;
  for (;;) {
    auto link = CorosyncLink::open(group);
    if (link) {
      if (waited) log::info("corosync: connected");
      return link;
    }
    const MonoTime now = MonoClock::now();
    if (now - start >= limit) return link.error();
    if (now >= next_report) {  // the first failure, then every 10 s
      log::warn(fmt::format("{} (waiting for corosync, up to {} s)", link.error().message,
                            std::chrono::duration_cast<std::chrono::seconds>(limit).count()));
      systemd::notify_status("waiting for corosync");
      next_report = now + 10s;
      waited = true;
    }
    systemd::notify_watchdog();
    std::this_thread::sleep_for(1s);
  }
}

}  // namespace vigil::io
