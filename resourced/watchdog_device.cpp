#include "resourced/watchdog_device.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/watchdog.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/log.h"

namespace vigil::resourced {

namespace {

Status write_byte(int fd, char c, const std::string& path) {
  for (;;) {
    const ssize_t n = ::write(fd, &c, 1);
    if (n == 1) return {};
    if (n < 0 && errno == EINTR) continue;
    return Error{fmt::format("watchdog {}: write: {}", path, std::strerror(errno))};
  }
}

}  // namespace

WatchdogDevice::WatchdogDevice(std::string path, std::chrono::seconds timeout)
    : path_(std::move(path)), timeout_(timeout) {}

std::chrono::seconds WatchdogDevice::timeout_for(std::chrono::milliseconds deadtime) {
  const auto whole = std::chrono::ceil<std::chrono::seconds>(deadtime);
  return std::max(whole, kMinTimeout);
}

Status WatchdogDevice::arm() {
  if (fd_.valid()) return {};
  // O_APPEND: a test's regular file grows by one byte per keep-alive.
  UniqueFd fd(::open(path_.c_str(), O_WRONLY | O_CLOEXEC | O_APPEND));
  if (!fd.valid()) return Error{fmt::format("watchdog {}: open: {}", path_, std::strerror(errno))};
  int seconds = static_cast<int>(timeout_.count());
  if (::ioctl(fd.get(), WDIOC_SETTIMEOUT, &seconds) != 0)
    log::warn(fmt::format("watchdog {}: cannot set its timeout to {} s ({}); it keeps its own",
                          path_, timeout_.count(), std::strerror(errno)),
              {{"VIGIL_EVENT", "watchdog"}});
  fd_ = std::move(fd);
  log::notice(fmt::format("watchdog {} armed: the machine resets {} s after vigil stops "
                          "answering",
                          path_, seconds),
              {{"VIGIL_EVENT", "watchdog"}});
  return {};
}

Status WatchdogDevice::pet() {
  if (auto armed = arm(); !armed) return armed;
  return write_byte(fd_.get(), '1', path_);
}

Status WatchdogDevice::disarm() {
  if (!fd_.valid()) return {};
  Status wrote = write_byte(fd_.get(), 'V', path_);
  fd_.reset();
  log::notice(fmt::format("watchdog {} disarmed (graceful stop)", path_),
              {{"VIGIL_EVENT", "watchdog"}});
  return wrote;
}

}  // namespace vigil::resourced
