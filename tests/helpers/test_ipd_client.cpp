// heartbeatd's IpdClient against an in-process ipd (VipServer with a fake
// backend) in a temp dir, and against a raw server that misbehaves.
#include <unistd.h>

#include <catch2/catch.hpp>

#include "common/ipc/server.h"
#include "common/ipc/socket.h"
#include "common/log.h"
#include "heartbeatd/helpers/ipd_client.h"
#include "ipd/server.h"
#include "tests/ipd/server_fixture.h"

using namespace vigil;
using namespace vigil::ipd;
using namespace std::chrono_literals;
using helpers::IpdClient;
using helpers::IpdClientOptions;
using testing::config_with;
using testing::FakeVips;
using testing::kHash;
using testing::run_for;
using testing::run_until;
using testing::TempDir;
namespace pi = proto::ipd;

namespace {

const conf::Config& config() {
  static const conf::Config c =
      config_with({{"IPaddr2::192.0.2.50/24/eth1", "httpd"}, {"192.0.2.60"}});
  return c;
}

IpdClientOptions options_for(const std::string& path) {
  IpdClientOptions o;
  o.socket_path = path;
  o.config_hash = kHash;
  o.lease_ms = 2000;
  o.first_retry = 20ms;
  o.max_retry = 100ms;
  o.server_uid = ::getuid();
  return o;
}

// ipd as heartbeatd meets it: a VipServer serving `path`.
struct Ipd {
  Ipd(EventLoop& loop, const std::string& path, FakeVips& vips) {
    ServerOptions options;
    options.policy.uids = {::getuid()};
    auto fd = ipc::listen(path, 0600);
    REQUIRE(fd);
    server = std::make_unique<VipServer>(loop, config(), vips, options, std::move(*fd));
  }
  std::unique_ptr<VipServer> server;
};

// Accepts, reads and never answers unless told to.
struct SilentServer {
  SilentServer(EventLoop& loop, const std::string& path) {
    ipc::PeerPolicy policy;
    policy.uids = {::getuid()};
    auto s =
        ipc::Server::listen(loop, path, 0600, policy, [this](std::unique_ptr<ipc::Connection> c) {
          ipc::Connection* raw = c.get();
          connections.push_back(std::move(c));
          raw->start([this](ipc::Frame f) { frames.push_back(f); }, [](const Error&) {});
        });
    REQUIRE(s);
    server = std::move(*s);
  }
  void answer(const pi::Message& m) {
    auto bytes = pi::encode(m);
    REQUIRE(bytes);
    auto frame = ipc::decode_frame(*bytes);
    REQUIRE(frame);
    REQUIRE(connections.back()->send(frame->type, frame->payload));
  }
  std::unique_ptr<ipc::Server> server;
  std::vector<std::unique_ptr<ipc::Connection>> connections;
  std::vector<ipc::Frame> frames;
};

}  // namespace

TEST_CASE("ipd client: add says Hello first, then is answered with ipd's Result") {
  TempDir dir;
  EventLoop loop;
  FakeVips vips;
  Ipd ipd(loop, dir.path("ipd.sock"), vips);
  IpdClient client(loop, options_for(dir.path("ipd.sock")));
  client.start();
  std::optional<pi::Result> result;
  client.add({0, 0}, [&](const pi::Result& r) { result = r; });
  REQUIRE(run_until(loop, [&] { return result.has_value(); }));
  CHECK(result->outcome == pi::Outcome::kOk);
  CHECK(vips.present.count("IPaddr2::192.0.2.50/24/eth1") == 1);
  CHECK(ipd.server->lease_held());
  CHECK(client.in_flight() == 0);
}

TEST_CASE("ipd client: remove is answered and the VIP is released") {
  TempDir dir;
  EventLoop loop;
  FakeVips vips;
  vips.present.insert("192.0.2.60");
  Ipd ipd(loop, dir.path("ipd.sock"), vips);
  IpdClient client(loop, options_for(dir.path("ipd.sock")));
  client.start();
  std::optional<pi::Result> result;
  client.remove({1, 0}, [&](const pi::Result& r) { result = r; });
  REQUIRE(run_until(loop, [&] { return result.has_value(); }));
  CHECK(result->outcome == pi::Outcome::kOk);
  CHECK(vips.present.empty());
}

TEST_CASE("ipd client: list tells what the node holds") {
  TempDir dir;
  EventLoop loop;
  FakeVips vips;
  vips.present.insert("192.0.2.60");
  Ipd ipd(loop, dir.path("ipd.sock"), vips);
  IpdClient client(loop, options_for(dir.path("ipd.sock")));
  client.start();
  std::optional<pi::VipList> list;
  client.list([&](const pi::VipList& l) { list = l; });
  REQUIRE(run_until(loop, [&] { return list.has_value(); }));
  CHECK(list->vips == std::vector<pi::VipState>{{{0, 0}, false}, {{1, 0}, true}});
}

TEST_CASE("ipd client: requests made before ipd listens are sent once it is up") {
  TempDir dir;
  EventLoop loop;
  FakeVips vips;
  IpdClient client(loop, options_for(dir.path("ipd.sock")));
  client.start();
  std::optional<pi::Result> result;
  client.add({1, 0}, [&](const pi::Result& r) { result = r; });
  run_for(loop, 150ms);
  CHECK_FALSE(client.connected());
  CHECK_FALSE(result.has_value());
  Ipd ipd(loop, dir.path("ipd.sock"), vips);
  REQUIRE(run_until(loop, [&] { return result.has_value(); }));
  CHECK(client.connected());
  CHECK(vips.present.count("192.0.2.60") == 1);
}

TEST_CASE("ipd client: a request cut off by an ipd restart is sent again to the new ipd") {
  TempDir dir;
  EventLoop loop;
  FakeVips vips;
  IpdClient client(loop, options_for(dir.path("ipd.sock")));
  std::optional<pi::Result> result;
  {
    SilentServer old_ipd(loop, dir.path("ipd.sock"));
    client.start();
    client.add({0, 0}, [&](const pi::Result& r) { result = r; });
    REQUIRE(run_until(loop, [&] { return old_ipd.frames.size() == 2; }));
    CHECK(old_ipd.frames[0].type == static_cast<std::uint16_t>(pi::Type::kHello));
    CHECK(old_ipd.frames[1].type == static_cast<std::uint16_t>(pi::Type::kAddVip));
  }  // the old ipd dies without answering
  REQUIRE(run_until(loop, [&] { return !client.connected(); }));
  CHECK(client.in_flight() == 1);
  Ipd ipd(loop, dir.path("ipd.sock"), vips);
  REQUIRE(run_until(loop, [&] { return result.has_value(); }));
  CHECK(result->outcome == pi::Outcome::kOk);
  CHECK(vips.calls == std::vector<std::string>{"acquire IPaddr2::192.0.2.50/24/eth1"});
}

TEST_CASE("ipd client: events from ipd reach the event callback") {
  TempDir dir;
  EventLoop loop;
  FakeVips vips;
  Ipd ipd(loop, dir.path("ipd.sock"), vips);
  std::vector<pi::Event> events;
  IpdClient client(loop, options_for(dir.path("ipd.sock")),
                   [&](const pi::Event& e) { events.push_back(e); });
  client.start();
  REQUIRE(run_until(loop, [&] { return ipd.server->lease_held(); }));
  ipd.server->on_watch_event(
      WatchEvent{WatchEvent::Kind::kVipRemoved, 3, "eth1", IpAddress::parse("192.0.2.60")});
  REQUIRE(run_until(loop, [&] { return !events.empty(); }));
  CHECK(events.front() == pi::Event{pi::EventKind::kVipLost, {1, 0}, "eth1"});
}

TEST_CASE("ipd client: the state callback reports ipd going away and coming back") {
  TempDir dir;
  EventLoop loop;
  FakeVips vips;
  std::vector<bool> states;
  IpdClient client(loop, options_for(dir.path("ipd.sock")), {},
                   [&](bool up) { states.push_back(up); });
  auto ipd = std::make_unique<Ipd>(loop, dir.path("ipd.sock"), vips);
  client.start();
  REQUIRE(run_until(loop, [&] { return states.size() == 1; }));
  ipd.reset();
  REQUIRE(run_until(loop, [&] { return states.size() == 2; }));
  ipd = std::make_unique<Ipd>(loop, dir.path("ipd.sock"), vips);
  REQUIRE(run_until(loop, [&] { return states.size() == 3; }));
  CHECK(states == std::vector<bool>{true, false, true});
}

TEST_CASE("ipd client: a server that is not the expected uid is not trusted") {
  TempDir dir;
  EventLoop loop;
  FakeVips vips;
  log::ScopedCapture capture;
  Ipd ipd(loop, dir.path("ipd.sock"), vips);
  auto options = options_for(dir.path("ipd.sock"));
  options.server_uid = ::getuid() + 4242;
  IpdClient client(loop, options);
  client.start();
  client.add({0, 0}, [](const pi::Result&) {});
  run_for(loop, 200ms);
  CHECK_FALSE(client.connected());
  CHECK(vips.calls.empty());
  CHECK(capture.contains("not ipd"));
}

TEST_CASE("ipd client: an answer to no pending request drops the connection") {
  TempDir dir;
  EventLoop loop;
  std::vector<bool> states;
  SilentServer liar(loop, dir.path("ipd.sock"));
  IpdClient client(loop, options_for(dir.path("ipd.sock")), {},
                   [&](bool up) { states.push_back(up); });
  client.start();
  REQUIRE(run_until(loop, [&] { return !liar.frames.empty(); }));
  liar.answer(pi::Result{999, pi::Outcome::kOk, ""});
  REQUIRE(run_until(loop, [&] { return states.size() >= 2; }));
  CHECK(states[0]);
  CHECK_FALSE(states[1]);
}

TEST_CASE("ipd client: an ipd back after a long absence is reached within a quarter of the lease") {
  // A restarted ipd releases everything unless heartbeatd says Hello within
  // a lease of its start, however long it was gone (retry_backoff.h).
  TempDir dir;
  EventLoop loop;
  FakeVips vips;
  auto options = options_for(dir.path("ipd.sock"));
  options.max_retry = 5s;
  options.lease_ms = 200;  // attempts at most 50 ms apart
  IpdClient client(loop, options);
  client.start();
  run_for(loop, 1300ms);  // unbounded doubling would next try at about 2.5 s
  REQUIRE_FALSE(client.connected());
  Ipd ipd(loop, dir.path("ipd.sock"), vips);
  const auto back = MonoClock::now();
  REQUIRE(run_until(loop, [&] { return client.connected(); }));
  CHECK(MonoClock::now() - back < 400ms);
}
