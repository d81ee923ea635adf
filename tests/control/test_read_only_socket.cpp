// The read-only control socket (status.sock, permission.h): a peer the
// policy admits reads status, events and metrics; standby and takeover are
// refused, the connection closed and the refusal counted, even for a peer
// that could command on control.sock.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <memory>
#include <optional>

#include "common/event_loop.h"
#include "common/ipc/connection.h"
#include "common/ipc/frame.h"
#include "common/ipc/socket.h"
#include "heartbeatd/control/control_server.h"
#include "tests/common/loop_helpers.h"
#include "tests/common/temp_dir.h"
#include "tests/proto/status_fixture.h"

using namespace vigil;
using namespace vigil::control;
namespace ctl = vigil::proto::control;

namespace {

struct Provider : StatusProvider, CommandSink, ObservationProvider {
  ctl::StatusReply status() override { return testing::sample_status(); }
  ctl::CommandReply standby(ctl::ResourceClass) override {
    ++commands;
    return ctl::CommandReply{true, ""};
  }
  ctl::CommandReply takeover(ctl::ResourceClass) override {
    ++commands;
    return ctl::CommandReply{true, ""};
  }
  ctl::EventsReply events(std::uint64_t) override { return ctl::EventsReply{{}, false, 0}; }
  ctl::MetricsReply metrics() override { return ctl::MetricsReply{"vigil_build_info 1\n"}; }
  int commands = 0;
};

struct Rig {
  explicit Rig(bool read_only) {
    auto fd = ipc::listen(socket, 0600);
    REQUIRE(fd);
    // Our own user, with our primary group as haclient: may command on
    // control.sock.
    ControlPolicy policy{::getuid(), ::getgid(), std::nullopt, read_only};
    server = std::make_unique<ControlServer>(loop, std::move(*fd), policy, provider, provider,
                                             ControlLimits{}, &provider);
  }

  // The reply to `request`, or nullopt if the server closed the connection.
  std::optional<ctl::Message> ask(const ctl::Message& request) {
    auto c = ipc::Connection::connect(loop, socket);
    REQUIRE(c);
    std::optional<ctl::Message> reply;
    bool closed = false;
    (*c)->start(
        [&](ipc::Frame f) {
          if (auto m = ctl::decode(f)) reply = std::move(*m);
        },
        [&](const Error&) { closed = true; });
    auto bytes = ctl::encode(request);
    REQUIRE(bytes);
    auto frame = ipc::decode_frame(*bytes);
    REQUIRE(frame);
    REQUIRE((*c)->send(frame->type, frame->payload));
    REQUIRE(test::run_until(loop, [&] { return reply.has_value() || closed; }));
    return reply;
  }

  test::TempDir dir;
  std::string socket = dir.file("status.sock");
  EventLoop loop;
  Provider provider;
  std::unique_ptr<ControlServer> server;
};

}  // namespace

TEST_CASE("read-only socket: status, events and metrics are answered") {
  Rig rig(true);
  auto status = rig.ask(ctl::StatusRequest{});
  REQUIRE(status);
  CHECK(std::holds_alternative<ctl::StatusReply>(*status));
  auto events = rig.ask(ctl::EventsRequest{0});
  REQUIRE(events);
  CHECK(std::holds_alternative<ctl::EventsReply>(*events));
  auto metrics = rig.ask(ctl::MetricsRequest{});
  REQUIRE(metrics);
  CHECK(std::get<ctl::MetricsReply>(*metrics).text == "vigil_build_info 1\n");
  CHECK(rig.server->refused_count() == 0);
}

TEST_CASE("read-only socket: standby and takeover are refused and never reach the engine") {
  Rig rig(true);
  CHECK_FALSE(rig.ask(ctl::Standby{ctl::ResourceClass::kAll}));
  CHECK_FALSE(rig.ask(ctl::Takeover{ctl::ResourceClass::kAll}));
  CHECK(rig.provider.commands == 0);
  CHECK(rig.server->refused_count() == 2);
}

TEST_CASE("read-only socket: the same peer may command on the control socket") {
  Rig rig(false);
  auto reply = rig.ask(ctl::Standby{ctl::ResourceClass::kAll});
  REQUIRE(reply);
  CHECK(std::get<ctl::CommandReply>(*reply).accepted);
  CHECK(rig.provider.commands == 1);
}
