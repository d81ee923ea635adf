// ha.cf respawn programs under resourced (respawn_supervisor.h): heartbeat's
// restart rules as a pure policy, then real programs as the named user
// (the process tests need root, as resourced does).
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "common/event_loop.h"
#include "common/log.h"
#include "common/timer.h"
#include "resourced/respawn_policy.h"
#include "resourced/respawn_supervisor.h"
#include "temp_tree.h"

using namespace vigil;
using namespace vigil::resourced;
using namespace std::chrono_literals;

TEST_CASE("respawn policy: status 100 is never restarted") {
  RespawnPolicy p;
  CHECK(p.on_exit(100, 1ms) == RespawnVerdict::kAskedNotTo);
  CHECK(p.on_exit(100, 1h) == RespawnVerdict::kAskedNotTo);
}

TEST_CASE("respawn policy: the 11th death in a row within 30 s of its start is too fast") {
  RespawnPolicy p;
  for (int i = 0; i < kRespawnMaxQuickDeaths; ++i)
    CHECK(p.on_exit(1, 29s) == RespawnVerdict::kRestart);
  CHECK(p.on_exit(-1, 1ms) == RespawnVerdict::kTooFast);
}

TEST_CASE("respawn policy: a run of 30 s forgives the quick deaths before it") {
  RespawnPolicy p;
  for (int i = 0; i < kRespawnMaxQuickDeaths; ++i) (void)p.on_exit(1, 1s);
  CHECK(p.on_exit(0, 30s) == RespawnVerdict::kRestart);
  CHECK(p.quick_deaths() == 0);
  CHECK(p.on_exit(1, 1s) == RespawnVerdict::kRestart);
}

namespace {

struct Harness {
  Harness() {
    log::LogConfig quiet;
    quiet.force_backend = log::Backend::kNone;
    (void)log::init(quiet);
    ::chmod(tree.root().c_str(), 0777);  // `nobody` writes its marks here
    config.paths.config_dir = tree.root();
    config.local_node = "node1";
  }
  void add(const std::string& user, const std::string& command) {
    config.ha_cf.respawn.push_back(conf::RespawnClient{user, command, false, 1});
  }
  // Runs the loop for `d`.
  void run_for(Duration d) {
    Timer until(loop, [this] { loop.stop(); });
    until.arm_after(d);
    while (until.armed()) (void)loop.run_once();
  }
  // Runs the loop until `pred` or 20 s.
  template <class P>
  bool run_until(P pred) {
    const MonoTime end = MonoClock::now() + 20s;
    while (!pred() && MonoClock::now() < end) run_for(20ms);
    return pred();
  }
  int lines(const std::string& rel) {
    std::ifstream in(tree.path(rel));
    int n = 0;
    for (std::string l; std::getline(in, l);) ++n;
    return n;
  }
  testing::TempTree tree;
  EventLoop loop;
  conf::Config config;
};

}  // namespace

TEST_CASE("respawn supervisor: runs the program as its user, restarts it, stops it on request") {
  Harness h;
  h.add("nobody", "/bin/sh -c 'id -u >> " + h.tree.path("runs") + "; sleep 0.1'");
  RespawnSupervisor s(h.loop, h.config);
  REQUIRE(s.start(0));
  CHECK(s.running(0));
  REQUIRE(h.run_until([&] { return h.lines("runs") >= 3; }));
  std::ifstream in(h.tree.path("runs"));
  std::string uid;
  std::getline(in, uid);
  CHECK(uid == "65534");
  s.stop(0, "test");
  REQUIRE(h.run_until([&] { return !s.running(0); }));
  const int after_stop = h.lines("runs");
  h.run_for(300ms);
  CHECK(h.lines("runs") == after_stop);
}

TEST_CASE("respawn supervisor: exit status 100 is not restarted; too-fast deaths give up") {
  Harness h;
  h.add("root", "/bin/sh -c 'echo x >> " + h.tree.path("hundred") + "; exit 100'");
  h.add("root", "/bin/sh -c 'echo x >> " + h.tree.path("fast") + "; exit 1'");
  RespawnSupervisor s(h.loop, h.config);
  REQUIRE(s.start(0));
  REQUIRE(s.start(1));
  REQUIRE(h.run_until([&] { return !s.running(0) && h.lines("fast") >= 11 && !s.running(1); }));
  h.run_for(200ms);
  CHECK(h.lines("hundred") == 1);
  CHECK(h.lines("fast") == 11);  // the first run and 10 restarts
  // A new start (heartbeatd asking again) begins afresh.
  REQUIRE(s.start(0));
  REQUIRE(h.run_until([&] { return h.lines("hundred") == 2; }));
}

TEST_CASE("respawn supervisor: start of a running client does nothing; destruction stops it") {
  Harness h;
  h.add("root", "/bin/sh -c 'echo $$ >> " + h.tree.path("pids") + "; exec sleep 60'");
  pid_t pid = 0;
  {
    RespawnSupervisor s(h.loop, h.config);
    REQUIRE(s.start(0));
    REQUIRE(h.run_until([&] { return h.lines("pids") == 1; }));
    REQUIRE(s.start(0));
    h.run_for(100ms);
    CHECK(h.lines("pids") == 1);
    std::ifstream(h.tree.path("pids")) >> pid;
    REQUIRE(pid > 0);
    CHECK(::kill(pid, 0) == 0);
  }
  CHECK(::kill(pid, 0) != 0);
}

TEST_CASE("respawn supervisor: an index out of ha.cf, or ipfail, is refused") {
  Harness h;
  h.add("hacluster", "/usr/lib/heartbeat/ipfail");
  RespawnSupervisor s(h.loop, h.config);
  CHECK(s.violation(0).find("not run by vigil") != std::string::npos);
  CHECK(s.violation(1).find("not in ha.cf") != std::string::npos);
  CHECK_FALSE(s.start(0));
}
