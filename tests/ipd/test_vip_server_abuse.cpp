// ipd's server under abuse from a fake heartbeatd (issue 15): too many
// connections, a connection that says nothing, every malformed frame,
// every message outside ipd's vocabulary or direction, a reader that never
// reads. Each is closed with one log line naming the peer's pid and uid,
// and a well-formed heartbeatd is served afterwards.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "common/ipc/socket.h"
#include "common/proto/ipd_messages.h"
#include "ipd/server.h"
#include "server_fixture.h"
#include "tests/common/ipc_abuse.h"

using namespace vigil;
using namespace vigil::ipd;
using namespace vigil::ipd::testing;
using namespace std::chrono_literals;
namespace pi = proto::ipd;
namespace abuse = vigil::test::abuse;

namespace {

constexpr std::size_t kLimit = 4;

ipc::Bytes encoded(const pi::Message& m) {
  auto bytes = pi::encode(m);
  REQUIRE(bytes);
  return *bytes;
}

struct Rig {
  Rig() {
    ServerOptions options;
    options.policy.uids = {::getuid()};
    options.limits.max_connections = kLimit;
    options.limits.first_frame_within = 200ms;
    auto fd = ipc::listen(dir.path("ipd.sock"), 0600);
    REQUIRE(fd);
    server = std::make_unique<VipServer>(loop, config, vips, options, std::move(*fd));
  }

  abuse::Target target() {
    return abuse::Target{loop, dir.path("ipd.sock"), [this] { return server->connections(); },
                         [](abuse::RawClient& c) {
                           c.send(encoded(proto::Hello{kHash, 1000}));
                         },
                         [this] {
                           RawPeer good(loop, dir.path("ipd.sock"));
                           good.send(proto::Hello{kHash, 1000});
                           good.send(pi::ListVips{7});
                           return ipd::testing::run_until(
                               loop, [&] { return !good.all<pi::VipList>().empty(); });
                         }};
  }

  TempDir dir;
  EventLoop loop;
  conf::Config config = config_with({{"IPaddr2::192.0.2.50/24/eth1", "httpd"}});
  FakeVips vips;
  std::unique_ptr<VipServer> server;
};

}  // namespace

TEST_CASE("ipd abuse: a connection beyond the limit is closed on accept and logged once") {
  Rig rig;
  auto t = rig.target();
  abuse::check_connection_limit(t, kLimit);
}

TEST_CASE("ipd abuse: a connection that never sends a frame is closed after the deadline") {
  Rig rig;
  auto t = rig.target();
  abuse::check_silence(t, false);
}

TEST_CASE("ipd abuse: every malformed frame closes the connection, logged once") {
  Rig rig;
  auto t = rig.target();
  abuse::check_every_malformed_frame(t);
}

TEST_CASE("ipd abuse: every type outside the vocabulary or its direction is refused, logged once") {
  Rig rig;
  auto t = rig.target();
  const std::vector<std::pair<std::string, ipc::Bytes>> cases = {
      {"type 0", abuse::frame_bytes(0, {})},
      {"type 9", abuse::frame_bytes(9, {})},
      {"type 0xffff", abuse::frame_bytes(0xFFFF, {})},
      {"a Result", encoded(pi::Result{1, pi::Outcome::kOk, ""})},
      {"a VipList", encoded(pi::VipList{1, {}})},
      {"an Event", encoded(pi::Event{pi::EventKind::kLinkDown, {}, "eth1"})},
  };
  abuse::check_each_refused(t, cases);
}

TEST_CASE("ipd abuse: every request type with an empty, short or long payload is refused") {
  Rig rig;
  auto t = rig.target();
  const std::vector<ipc::Bytes> requests = {
      encoded(proto::Hello{kHash, 1000}), encoded(proto::Lease{1000}),
      encoded(pi::AddVip{1, kHash, {0, 0}}), encoded(pi::RemoveVip{1, kHash, {0, 0}}),
      encoded(pi::ListVips{1})};
  abuse::check_payload_bounds(t, requests);
}

TEST_CASE("ipd abuse: a heartbeatd that never reads its replies is cut off, logged once") {
  Rig rig;
  auto t = rig.target();
  abuse::check_slow_reader(t, encoded(pi::ListVips{1}));
}
