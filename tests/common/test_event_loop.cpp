#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <memory>

#include <catch2/catch.hpp>

#include "common/event_loop.h"
#include "common/io_watcher.h"
#include "common/signal_watcher.h"
#include "common/timer.h"
#include "common/unique_fd.h"
#include "tests/common/loop_helpers.h"

using namespace vigil;
using namespace std::chrono_literals;
using vigil::test::run_until;

namespace {

struct Pipe {
  Pipe() {
    int fds[2];
    REQUIRE(pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0);
    read_end.reset(fds[0]);
    write_end.reset(fds[1]);
  }
  UniqueFd read_end;
  UniqueFd write_end;
};

}  // namespace

TEST_CASE("timer: an absolute deadline fires once, never before it") {
  EventLoop loop;
  int fired = 0;
  MonoTime fired_at{};
  Timer timer(loop, [&] {
    ++fired;
    fired_at = MonoClock::now();
  });
  const MonoTime deadline = MonoClock::now() + 30ms;
  timer.arm_at(deadline);
  CHECK(timer.armed());
  CHECK(timer.deadline() == deadline);
  REQUIRE(run_until(loop, [&] { return fired > 0; }));
  CHECK(fired_at >= deadline);
  CHECK(fired_at < deadline + 500ms);
  CHECK_FALSE(timer.armed());
  // One-shot: nothing more happens.
  (void)run_until(loop, [] { return false; }, 60ms);
  CHECK(fired == 1);
}

TEST_CASE("timer: a relative delay fires after at least that long") {
  EventLoop loop;
  bool fired = false;
  Timer timer(loop, [&] { fired = true; });
  const MonoTime start = MonoClock::now();
  timer.arm_after(20ms);
  REQUIRE(run_until(loop, [&] { return fired; }));
  CHECK(MonoClock::now() - start >= 20ms);
}

TEST_CASE("timer: a deadline in the past fires at the next loop iteration") {
  EventLoop loop;
  bool fired = false;
  Timer timer(loop, [&] { fired = true; });
  timer.arm_at(MonoClock::now() - 1s);
  REQUIRE(run_until(loop, [&] { return fired; }, 200ms));
}

TEST_CASE("timer: re-arming replaces the earlier deadline") {
  EventLoop loop;
  MonoTime fired_at{};
  int fired = 0;
  Timer timer(loop, [&] {
    ++fired;
    fired_at = MonoClock::now();
  });
  timer.arm_after(10ms);
  const MonoTime later = MonoClock::now() + 60ms;
  timer.arm_at(later);
  REQUIRE(run_until(loop, [&] { return fired > 0; }));
  CHECK(fired == 1);
  CHECK(fired_at >= later);
}

TEST_CASE("timer: a timer re-armed from its own callback fires again") {
  EventLoop loop;
  int fired = 0;
  std::unique_ptr<Timer> timer;
  timer = std::make_unique<Timer>(loop, [&] {
    if (++fired < 3) timer->arm_after(5ms);
  });
  timer->arm_after(5ms);
  REQUIRE(run_until(loop, [&] { return fired == 3; }));
}

TEST_CASE("timer: cancel and destruction both stop a pending timer") {
  EventLoop loop;
  bool cancelled_fired = false;
  bool destroyed_fired = false;
  Timer cancelled(loop, [&] { cancelled_fired = true; });
  cancelled.arm_after(5ms);
  cancelled.cancel();
  CHECK_FALSE(cancelled.armed());
  {
    Timer destroyed(loop, [&] { destroyed_fired = true; });
    destroyed.arm_after(5ms);
  }
  (void)run_until(loop, [] { return false; }, 50ms);
  CHECK_FALSE(cancelled_fired);
  CHECK_FALSE(destroyed_fired);
}

TEST_CASE("io watcher: reports a pipe readable once data is written") {
  EventLoop loop;
  Pipe p;
  std::string got;
  IoWatcher watcher(loop, p.read_end.get(), IoWatcher::Interest::kRead, [&](IoReady ready) {
    CHECK(ready.readable);
    char buf[16];
    ssize_t n = read(p.read_end.get(), buf, sizeof(buf));
    if (n > 0) got.append(buf, static_cast<std::size_t>(n));
  });
  watcher.start();
  CHECK(watcher.active());
  (void)run_until(loop, [] { return false; }, 20ms);
  CHECK(got.empty());
  REQUIRE(write(p.write_end.get(), "ping", 4) == 4);
  REQUIRE(run_until(loop, [&] { return got == "ping"; }));
}

TEST_CASE("io watcher: reports an empty pipe writable") {
  EventLoop loop;
  Pipe p;
  bool writable = false;
  IoWatcher watcher(loop, p.write_end.get(), IoWatcher::Interest::kWrite,
                    [&](IoReady ready) { writable = ready.writable; });
  watcher.start();
  REQUIRE(run_until(loop, [&] { return writable; }));
}

TEST_CASE("io watcher: a stopped watcher does not call back") {
  EventLoop loop;
  Pipe p;
  int calls = 0;
  IoWatcher watcher(loop, p.read_end.get(), IoWatcher::Interest::kRead, [&](IoReady) { ++calls; });
  watcher.start();
  watcher.stop();
  CHECK_FALSE(watcher.active());
  REQUIRE(write(p.write_end.get(), "x", 1) == 1);
  (void)run_until(loop, [] { return false; }, 30ms);
  CHECK(calls == 0);
}

TEST_CASE("io watcher: may be destroyed from inside its own callback") {
  EventLoop loop;
  Pipe p;
  int calls = 0;
  std::unique_ptr<IoWatcher> watcher;
  watcher = std::make_unique<IoWatcher>(loop, p.read_end.get(), IoWatcher::Interest::kRead,
                                        [&](IoReady) {
                                          ++calls;
                                          watcher.reset();
                                        });
  watcher->start();
  REQUIRE(write(p.write_end.get(), "x", 1) == 1);
  REQUIRE(run_until(loop, [&] { return watcher == nullptr; }));
  // Data is still unread: a surviving watcher would keep firing.
  (void)run_until(loop, [] { return false; }, 30ms);
  CHECK(calls == 1);
}

TEST_CASE("signal watcher: SIGUSR1 raised by the process is delivered in the loop") {
  EventLoop loop;
  int got = 0;
  SignalWatcher watcher(loop, SIGUSR1, [&](int signo) { got = signo; });
  REQUIRE(raise(SIGUSR1) == 0);
  REQUIRE(run_until(loop, [&] { return got != 0; }));
  CHECK(got == SIGUSR1);
}

TEST_CASE("signal watcher: destroying it restores the previous disposition") {
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction saved {};
  REQUIRE(sigaction(SIGUSR2, &ignore, &saved) == 0);
  {
    EventLoop loop;
    SignalWatcher watcher(loop, SIGUSR2, [](int) {});
    struct sigaction during {};
    sigaction(SIGUSR2, nullptr, &during);
    CHECK(during.sa_handler != SIG_IGN);
  }
  struct sigaction after {};
  sigaction(SIGUSR2, &saved, &after);
  CHECK(after.sa_handler == SIG_IGN);
}

TEST_CASE("event loop: stop() makes run() return") {
  EventLoop loop;
  Timer stopper(loop, [&] { loop.stop(); });
  Timer keeps_loop_busy(loop, [] {});
  keeps_loop_busy.arm_after(10s);
  stopper.arm_after(10ms);
  const MonoTime start = MonoClock::now();
  REQUIRE(loop.run().ok());
  CHECK(MonoClock::now() - start < 5s);
}
