// resourced's health check of a systemd unit over D-Bus
// (resourced/systemd_unit_state.h, systemd_health_check.h) against a
// PRIVATE bus: a dbus-daemon of our own on a socket in a temp dir, and a
// fake org.freedesktop.systemd1 (fake_systemd1.py) whose units' states the
// test writes into files. DBUS_SYSTEM_BUS_ADDRESS points sd-bus at it. No
// root; the machine's own system bus is never touched.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "common/ipc/socket.h"
#include "common/log.h"
#include "common/timer.h"
#include "heartbeatd/helpers/resourced_client.h"
#include "resourced/server.h"
#include "resourced/server_reply.h"
#include "resourced/systemd_health_check.h"
#include "resourced/systemd_unit_state.h"
#include "runner_harness.h"
#include "server_config.h"
#include "temp_tree.h"
#include "tests/common/loop_helpers.h"

using namespace vigil;
using namespace vigil::resourced;
using namespace vigil::resourced::testing;
using namespace std::chrono_literals;
using Kind = UnitStateAnswer::Kind;
namespace pr = vigil::proto::resourced;

namespace {

// A child process with its stdout on a pipe; killed by its pid when dropped.
class Child {
 public:
  // Its stderr goes to `errors` (dbus-daemon reports every rule it applies).
  Child(const std::vector<std::string>& argv, const std::string& errors) {
    int fds[2];
    REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      const int err = ::open(errors.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      if (err >= 0) ::dup2(err, STDERR_FILENO);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    out_ = fds[0];
  }
  ~Child() {
    stop();
    if (out_ >= 0) ::close(out_);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // The first line it prints, or "" if none within `max`.
  std::string first_line(std::chrono::milliseconds max = 10s) {
    std::string line;
    const auto end = std::chrono::steady_clock::now() + max;
    while (std::chrono::steady_clock::now() < end) {
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      char c = 0;
      if (::read(out_, &c, 1) != 1) break;
      if (c == '\n') return line;
      line += c;
    }
    return {};
  }

  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
};

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A private bus and the fake systemd on it.
struct BusRig {
  TempTree tmp;
  std::string socket = tmp.path("bus");
  std::string units = tmp.mkdir("units");
  std::optional<Child> daemon;
  std::optional<Child> systemd;
  EventLoop loop;

  BusRig() {
    std::ofstream(tmp.path("bus.conf"))
        << "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
           " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
           "<busconfig>\n"
           "  <type>session</type>\n"
           "  <listen>unix:path="
        << socket
        << "</listen>\n"
           "  <auth>EXTERNAL</auth>\n"
           "  <policy context=\"default\">\n"
           "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
           "    <allow eavesdrop=\"true\"/>\n"
           "    <allow own=\"*\"/>\n"
           "  </policy>\n"
           "</busconfig>\n";
    ::setenv("DBUS_SYSTEM_BUS_ADDRESS", ("unix:path=" + socket).c_str(), 1);
    start_daemon();
    start_systemd();
  }

  void start_daemon() {
    daemon.emplace(
        std::vector<std::string>{"/usr/bin/dbus-daemon", "--config-file=" + tmp.path("bus.conf"),
                                 "--print-address", "--nofork"},
        tmp.path("dbus-daemon.log"));
    REQUIRE(daemon->first_line().find(socket) != std::string::npos);
  }
  void start_systemd() {
    const char* fake = std::getenv("FAKE_SYSTEMD1");
    REQUIRE(fake != nullptr);
    systemd.emplace(std::vector<std::string>{"/usr/bin/python3", fake, units},
                    tmp.path("fake_systemd1.log"));
    REQUIRE(systemd->first_line() == "ready");
  }

  void set(const std::string& unit, const std::string& state) {
    std::ofstream(units + "/" + unit) << state << "\n";
  }

  bool run_until(const std::function<bool()>& done) { return test::run_until(loop, done, 10s); }

  std::optional<UnitStateAnswer> ask(SystemdUnitState& state, const std::string& unit,
                                     Duration timeout = 5s) {
    std::optional<UnitStateAnswer> answer;
    auto asked = state.query(unit, timeout, [&](const UnitStateAnswer& a) { answer = a; });
    REQUIRE(asked.ok());
    REQUIRE(run_until([&] { return answer.has_value(); }));
    return answer;
  }
};

}  // namespace

TEST_CASE("unit state: ActiveState as a health check reads it") {
  CHECK(unit_state_kind("active") == Kind::kRunning);
  CHECK(unit_state_kind("reloading") == Kind::kRunning);
  CHECK(unit_state_kind("activating") == Kind::kNotRunning);
  CHECK(unit_state_kind("deactivating") == Kind::kNotRunning);
  CHECK(unit_state_kind("inactive") == Kind::kNotRunning);
  CHECK(unit_state_kind("failed") == Kind::kNotRunning);
  CHECK(unit_state_kind("maintenance") == Kind::kNotRunning);
  CHECK(unit_state_kind("") == Kind::kFailed);
  CHECK(unit_state_kind("sleeping") == Kind::kFailed);
}

TEST_CASE("unit state: active, failed and unloaded units over a private bus") {
  BusRig rig;
  SystemdUnitState state(rig.loop);
  rig.set("web.service", "active running");
  rig.set("db.service", "failed failed");

  auto web = rig.ask(state, "web.service");
  CHECK(web->kind == Kind::kRunning);
  CHECK(web->active_state == "active");
  CHECK(web->sub_state == "running");

  auto db = rig.ask(state, "db.service");
  CHECK(db->kind == Kind::kNotRunning);
  CHECK(db->active_state == "failed");

  auto gone = rig.ask(state, "nothere.service");
  CHECK(gone->kind == Kind::kNotRunning);
  CHECK(gone->message == "nothere.service is not loaded");

  // A unit name that needs escaping in its object path, and a state change
  // seen at the next query on the same connection.
  rig.set("getty@tty1.service", "activating start");
  CHECK(rig.ask(state, "getty@tty1.service")->kind == Kind::kNotRunning);
  rig.set("getty@tty1.service", "active running");
  CHECK(rig.ask(state, "getty@tty1.service")->kind == Kind::kRunning);
  CHECK(state.in_flight() == 0);
}

TEST_CASE("unit state: a stalled systemd times out and the loop keeps running") {
  BusRig rig;
  SystemdUnitState state(rig.loop);
  rig.set("hung.service", "stall");
  rig.set("web.service", "active running");

  std::optional<UnitStateAnswer> hung, web;
  // A 20 ms ticker of the same loop counts its turns while the query waits.
  int ticks_while_hung = 0;
  std::unique_ptr<Timer> ticker;
  ticker = std::make_unique<Timer>(rig.loop, [&] {
    if (!hung) ++ticks_while_hung;
    ticker->arm_after(20ms);
  });
  ticker->arm_after(20ms);

  REQUIRE(state.query("hung.service", 600ms, [&](const UnitStateAnswer& a) { hung = a; }).ok());
  REQUIRE(state.query("web.service", 5s, [&](const UnitStateAnswer& a) { web = a; }).ok());
  REQUIRE(rig.run_until([&] { return hung.has_value(); }));
  // The other unit was answered while the first query waited.
  REQUIRE(web.has_value());
  CHECK(web->kind == Kind::kRunning);
  CHECK(hung->kind == Kind::kTimedOut);
  CHECK(hung->message == "systemd did not answer within 600 ms");
  CHECK(hung->took >= 600ms);
  CHECK(ticks_while_hung > 0);
  CHECK(state.in_flight() == 0);

  // The connection is still good after the abandoned call.
  rig.set("hung.service", "active running");
  CHECK(rig.ask(state, "hung.service")->kind == Kind::kRunning);
}

TEST_CASE("unit state: systemd gone is a failure, and it recovers when it returns") {
  BusRig rig;
  SystemdUnitState state(rig.loop);
  rig.set("web.service", "active running");
  CHECK(rig.ask(state, "web.service")->kind == Kind::kRunning);

  rig.systemd->stop();
  auto lost = rig.ask(state, "web.service");
  CHECK(lost->kind == Kind::kFailed);
  CHECK(lost->message.find("org.freedesktop.DBus.Error.ServiceUnknown") != std::string::npos);

  rig.start_systemd();
  CHECK(rig.ask(state, "web.service")->kind == Kind::kRunning);
}

TEST_CASE("unit state: a lost bus fails the query in flight and is opened again") {
  BusRig rig;
  SystemdUnitState state(rig.loop);
  rig.set("hung.service", "stall");
  rig.set("web.service", "active running");
  CHECK(rig.ask(state, "web.service")->kind == Kind::kRunning);

  std::optional<UnitStateAnswer> pending;
  REQUIRE(state.query("hung.service", 10s, [&](const UnitStateAnswer& a) { pending = a; }).ok());
  rig.daemon->stop();
  REQUIRE(rig.run_until([&] { return pending.has_value(); }));
  rig.systemd->stop();
  CHECK(pending->kind == Kind::kFailed);
  CHECK(pending->message == "org.freedesktop.DBus.Error.NoReply: Connection terminated");
  CHECK_FALSE(state.connected());

  // Nobody listens: the query says the bus cannot be opened.
  auto refused = state.query("web.service", 1s, [](const UnitStateAnswer&) {});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("cannot open the system bus") == 0);

  rig.start_daemon();
  rig.start_systemd();
  CHECK(rig.ask(state, "web.service")->kind == Kind::kRunning);
}

TEST_CASE("unit health check: no bus at all falls back to systemctl, logged once") {
  RunnerHarness h;
  // A stand-in systemctl: `is-active` of a unit whose name is in a file.
  const std::string active = h.tree.path("active-units");
  std::ofstream(active) << "web.service\n";
  h.tree.script("systemctl", "for a; do u=$a; done; grep -qx \"$u\" " + active + " || exit 3\n");
  h.dirs.systemctl = h.tree.path("systemctl");
  ::setenv("DBUS_SYSTEM_BUS_ADDRESS", ("unix:path=" + h.tree.path("no-bus")).c_str(), 1);

  SystemdHealthCheck check(h.loop, *h.runner);
  log::ScopedCapture logged;
  auto run = [&](const std::string& unit) {
    std::optional<ActionResult> out;
    check.run(h.call("systemd:" + unit), 5s, [&](const ActionResult& r) { out = r; });
    REQUIRE(test::run_until(
        h.loop, [&] { return out.has_value(); }, 10s));
    return *out;
  };
  const ActionResult web = run("web");
  CHECK(web.succeeded);
  CHECK(web.running);
  CHECK(web.runs == 1);  // systemctl ran
  CHECK_FALSE(web.asked_systemd);
  CHECK(check_run_for(web) == pr::CheckRun::kProgramExited);
  const ActionResult db = run("db");
  CHECK(db.succeeded);
  CHECK_FALSE(db.running);
  int warnings = 0;
  for (const auto& e : logged.events())
    if (e.text.find("run `systemctl is-active`") != std::string::npos) ++warnings;
  CHECK(warnings == 1);
  CHECK(logged.contains("cannot open the system bus"));
}

TEST_CASE("unit health check: a bus answer as a status run's result") {
  UnitStateAnswer a;
  a.kind = Kind::kRunning;
  a.active_state = "active";
  a.sub_state = "running";
  ActionResult r = status_result_for(a);
  CHECK((r.succeeded && r.running && !r.timed_out));
  CHECK(r.output_tail == "ActiveState=active SubState=running\n");
  CHECK(r.asked_systemd);
  CHECK(r.unit_state == "active/running");
  a.kind = Kind::kNotRunning;
  a.active_state = "failed";
  r = status_result_for(a);
  CHECK((r.succeeded && !r.running));
  a = {};
  a.kind = Kind::kTimedOut;
  a.message = "systemd did not answer within 20 ms";
  r = status_result_for(a);
  CHECK((!r.succeeded && r.running && r.timed_out));
  CHECK(r.message == a.message);
  CHECK(r.asked_systemd);
  CHECK(r.unit_state.empty());
  a.kind = Kind::kFailed;
  r = status_result_for(a);
  CHECK((!r.succeeded && r.running && !r.timed_out));
}

TEST_CASE(
    "server: a health check of a systemd unit asks the bus; a status request runs systemctl") {
  BusRig rig;
  rig.set("web.service", "active running");
  // A systemctl that records its arguments and says "inactive" (exit 3):
  // a check answered "running" cannot have come from it.
  const std::string calls = rig.tmp.path("systemctl.log");
  rig.tmp.script("systemctl", "echo \"$*\" >> " + calls + "\nexit 3\n");

  conf::Config config = config_with({{"systemd:web"}});
  // Long enough for any answer of the private bus, short for the stall below.
  config.vigil_cf.health_timeout = 2s;
  ServerOptions o;
  o.policy.uids.push_back(::getuid());
  o.dirs.resource_d = rig.tmp.mkdir("resource.d");
  o.dirs.init_d = rig.tmp.path("no-init.d");
  o.dirs.systemctl = rig.tmp.path("systemctl");
  o.runner = runner_options_for(config, o.dirs, LaunchStrategy::kFork);
  const std::string socket = rig.tmp.path("resourced.sock");
  auto fd = ipc::listen(socket, 0600);
  REQUIRE(fd);
  ResourceServer server(rig.loop, config, o, std::move(*fd));

  helpers::ResourcedClientOptions co;
  co.socket_path = socket;
  co.config_hash = kHash;
  co.lease_ms = 60000;
  co.first_retry = 20ms;
  co.server_uid = ::getuid();
  helpers::ResourcedClient client(rig.loop, co);
  client.start();

  // One health check (a kMonitor task) of web, as heartbeatd sends it.
  auto check_web = [&] {
    std::optional<pr::Reply> check;
    client.monitor(0, [&](const pr::Reply& r) { check = r; });
    REQUIRE(rig.run_until([&] { return check.has_value(); }));
    return *check;
  };
  pr::Reply check = check_web();
  CHECK(check.outcome == pr::Outcome::kOk);
  CHECK(check.state == pr::RunState::kRunning);
  CHECK(check.output_tail == "ActiveState=active SubState=running\n");
  // It says it asked systemd, and what systemd answered: no program ran.
  CHECK(check.check == pr::CheckRun::kUnitState);
  CHECK(check.unit_state == "active/running");
  CHECK_FALSE(std::ifstream(calls).good());

  rig.set("web.service", "failed failed");
  check = check_web();
  CHECK(check.outcome == pr::Outcome::kOk);
  CHECK(check.state == pr::RunState::kStopped);
  CHECK(check.check == pr::CheckRun::kUnitState);
  CHECK(check.unit_state == "failed/failed");

  // systemd gone from the bus: unreachable, not a failed program.
  rig.systemd->stop();
  check = check_web();
  CHECK(check.outcome == pr::Outcome::kFailed);
  CHECK(check.check == pr::CheckRun::kSystemdUnreachable);
  CHECK(check.output_tail.find("org.freedesktop.DBus.Error.ServiceUnknown") != std::string::npos);
  rig.start_systemd();

  // systemd there but silent: no answer within health_timeout.
  rig.set("web.service", "stall");
  check = check_web();
  CHECK(check.outcome == pr::Outcome::kTimeout);
  CHECK(check.check == pr::CheckRun::kSystemdNoAnswer);
  CHECK(check.duration_ms >= 2000);
  rig.set("web.service", "failed failed");

  // heartbeat's ownership test (§3.3) keeps running systemctl is-active.
  std::optional<pr::Reply> status;
  client.request({0, 0}, pr::Op::kStatus, [&](const pr::Reply& r) { status = r; });
  REQUIRE(rig.run_until([&] { return status.has_value(); }));
  CHECK(status->state == pr::RunState::kStopped);
  CHECK(status->check == pr::CheckRun::kNone);
  CHECK(read_text(calls) == "--no-ask-password --quiet is-active -- web.service\n");
}
