#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include <catch2/catch.hpp>

#include "common/systemd_notify.h"
#include "common/systemd_sockets.h"
#include "common/timer.h"
#include "common/watchdog_pinger.h"
#include "common/unique_fd.h"
#include "tests/common/temp_dir.h"

using namespace vigil;
using vigil::test::TempDir;

namespace {

// SD_LISTEN_FDS_START, without pulling sd-daemon.h into the test.
constexpr int kListenFdsStart = 3;

// Plays the service manager: a datagram socket named by NOTIFY_SOCKET.
class FakeManager {
 public:
  FakeManager() : path_(dir_.file("notify")) {
    fd_.reset(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path_.c_str(), sizeof(addr.sun_path) - 1);
    REQUIRE(bind(fd_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
    setenv("NOTIFY_SOCKET", path_.c_str(), 1);
  }
  ~FakeManager() { unsetenv("NOTIFY_SOCKET"); }

  std::string next_message() {
    char buf[512];
    ssize_t n = recv(fd_.get(), buf, sizeof(buf), 0);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  }

 private:
  TempDir dir_;
  std::string path_;
  UniqueFd fd_;
};

}  // namespace

TEST_CASE("sd_notify: ready sends READY=1 with the status text on one line") {
  FakeManager manager;
  CHECK(systemd::notify_available());
  systemd::notify_ready("2 nodes\nup");
  CHECK(manager.next_message() == "READY=1\nSTATUS=2 nodes up");
}

TEST_CASE("sd_notify: status, watchdog, stopping and reloading send their assignments") {
  FakeManager manager;
  systemd::notify_status("standby");
  CHECK(manager.next_message() == "STATUS=standby");
  systemd::notify_watchdog();
  CHECK(manager.next_message() == "WATCHDOG=1");
  systemd::notify_stopping();
  CHECK(manager.next_message() == "STOPPING=1");
  systemd::notify_reloading();
  CHECK(manager.next_message().rfind("RELOADING=1\nMONOTONIC_USEC=", 0) == 0);
}

TEST_CASE("sd_notify: without NOTIFY_SOCKET every call is a harmless no-op") {
  unsetenv("NOTIFY_SOCKET");
  CHECK_FALSE(systemd::notify_available());
  systemd::notify_ready("x");
  systemd::notify_watchdog();
  SUCCEED();
}

TEST_CASE("sd_notify: the watchdog interval comes from WATCHDOG_USEC for our pid only") {
  unsetenv("WATCHDOG_PID");
  unsetenv("WATCHDOG_USEC");
  CHECK_FALSE(systemd::watchdog_interval().has_value());

  setenv("WATCHDOG_USEC", "2000000", 1);
  setenv("WATCHDOG_PID", std::to_string(getpid()).c_str(), 1);
  auto interval = systemd::watchdog_interval();
  REQUIRE(interval.has_value());
  CHECK(*interval == std::chrono::seconds(2));

  setenv("WATCHDOG_PID", std::to_string(getpid() + 1).c_str(), 1);
  CHECK_FALSE(systemd::watchdog_interval().has_value());
  unsetenv("WATCHDOG_PID");
  unsetenv("WATCHDOG_USEC");
}

TEST_CASE("watchdog pinger: pings WATCHDOG=1 from the loop while the unit has a watchdog") {
  FakeManager manager;
  setenv("WATCHDOG_USEC", "40000", 1);  // pings every 20 ms
  setenv("WATCHDOG_PID", std::to_string(getpid()).c_str(), 1);
  EventLoop loop;
  WatchdogPinger pinger(loop);
  CHECK(pinger.enabled());
  // Stop on the second ping (or give up after 10 s): a count, not a timing.
  int pings = 0;
  const MonoTime give_up = MonoClock::now() + std::chrono::seconds(10);
  std::optional<Timer> check;
  check.emplace(loop, [&] {
    for (std::string m = manager.next_message(); !m.empty(); m = manager.next_message())
      if (m == "WATCHDOG=1") ++pings;
    if (pings >= 2 || MonoClock::now() > give_up) return loop.stop();
    check->arm_after(std::chrono::milliseconds(5));
  });
  check->arm_after(std::chrono::milliseconds(5));
  REQUIRE(loop.run().ok());
  CHECK(pings >= 2);
  unsetenv("WATCHDOG_PID");
  unsetenv("WATCHDOG_USEC");
}

TEST_CASE("watchdog pinger: without WatchdogSec= it does nothing") {
  FakeManager manager;
  unsetenv("WATCHDOG_PID");
  unsetenv("WATCHDOG_USEC");
  EventLoop loop;
  WatchdogPinger pinger(loop);
  CHECK_FALSE(pinger.enabled());
  CHECK(manager.next_message().empty());
}

TEST_CASE("socket activation: a passed socket is found by its name, once, and made non-blocking") {
  // sd_listen_fds hands out descriptors from 3 up: park whatever this
  // process has at 3 and put a socket there, as systemd would.
  int pair[2];
  REQUIRE(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, pair) == 0);
  // Move both ends out of the way first: socketpair may itself have used 3.
  int fds[2] = {fcntl(pair[0], F_DUPFD_CLOEXEC, 100), fcntl(pair[1], F_DUPFD_CLOEXEC, 100)};
  close(pair[0]);
  close(pair[1]);
  const int parked = fcntl(kListenFdsStart, F_DUPFD_CLOEXEC, 100);
  REQUIRE(dup2(fds[0], kListenFdsStart) == kListenFdsStart);
  close(fds[0]);
  setenv("LISTEN_PID", std::to_string(getpid()).c_str(), 1);
  setenv("LISTEN_FDS", "1", 1);
  setenv("LISTEN_FDNAMES", "heartbeatd-control", 1);

  CHECK_FALSE(systemd::take_listen_fd("other").has_value());
  std::optional<UniqueFd> taken = systemd::take_listen_fd("heartbeatd-control");
  REQUIRE(taken.has_value());
  CHECK(taken->get() == kListenFdsStart);
  CHECK((fcntl(taken->get(), F_GETFL) & O_NONBLOCK) != 0);
  CHECK_FALSE(systemd::take_listen_fd("heartbeatd-control").has_value());

  unsetenv("LISTEN_PID");
  unsetenv("LISTEN_FDS");
  unsetenv("LISTEN_FDNAMES");
  taken->reset();
  close(fds[1]);
  if (parked >= 0) {
    dup2(parked, kListenFdsStart);
    close(parked);
  }
}
