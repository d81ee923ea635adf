// heartbeatd's client of resourced (heartbeatd/helpers/resourced_client.h)
// against an in-process server speaking the vocabulary, in a temp dir.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "common/event_loop.h"
#include "common/ipc/server.h"
#include "common/proto/resourced_messages.h"
#include "common/timer.h"
#include "heartbeatd/helpers/resourced_client.h"
#include "tests/resourced/temp_tree.h"

using namespace vigil;
using namespace std::chrono_literals;
namespace pr = vigil::proto::resourced;
using vigil::helpers::ResourcedClient;
using vigil::helpers::ResourcedClientOptions;

namespace {

const std::string kHash(64, 'c');

// Accepts connections, records what they send, answers on demand.
class FakeResourced {
 public:
  FakeResourced(EventLoop& loop, const std::string& path) {
    ipc::PeerPolicy policy;
    policy.uids.push_back(::getuid());
    auto s =
        ipc::Server::listen(loop, path, 0600, policy, [this](std::unique_ptr<ipc::Connection> c) {
          ipc::Connection* raw = c.get();
          connections.push_back(std::move(c));
          last = raw;
          raw->start(
              [this, raw](ipc::Frame f) {
                auto m = pr::decode(f);
                REQUIRE(m);
                received.push_back(*m);
                last = raw;
              },
              [](const Error&) {});
        });
    REQUIRE(s);
    server = std::move(*s);
  }

  void reply(const pr::Reply& r) {
    auto bytes = pr::encode(r);
    REQUIRE(bytes);
    auto frame = ipc::decode_frame(*bytes);
    REQUIRE(frame);
    REQUIRE(last != nullptr);
    REQUIRE(last->send(frame->type, frame->payload));
  }

  template <typename T>
  std::vector<T> all() const {
    std::vector<T> out;
    for (const auto& m : received)
      if (const auto* v = std::get_if<T>(&m)) out.push_back(*v);
    return out;
  }

  std::unique_ptr<ipc::Server> server;
  std::vector<std::unique_ptr<ipc::Connection>> connections;
  std::vector<pr::Message> received;
  ipc::Connection* last = nullptr;
};

bool run_until(EventLoop& loop, const std::function<bool()>& done,
               Duration timeout = std::chrono::seconds(3)) {
  const MonoTime end = MonoClock::now() + timeout;
  Timer tick(loop, [] {});
  while (!done()) {
    if (MonoClock::now() >= end) return false;
    tick.arm_after(10ms);
    (void)loop.run_once();
  }
  return true;
}

ResourcedClientOptions options_for(const std::string& path) {
  ResourcedClientOptions o;
  o.socket_path = path;
  o.config_hash = kHash;
  o.lease_ms = 4000;
  o.first_retry = 20ms;
  o.max_retry = 100ms;
  o.server_uid = ::getuid();
  return o;
}

}  // namespace

TEST_CASE("client: connects, says Hello with our hash and lease, reports connected") {
  resourced::testing::TempTree tmp;
  const std::string path = tmp.path("resourced.sock");
  EventLoop loop;
  FakeResourced server(loop, path);
  std::vector<bool> states;
  ResourcedClient client(loop, options_for(path), [&](bool up) { states.push_back(up); });
  client.start();
  REQUIRE(run_until(loop, [&] { return !server.received.empty(); }));
  CHECK(server.all<proto::Hello>() == std::vector<proto::Hello>{{kHash, 4000}});
  CHECK(client.connected());
  CHECK(states == std::vector<bool>{true});
}

TEST_CASE("client: a request is sent with an id and answered through its own callback") {
  resourced::testing::TempTree tmp;
  const std::string path = tmp.path("resourced.sock");
  EventLoop loop;
  FakeResourced server(loop, path);
  ResourcedClient client(loop, options_for(path));
  client.start();
  std::optional<pr::Reply> first, second;
  const auto id1 = client.request({0, 1}, pr::Op::kStart, [&](const pr::Reply& r) { first = r; });
  const auto id2 = client.request({1, 0}, pr::Op::kStatus, [&](const pr::Reply& r) { second = r; });
  CHECK(id1 != id2);
  REQUIRE(run_until(loop, [&] { return server.all<pr::Request>().size() == 2; }));
  const auto requests = server.all<pr::Request>();
  CHECK(requests[0] == pr::Request{id1, kHash, {0, 1}, pr::Op::kStart});
  CHECK(requests[1] == pr::Request{id2, kHash, {1, 0}, pr::Op::kStatus});
  pr::Reply r;
  r.request_id = id2;
  r.op = pr::Op::kStatus;
  r.state = pr::RunState::kRunning;
  server.reply(r);
  REQUIRE(run_until(loop, [&] { return second.has_value(); }));
  CHECK(second->state == pr::RunState::kRunning);
  CHECK_FALSE(first.has_value());
  CHECK(client.in_flight() == 1);
}

TEST_CASE("client: when resourced restarts it reconnects and re-sends the requests in flight") {
  resourced::testing::TempTree tmp;
  const std::string path = tmp.path("resourced.sock");
  EventLoop loop;
  auto server = std::make_unique<FakeResourced>(loop, path);
  std::vector<bool> states;
  ResourcedClient client(loop, options_for(path), [&](bool up) { states.push_back(up); });
  client.start();
  int replies = 0;
  const auto id = client.request({0, 0}, pr::Op::kStop, [&](const pr::Reply&) { ++replies; });
  REQUIRE(run_until(loop, [&] { return server->all<pr::Request>().size() == 1; }));

  server.reset();  // resourced dies with the request in flight
  REQUIRE(run_until(loop, [&] { return !client.connected(); }));
  server = std::make_unique<FakeResourced>(loop, path);
  REQUIRE(run_until(loop, [&] { return server->all<pr::Request>().size() == 1; }));
  CHECK(std::holds_alternative<proto::Hello>(server->received.front()));
  CHECK(server->all<pr::Request>()[0].request_id == id);
  CHECK(states == std::vector<bool>{true, false, true});

  pr::Reply r;
  r.request_id = id;
  r.op = pr::Op::kStop;
  server->reply(r);
  REQUIRE(run_until(loop, [&] { return replies == 1; }));
  CHECK(client.in_flight() == 0);
}

TEST_CASE("client: a request made before resourced listens is sent once it connects") {
  resourced::testing::TempTree tmp;
  const std::string path = tmp.path("resourced.sock");
  EventLoop loop;
  ResourcedClient client(loop, options_for(path));
  client.start();
  client.request({2, 3}, pr::Op::kStart, [](const pr::Reply&) {});
  CHECK_FALSE(client.connected());
  FakeResourced server(loop, path);
  REQUIRE(run_until(loop, [&] { return server.all<pr::Request>().size() == 1; }));
  CHECK(server.all<pr::Request>()[0].place == proto::ResourcePlace{2, 3});
}

TEST_CASE("client: a Reply to a request it never sent closes the connection, then reconnects") {
  resourced::testing::TempTree tmp;
  const std::string path = tmp.path("resourced.sock");
  EventLoop loop;
  FakeResourced server(loop, path);
  std::vector<bool> states;
  ResourcedClient client(loop, options_for(path), [&](bool up) { states.push_back(up); });
  client.start();
  REQUIRE(run_until(loop, [&] { return !server.received.empty(); }));
  pr::Reply bogus;
  bogus.request_id = 999;
  server.reply(bogus);
  REQUIRE(run_until(loop, [&] { return server.all<proto::Hello>().size() == 2; }));
  CHECK(states == std::vector<bool>{true, false, true});
}

TEST_CASE("client: a socket served by another uid than resourced's is not trusted") {
  resourced::testing::TempTree tmp;
  const std::string path = tmp.path("resourced.sock");
  EventLoop loop;
  FakeResourced server(loop, path);
  auto opts = options_for(path);
  opts.server_uid = ::getuid() + 1;
  ResourcedClient client(loop, opts);
  client.start();
  client.request({0, 0}, pr::Op::kStart, [](const pr::Reply&) {});
  CHECK_FALSE(run_until(
      loop, [&] { return !server.received.empty(); }, 300ms));
  CHECK_FALSE(client.connected());
}

TEST_CASE(
    "client: a resourced back after a long absence is reached within a quarter of the lease") {
  // A restarted resourced stops everything unless heartbeatd says Hello
  // within a lease of its start, however long it was gone (retry_backoff.h).
  resourced::testing::TempTree tmp;
  const std::string path = tmp.path("resourced.sock");
  EventLoop loop;
  auto options = options_for(path);
  options.max_retry = 5s;
  options.lease_ms = 200;  // attempts at most 50 ms apart
  ResourcedClient client(loop, options);
  client.start();
  (void)run_until(
      loop, [] { return false; }, 1300ms);  // doubling alone: next try near 2.5 s
  REQUIRE_FALSE(client.connected());
  FakeResourced server(loop, path);
  const auto back = MonoClock::now();
  REQUIRE(run_until(loop, [&] { return client.connected(); }));
  CHECK(MonoClock::now() - back < 400ms);
}
