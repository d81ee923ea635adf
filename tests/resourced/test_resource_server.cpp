// resourced's server in-process (resourced/server.h): real scripts in a
// temporary resource.d, heartbeatd's client (heartbeatd/helpers/) or raw
// connections on a socket in a temp dir. No root: the policy admits our
// own uid.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "common/ipc/connection.h"
#include "common/ipc/socket.h"
#include "common/timer.h"
#include "heartbeatd/helpers/resourced_client.h"
#include "resourced/server.h"
#include "server_config.h"
#include "temp_tree.h"

using namespace vigil;
using namespace vigil::resourced;
using namespace vigil::resourced::testing;
using namespace std::chrono_literals;
namespace pr = vigil::proto::resourced;

namespace {

bool run_until(EventLoop& loop, const std::function<bool()>& done, Duration timeout = 10s) {
  const MonoTime end = MonoClock::now() + timeout;
  Timer tick(loop, [] {});
  while (!done()) {
    if (MonoClock::now() >= end) return false;
    tick.arm_after(10ms);
    (void)loop.run_once();
  }
  return true;
}

void run_for(EventLoop& loop, Duration d) {
  const MonoTime end = MonoClock::now() + d;
  (void)run_until(loop, [&] { return MonoClock::now() >= end; }, d + 1s);
}

// Scripts a, b, c: start takes 0.2 s; every action is logged to actions.log.
struct Rig {
  TempTree tmp;
  conf::Config config = config_with({{"a", "10.0.0.1", "b"}, {"c"}});
  EventLoop loop;
  std::string socket = tmp.path("resourced.sock");
  std::unique_ptr<ResourceServer> server;

  Rig() {
    for (const std::string name : {"a", "b", "c"}) {
      const std::string state = tmp.path(name + ".state");
      const std::string log = tmp.path("actions.log");
      tmp.script("resource.d/" + name,
                 "case \"$1\" in\n"
                 "  status) [ -f " + state + " ] && echo running || echo stopped ;;\n"
                 "  start) echo '" + name + " start begin' >> " + log + "; sleep 0.2; touch " +
                     state + "; echo '" + name + " start end' >> " + log + " ;;\n"
                 "  stop) echo '" + name + " stop begin' >> " + log + "; rm -f " + state +
                     "; echo '" + name + " stop end' >> " + log + " ;;\n"
                 "esac\n");
    }
  }

  void start_server(std::chrono::milliseconds lease = 60s) {
    ServerOptions o;
    o.policy.uids.push_back(::getuid());
    o.dirs.resource_d = tmp.path("resource.d");
    o.dirs.init_d = tmp.path("no-init.d");
    o.runner = runner_options_for(config, o.dirs, LaunchStrategy::kFork);
    o.default_lease = lease;
    auto fd = ipc::listen(socket, 0600);
    REQUIRE(fd);
    server = std::make_unique<ResourceServer>(loop, config, o, std::move(*fd));
  }

  helpers::ResourcedClientOptions client_options(std::uint32_t lease_ms = 60000) {
    helpers::ResourcedClientOptions o;
    o.socket_path = socket;
    o.config_hash = kHash;
    o.lease_ms = lease_ms;
    o.first_retry = 20ms;
    o.server_uid = ::getuid();
    return o;
  }

  std::vector<std::string> actions() const {
    std::ifstream in(tmp.path("actions.log"));
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }
  bool running(const std::string& name) const {
    return std::ifstream(tmp.path(name + ".state")).good();
  }
};

}  // namespace

TEST_CASE("server: start and status of a configured script are answered with one Reply each") {
  Rig rig;
  rig.start_server();
  helpers::ResourcedClient client(rig.loop, rig.client_options());
  client.start();
  std::optional<pr::Reply> start, status;
  client.request({0, 2}, pr::Op::kStart, [&](const pr::Reply& r) {
    start = r;
    client.request({0, 2}, pr::Op::kStatus, [&](const pr::Reply& s) { status = s; });
  });
  REQUIRE(run_until(rig.loop, [&] { return status.has_value(); }));
  CHECK(start->outcome == pr::Outcome::kOk);
  CHECK(start->state == pr::RunState::kRunning);
  CHECK(start->duration_ms >= 200);
  CHECK(status->state == pr::RunState::kRunning);
  CHECK(rig.running("b"));
}

TEST_CASE("server: two actions on the same resource never run at the same time") {
  Rig rig;
  rig.start_server();
  helpers::ResourcedClient client(rig.loop, rig.client_options());
  client.start();
  std::vector<pr::Reply> replies;
  client.request({0, 0}, pr::Op::kStart, [&](const pr::Reply& r) { replies.push_back(r); });
  client.request({0, 0}, pr::Op::kStop, [&](const pr::Reply& r) { replies.push_back(r); });
  REQUIRE(run_until(rig.loop, [&] { return replies.size() == 2; }));
  CHECK(rig.actions() ==
        std::vector<std::string>{"a start begin", "a start end", "a stop begin", "a stop end"});
  CHECK(replies[0].op == pr::Op::kStart);
  CHECK(replies[1].state == pr::RunState::kStopped);
}

TEST_CASE("server: a connection that breaks the rules is closed and the others are served") {
  Rig rig;
  rig.start_server();
  helpers::ResourcedClient client(rig.loop, rig.client_options());
  client.start();
  REQUIRE(run_until(rig.loop, [&] { return rig.server->connections() == 1; }));

  auto bad = ipc::Connection::connect(rig.loop, rig.socket);
  REQUIRE(bad);
  bool closed = false;
  (*bad)->start([](ipc::Frame) {}, [&](const Error&) { closed = true; });
  auto hello = pr::encode(proto::Hello{kOtherHash, 5000});
  REQUIRE(hello);
  auto frame = ipc::decode_frame(*hello);
  REQUIRE(frame);
  REQUIRE((*bad)->send(frame->type, frame->payload));
  REQUIRE(run_until(rig.loop, [&] { return closed; }));

  std::optional<pr::Reply> status;
  client.request({1, 0}, pr::Op::kStatus, [&](const pr::Reply& r) { status = r; });
  REQUIRE(run_until(rig.loop, [&] { return status.has_value(); }));
  CHECK(status->state == pr::RunState::kStopped);
  CHECK(client.connected());
}

TEST_CASE("server: when the lease runs out every script is stopped, last group first, "
          "right to left") {
  Rig rig;
  for (const std::string name : {"a", "b", "c"}) rig.tmp.file(name + ".state", "");
  rig.start_server(300ms);  // heartbeatd never connects
  REQUIRE(run_until(rig.loop, [&] { return rig.actions().size() == 6; }, 5s));
  CHECK(rig.actions() == std::vector<std::string>{"c stop begin", "c stop end", "b stop begin",
                                                  "b stop end", "a stop begin", "a stop end"});
  CHECK_FALSE(rig.running("a"));
}

TEST_CASE("server: the lease does not run while heartbeatd is connected, and does once it left") {
  Rig rig;
  rig.tmp.file("c.state", "");
  rig.start_server(150ms);
  auto client = std::make_unique<helpers::ResourcedClient>(rig.loop, rig.client_options(150));
  client->start();
  REQUIRE(run_until(rig.loop, [&] { return rig.server->lease_held(); }));
  run_for(rig.loop, 500ms);
  CHECK(rig.actions().empty());
  CHECK(rig.running("c"));

  client.reset();  // heartbeatd goes away
  REQUIRE(run_until(rig.loop, [&] { return !rig.running("c"); }, 3s));
  CHECK_FALSE(rig.server->lease_held());
}
