// Deliberately not sans-IO: what sans_io_check.py must refuse if it ever
// appeared in the engine. Built only for the check's own test (meson.build
// here), never linked into anything.
#include <sys/socket.h>

#include "common/clock.h"
#include "common/log.h"

namespace vigil::test {

long stray_clock_read() { return MonoClock::now().time_since_epoch().count(); }

long stray_send(int fd) { return ::sendto(fd, "x", 1, 0, nullptr, 0); }

void stray_log_call() { log::info("decided inside the engine"); }

}  // namespace vigil::test
