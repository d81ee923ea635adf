// ha.cf `watchdog DEVICE` (heartbeat-compat.md §2.4): the machine resets
// itself when vigil dies or hangs and stays so. heartbeatd runs as
// hacluster and may not open the device, so resourced (root) holds it and
// writes to it only when heartbeatd proves it is alive: every keep-alive
// Task (kind kWatchdog, op status) heartbeatd's event loop sends each
// keepalive is one write. Whatever stops them resets the machine once the
// device's timeout runs out:
//
//   heartbeatd killed or hung    no keep-alive, no write
//   resourced killed             the device is closed without the magic
//                                character: the kernel keeps counting
//   resourced hung               no write
//   graceful stop (§6.7)         heartbeatd sends stop: resourced writes
//                                the magic 'V' and closes (disarmed)
//
// Armed by heartbeatd's start Task (its first connection), not when
// resourced starts: a node whose heartbeatd never comes up must not reset
// in a loop. The timeout is set (WDIOC_SETTIMEOUT) to the deadtime rounded
// up to whole seconds, and never under kMinTimeout: a resourced restart
// (heartbeatd reconnects within a quarter of its lease and arms again) must
// not reset a healthy machine. A path that is not a watchdog (a test's
// file) refuses the ioctl; that is logged and writes go on.
#pragma once

#include <chrono>
#include <string>

#include "common/result.h"
#include "common/unique_fd.h"

namespace vigil::resourced {

class WatchdogDevice {
 public:
  static constexpr std::chrono::seconds kMinTimeout{10};

  WatchdogDevice(std::string path, std::chrono::seconds timeout);
  // Left armed: a resourced that exits without stop() resets the machine.
  ~WatchdogDevice() = default;
  WatchdogDevice(const WatchdogDevice&) = delete;
  WatchdogDevice& operator=(const WatchdogDevice&) = delete;

  // Opens the device (idempotent) and sets its timeout.
  Status arm();
  // One keep-alive. Arms first if needed.
  Status pet();
  // Magic close: the kernel stops the timer (unless built with nowayout).
  Status disarm();

  bool armed() const { return fd_.valid(); }
  const std::string& path() const { return path_; }

  // The device timeout for a deadtime: whole seconds, at least one.
  static std::chrono::seconds timeout_for(std::chrono::milliseconds deadtime);

 private:
  std::string path_;
  std::chrono::seconds timeout_;
  UniqueFd fd_;
};

}  // namespace vigil::resourced
