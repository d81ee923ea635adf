// heartbeatd's control socket under abuse from a local client (issue 15):
// too many clients, a client that says nothing, every malformed frame,
// every message outside the control vocabulary or its direction, a class
// out of range, a reader that never reads. Each is closed with one log
// line naming the peer's pid and uid, and a well-formed client is served
// afterwards.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "common/ipc/connection.h"
#include "common/ipc/socket.h"
#include "common/proto/control_messages.h"
#include "heartbeatd/control/control_server.h"
#include "tests/common/ipc_abuse.h"
#include "tests/common/temp_dir.h"
#include "tests/proto/status_fixture.h"

using namespace vigil;
using namespace vigil::control;
using namespace std::chrono_literals;
namespace ctl = proto::control;
namespace abuse = vigil::test::abuse;

namespace {

constexpr std::size_t kLimit = 4;

ipc::Bytes encoded(const ctl::Message& m) {
  auto bytes = ctl::encode(m);
  REQUIRE(bytes);
  return *bytes;
}

struct Provider : StatusProvider, CommandSink {
  ctl::StatusReply status() override { return testing::sample_status(); }
  ctl::CommandReply standby(ctl::ResourceClass) override { return ctl::CommandReply{true, ""}; }
  ctl::CommandReply takeover(ctl::ResourceClass) override { return ctl::CommandReply{true, ""}; }
  // DRBD's fence-peer: answered when the test says (the peer's answer).
  void outdate_peer(const ctl::OutdatePeerRequest&, OutdateAnswer answer) override {
    outdate_waiting.push_back(std::move(answer));
  }
  std::vector<OutdateAnswer> outdate_waiting;
};

struct Rig {
  explicit Rig(Duration idle = 200ms) {
    auto fd = ipc::listen(socket, 0600);
    REQUIRE(fd);
    // Our own user may read and, through our primary group, command.
    server = std::make_unique<ControlServer>(
        loop, std::move(*fd), ControlPolicy{::getuid(), ::getgid(), std::nullopt, false}, provider,
        provider, ControlLimits{kLimit, idle});
  }

  // A StatusRequest answered with a StatusReply.
  bool served() {
    auto c = ipc::Connection::connect(loop, socket);
    REQUIRE(c);
    bool answered = false;
    (*c)->start(
        [&](ipc::Frame f) {
          auto m = ctl::decode(f);
          answered = m && std::holds_alternative<ctl::StatusReply>(*m);
        },
        [](const Error&) {});
    REQUIRE((*c)->send(static_cast<std::uint16_t>(ctl::Type::kStatusRequest), {}));
    return test::run_until(loop, [&] { return answered; });
  }

  abuse::Target target() {
    return abuse::Target{loop, socket, [this] { return server->client_count(); },
                         [](abuse::RawClient&) {}, [this] { return served(); }};
  }

  test::TempDir dir;
  std::string socket = dir.file("control.sock");
  EventLoop loop;
  Provider provider;
  std::unique_ptr<ControlServer> server;
};

}  // namespace

TEST_CASE("control abuse: a client beyond the limit is closed on accept and logged once") {
  Rig rig;
  auto t = rig.target();
  abuse::check_connection_limit(t, kLimit);
}

TEST_CASE("control abuse: a client that never sends a frame is closed after the idle limit") {
  Rig rig;
  auto t = rig.target();
  abuse::check_silence(t, false);
}

TEST_CASE("control abuse: every malformed frame closes the connection, logged once") {
  Rig rig;
  auto t = rig.target();
  abuse::check_every_malformed_frame(t);
}

TEST_CASE("control abuse: every type or class outside the vocabulary is refused, logged once") {
  Rig rig;
  auto t = rig.target();
  auto type = [](ctl::Type v) { return static_cast<std::uint16_t>(v); };
  const std::vector<std::pair<std::string, ipc::Bytes>> cases = {
      {"type 0", abuse::frame_bytes(0, {})},
      {"type 10", abuse::frame_bytes(10, {})},
      {"an events request without its seq", abuse::frame_bytes(6, {})},
      {"type 0xffff", abuse::frame_bytes(0xFFFF, {})},
      {"a StatusReply", encoded(testing::sample_status())},
      {"a CommandReply", encoded(ctl::CommandReply{true, ""})},
      {"standby class 4", abuse::frame_bytes(type(ctl::Type::kStandby), {4})},
      {"standby class 255", abuse::frame_bytes(type(ctl::Type::kStandby), {255})},
      {"takeover class 4", abuse::frame_bytes(type(ctl::Type::kTakeover), {4})},
      {"a status request with a payload", abuse::frame_bytes(type(ctl::Type::kStatusRequest), {0})},
      {"a standby without its class", abuse::frame_bytes(type(ctl::Type::kStandby), {})},
      {"a standby with a trailing byte", abuse::frame_bytes(type(ctl::Type::kStandby), {0, 0})},
      {"a takeover without its class", abuse::frame_bytes(type(ctl::Type::kTakeover), {})},
      {"a takeover with a trailing byte", abuse::frame_bytes(type(ctl::Type::kTakeover), {0, 0})},
  };
  abuse::check_each_refused(t, cases);
}

TEST_CASE("control abuse: a client that never reads its replies is cut off, logged once") {
  Rig rig;
  auto t = rig.target();
  abuse::check_slow_reader(
      t, abuse::frame_bytes(static_cast<std::uint16_t>(ctl::Type::kStatusRequest), {}));
}

// Not abuse, but the same rig: the one request answered later (issue 14).
TEST_CASE("control: an outdate-peer request is answered when the peer's answer comes") {
  Rig rig(5s);  // the handler is silent while it waits; not idle
  auto c = ipc::Connection::connect(rig.loop, rig.socket);
  REQUIRE(c);
  std::optional<ctl::Message> reply;
  (*c)->start([&](ipc::Frame f) { reply = *ctl::decode(f); }, [](const Error&) {});
  const auto bytes = encoded(ctl::OutdatePeerRequest{"r0", "", 5000});
  auto frame = ipc::decode_frame(bytes);
  REQUIRE((*c)->send(frame->type, frame->payload));
  REQUIRE(test::run_until(rig.loop, [&] { return rig.provider.outdate_waiting.size() == 1; }));
  CHECK_FALSE(test::run_until(
      rig.loop, [&] { return reply.has_value(); }, 50ms));
  rig.provider.outdate_waiting[0]({4, "node2 answered outdated"});
  REQUIRE(test::run_until(rig.loop, [&] { return reply.has_value(); }));
  CHECK(*reply == ctl::Message{ctl::OutdatePeerReply{4, "node2 answered outdated"}});
  CHECK(rig.served());  // the server goes on
}

TEST_CASE("control: a request sent while an outdate-peer answer is awaited closes the client") {
  Rig rig(5s);
  auto c = ipc::Connection::connect(rig.loop, rig.socket);
  REQUIRE(c);
  bool closed = false;
  (*c)->start([](ipc::Frame) {}, [&](const Error&) { closed = true; });
  const auto bytes = encoded(ctl::OutdatePeerRequest{"r0", "", 5000});
  auto frame = ipc::decode_frame(bytes);
  REQUIRE((*c)->send(frame->type, frame->payload));
  REQUIRE(test::run_until(rig.loop, [&] { return rig.provider.outdate_waiting.size() == 1; }));
  REQUIRE((*c)->send(static_cast<std::uint16_t>(ctl::Type::kStatusRequest), {}));
  REQUIRE(test::run_until(rig.loop, [&] { return closed; }));
  // The answer that comes after finds nobody and does nothing.
  rig.provider.outdate_waiting[0]({4, "late"});
  CHECK(rig.server->client_count() == 0);
}
