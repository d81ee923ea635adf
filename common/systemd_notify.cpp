#include "common/systemd_notify.h"

#include <systemd/sd-daemon.h>

#include <cstdlib>
#include <string>

#include <fmt/format.h>

namespace vigil::systemd {

namespace {

// A newline would start a new assignment inside the notification.
std::string one_line(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\n') c = ' ';
  }
  return out;
}

void notify(const std::string& message) {
  // Keeps NOTIFY_SOCKET set (unset_environment = 0): a daemon notifies for
  // its whole life (status, watchdog, stopping), not only once.
  sd_notify(0, message.c_str());
}

}  // namespace

bool notify_available() {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  return socket != nullptr && *socket != '\0';
}

void notify_ready(std::string_view status) {
  notify(fmt::format("READY=1\nSTATUS={}", one_line(status)));
}

void notify_status(std::string_view status) { notify("STATUS=" + one_line(status)); }

void notify_reloading() {
  const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
      MonoClock::now().time_since_epoch());
  notify(fmt::format("RELOADING=1\nMONOTONIC_USEC={}", now.count()));
}

void notify_stopping() { notify("STOPPING=1"); }

void notify_watchdog() { notify("WATCHDOG=1"); }

std::optional<Duration> watchdog_interval() {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::microseconds(usec);
}

}  // namespace vigil::systemd
