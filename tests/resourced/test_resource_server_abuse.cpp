// resourced's server under abuse from a fake heartbeatd (issue 15): too
// many connections, a connection that says nothing, every malformed frame,
// every message outside resourced's vocabulary or direction, a Request or
// Task with a kind, index or operation outside the vocabulary. Each is
// closed with one log line naming the peer's pid and uid, and a
// well-formed heartbeatd is served afterwards. (A reader that never reads is proven on ipd's server
// and on Connection: every resourced reply costs an agent run, and the
// path, HelperServer::send, is the same.)
#include <unistd.h>

#include <catch2/catch.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "common/ipc/connection.h"
#include "common/ipc/socket.h"
#include "common/proto/resourced_messages.h"
#include "resourced/server.h"
#include "server_config.h"
#include "temp_tree.h"
#include "tests/common/ipc_abuse.h"

using namespace vigil;
using namespace vigil::resourced;
using namespace vigil::resourced::testing;
using namespace std::chrono_literals;
namespace pr = proto::resourced;
namespace abuse = vigil::test::abuse;

namespace {

constexpr std::size_t kLimit = 4;

ipc::Bytes encoded(const pr::Message& m) {
  auto bytes = pr::encode(m);
  REQUIRE(bytes);
  return *bytes;
}

struct Rig {
  Rig() {
    tmp.script("resource.d/a", "echo stopped\n");
    ServerOptions o;
    o.policy.uids = {::getuid()};
    o.dirs.resource_d = tmp.path("resource.d");
    o.dirs.init_d = tmp.path("no-init.d");
    o.runner = runner_options_for(config, o.dirs, LaunchStrategy::kFork);
    o.default_lease = 60s;
    o.limits.max_connections = kLimit;
    o.limits.first_frame_within = 200ms;
    auto fd = ipc::listen(socket, 0600);
    REQUIRE(fd);
    server = std::make_unique<ResourceServer>(loop, config, o, std::move(*fd));
  }

  // Hello, then the status of `a`: true once its Reply came back.
  bool served() {
    auto c = ipc::Connection::connect(loop, socket);
    REQUIRE(c);
    std::optional<pr::Reply> reply;
    (*c)->start(
        [&](ipc::Frame f) {
          auto m = pr::decode(f);
          if (m && std::holds_alternative<pr::Reply>(*m)) reply = std::get<pr::Reply>(*m);
        },
        [](const Error&) {});
    for (const auto& m : {pr::Message{proto::Hello{kHash, 60000}},
                          pr::Message{pr::Request{9, kHash, {0, 0}, pr::Op::kStatus}}}) {
      auto frame = ipc::decode_frame(encoded(m));
      REQUIRE(frame);
      REQUIRE((*c)->send(frame->type, frame->payload));
    }
    return test::run_until(loop, [&] { return reply.has_value(); }) && reply->request_id == 9;
  }

  abuse::Target target() {
    return abuse::Target{loop, socket, [this] { return server->connections(); },
                         [](abuse::RawClient& c) {
                           c.send(encoded(proto::Hello{kHash, 60000}));
                         },
                         [this] { return served(); }};
  }

  TempTree tmp;
  conf::Config config = config_with({{"a"}});
  EventLoop loop;
  std::string socket = tmp.path("resourced.sock");
  std::unique_ptr<ResourceServer> server;
};

}  // namespace

TEST_CASE("resourced abuse: a connection beyond the limit is closed on accept and logged once") {
  Rig rig;
  auto t = rig.target();
  abuse::check_connection_limit(t, kLimit);
}

TEST_CASE("resourced abuse: a connection that never sends a frame is closed after the deadline") {
  Rig rig;
  auto t = rig.target();
  abuse::check_silence(t, false);
}

TEST_CASE("resourced abuse: every malformed frame closes the connection, logged once") {
  Rig rig;
  auto t = rig.target();
  abuse::check_every_malformed_frame(t);
}

TEST_CASE(
    "resourced abuse: every type, task kind or operation outside the vocabulary is refused, "
    "logged once") {
  Rig rig;
  auto t = rig.target();
  const ipc::Bytes request = encoded(pr::Request{1, kHash, {0, 0}, pr::Op::kStatus});
  REQUIRE(request.back() == static_cast<std::uint8_t>(pr::Op::kStatus));
  // A Task's payload: u32 id, hash (u16 length + 64), u8 kind, u16 index,
  // u8 op (common/proto/resourced_messages.h).
  const ipc::Bytes task =
      encoded(pr::Task{1, kHash, pr::TaskKind::kRespawn, 0, pr::Op::kStatus, {}});
  constexpr std::size_t kTaskKindAt = ipc::kFrameHeaderSize + 4 + 2 + 64;
  constexpr std::size_t kTaskIndexAt = kTaskKindAt + 1;  // high byte: 0xFF.. is past the limit
  constexpr std::size_t kTaskOpAt = kTaskKindAt + 3;
  REQUIRE(task.size() == kTaskOpAt + 1);
  REQUIRE(task[kTaskKindAt] == static_cast<std::uint8_t>(pr::TaskKind::kRespawn));
  auto with_task = [&](std::size_t at, std::uint8_t value) {
    ipc::Bytes b = task;
    b[at] = value;
    return b;
  };
  auto with_op = [&](std::uint8_t op) {
    ipc::Bytes b = request;
    b.back() = op;
    return b;
  };
  const std::vector<std::pair<std::string, ipc::Bytes>> cases = {
      {"type 0", abuse::frame_bytes(0, {})},
      {"type 6", abuse::frame_bytes(6, {})},
      {"type 0xffff", abuse::frame_bytes(0xFFFF, {})},
      {"a Reply",
       encoded(pr::Reply{1, pr::Op::kStatus, pr::Outcome::kOk, pr::RunState::kStopped, 0, 0, ""})},
      {"operation 0", with_op(0)},
      {"operation 4", with_op(4)},
      {"operation 255", with_op(255)},
      {"task kind 0", with_task(kTaskKindAt, 0)},
      // 3 kMonitor, 4 kFence, 6 kWatchdog; 5 is reserved (kOutdatePeer) and
      // not accepted yet (resourced_messages.h).
      {"task kind 5", with_task(kTaskKindAt, 5)},
      {"task kind 7", with_task(kTaskKindAt, 7)},
      {"monitor task that starts",
       [&] {
         ipc::Bytes b = with_task(kTaskKindAt, static_cast<std::uint8_t>(pr::TaskKind::kMonitor));
         b[kTaskOpAt] = static_cast<std::uint8_t>(pr::Op::kStart);
         return b;
       }()},
      {"task kind 255", with_task(kTaskKindAt, 255)},
      {"task index past the limit", with_task(kTaskIndexAt, 0xFF)},
      {"task operation 0", with_task(kTaskOpAt, 0)},
      {"task operation 4", with_task(kTaskOpAt, 4)},
  };
  abuse::check_each_refused(t, cases);
}

TEST_CASE("resourced abuse: every request type with an empty, short or long payload is refused") {
  Rig rig;
  auto t = rig.target();
  const std::vector<ipc::Bytes> requests = {
      encoded(proto::Hello{kHash, 60000}), encoded(proto::Lease{60000}),
      encoded(pr::Request{1, kHash, {0, 0}, pr::Op::kStatus}),
      encoded(pr::Task{1, kHash, pr::TaskKind::kRespawn, 0, pr::Op::kStatus, {}})};
  abuse::check_payload_bounds(t, requests);
}
