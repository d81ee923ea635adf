// ipd's server over a real Unix socket in a temp dir, with a fake backend:
// permits carried out, answers, lease expiry, event forwarding.
#include <fmt/format.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "common/ipc/socket.h"
#include "common/log.h"
#include "ipd/server.h"
#include "server_fixture.h"

using namespace vigil;
using namespace vigil::ipd;
using namespace std::chrono_literals;
using testing::config_with;
using testing::FakeVips;
using testing::kHash;
using testing::RawPeer;
using testing::run_for;
using testing::run_until;
using testing::TempDir;
namespace pi = proto::ipd;

namespace {

// Two groups: web (VIP, httpd, second VIP) and db (VIP).
conf::Config web_and_db() {
  return config_with({{"IPaddr2::192.0.2.50/24/eth1", "httpd", "IPaddr2::192.0.2.51/24/eth1"},
                      {"192.0.2.60", "mysql"}});
}

struct Harness {
  explicit Harness(std::chrono::milliseconds lease = 10s, std::vector<uid_t> uids = {::getuid()}) {
    ServerOptions options;
    options.policy.uids = std::move(uids);
    options.default_lease = lease;
    auto fd = ipc::listen(path(), 0600);
    REQUIRE(fd);
    server = std::make_unique<VipServer>(loop, config, vips, options, std::move(*fd));
  }
  std::string path() const { return dir.path("ipd.sock"); }

  std::unique_ptr<RawPeer> greeted_peer(std::uint32_t lease_ms = 1000) {
    auto p = std::make_unique<RawPeer>(loop, path());
    p->send(proto::Hello{kHash, lease_ms});
    REQUIRE(run_until(loop, [&] { return server->lease_held(); }));
    return p;
  }

  TempDir dir;
  EventLoop loop;
  conf::Config config = web_and_db();
  FakeVips vips;
  std::unique_ptr<VipServer> server;
};

std::string our_peer_text() { return fmt::format("pid {} uid {}", ::getpid(), ::getuid()); }

}  // namespace

TEST_CASE("ipd server: AddVip acquires the entry and answers Ok with the request id") {
  Harness h;
  auto peer = h.greeted_peer();
  peer->send(pi::AddVip{5, kHash, {0, 2}});
  REQUIRE(run_until(h.loop, [&] { return !peer->all<pi::Result>().empty(); }));
  CHECK(peer->all<pi::Result>().front() == pi::Result{5, pi::Outcome::kOk, ""});
  CHECK(h.vips.calls == std::vector<std::string>{"acquire IPaddr2::192.0.2.51/24/eth1"});
  CHECK(h.vips.present.count("IPaddr2::192.0.2.51/24/eth1") == 1);
}

TEST_CASE("ipd server: RemoveVip releases the entry and answers Ok") {
  Harness h;
  h.vips.present.insert("192.0.2.60");
  auto peer = h.greeted_peer();
  h.vips.calls.clear();
  peer->send(pi::RemoveVip{6, kHash, {1, 0}});
  REQUIRE(run_until(h.loop, [&] { return !peer->all<pi::Result>().empty(); }));
  CHECK(peer->all<pi::Result>().front() == pi::Result{6, pi::Outcome::kOk, ""});
  CHECK(h.vips.calls == std::vector<std::string>{"release 192.0.2.60"});
  CHECK(h.vips.present.empty());
}

TEST_CASE("ipd server: a failed acquire answers Failed with the reason and keeps the connection") {
  Harness h;
  auto peer = h.greeted_peer();
  h.vips.fail = "IP 192.0.2.50/24: no interface eth1";
  peer->send(pi::AddVip{1, kHash, {0, 0}});
  REQUIRE(run_until(h.loop, [&] { return !peer->all<pi::Result>().empty(); }));
  const auto r = peer->all<pi::Result>().front();
  CHECK(r.outcome == pi::Outcome::kFailed);
  CHECK(r.detail == "IP 192.0.2.50/24: no interface eth1");
  CHECK_FALSE(peer->closed);
}

TEST_CASE("ipd server: ListVips answers every IP entry in file order with whether it is present") {
  Harness h;
  h.vips.present.insert("IPaddr2::192.0.2.51/24/eth1");
  auto peer = h.greeted_peer();
  peer->send(pi::ListVips{3});
  REQUIRE(run_until(h.loop, [&] { return !peer->all<pi::VipList>().empty(); }));
  const auto list = peer->all<pi::VipList>().front();
  CHECK(list.request_id == 3);
  CHECK(list.vips == std::vector<pi::VipState>{{{0, 0}, false}, {{0, 2}, true}, {{1, 0}, false}});
}

TEST_CASE("ipd server: a violation closes that connection only, logging the peer's pid and uid") {
  Harness h;
  log::ScopedCapture capture;
  auto good = h.greeted_peer();
  auto bad = h.greeted_peer();
  bad->send(pi::AddVip{1, kHash, {0, 1}});  // httpd: not an IP entry
  REQUIRE(run_until(h.loop, [&] { return bad->closed; }));
  CHECK(h.vips.calls.empty());
  CHECK(capture.contains(our_peer_text()));
  CHECK(capture.contains("httpd"));
  good->send(pi::ListVips{2});
  REQUIRE(run_until(h.loop, [&] { return !good->all<pi::VipList>().empty(); }));
  CHECK_FALSE(good->closed);
  CHECK(h.server->connections() == 1);
}

TEST_CASE("ipd server: a malformed frame or an unknown type closes the connection") {
  Harness h;
  auto short_hello = h.greeted_peer();
  short_hello->send_frame(static_cast<std::uint16_t>(pi::Type::kListVips), {0, 1});
  auto unknown = h.greeted_peer();
  unknown->send_frame(99, {});
  REQUIRE(run_until(h.loop, [&] { return short_hello->closed && unknown->closed; }));
}

TEST_CASE("ipd server: a peer whose uid the policy does not name is refused and logged") {
  log::ScopedCapture capture;
  Harness h(10s, {::getuid() + 4242});
  RawPeer peer(h.loop, h.path());
  peer.send(proto::Hello{kHash, 1000});
  REQUIRE(run_until(h.loop, [&] { return peer.closed; }));
  CHECK_FALSE(h.server->lease_held());
  CHECK(capture.contains("refusing IPC connection"));
  CHECK(capture.contains(fmt::format("pid {} uid {}", ::getpid(), ::getuid())));
}

TEST_CASE("ipd server: at start the IP entries already present are watched, nothing is changed") {
  EventLoop loop;
  TempDir dir;
  const conf::Config config = web_and_db();
  FakeVips vips;
  vips.present = {"IPaddr2::192.0.2.50/24/eth1", "192.0.2.60"};
  auto fd = ipc::listen(dir.path("ipd.sock"), 0600);
  REQUIRE(fd);
  VipServer server(loop, config, vips, ServerOptions{}, std::move(*fd));
  CHECK(vips.calls ==
        std::vector<std::string>{"watch IPaddr2::192.0.2.50/24/eth1", "watch 192.0.2.60"});
  CHECK(vips.present.size() == 2);
}

TEST_CASE("ipd lease: when heartbeatd never connects the present VIPs go when it runs out") {
  log::ScopedCapture capture;
  Harness h(150ms);
  h.vips.present = {"IPaddr2::192.0.2.50/24/eth1", "192.0.2.60"};
  h.vips.calls.clear();
  REQUIRE(run_until(h.loop, [&] { return h.vips.present.empty(); }));
  CHECK(h.vips.calls ==
        std::vector<std::string>{"release 192.0.2.60", "release IPaddr2::192.0.2.50/24/eth1"});
  CHECK(capture.contains("did not connect within 150 ms"));
}

TEST_CASE("ipd lease: after heartbeatd leaves, every present VIP goes in release order and why") {
  log::ScopedCapture capture;
  Harness h;
  auto peer = h.greeted_peer(200);
  peer->send(pi::AddVip{1, kHash, {0, 0}});
  peer->send(pi::AddVip{2, kHash, {0, 2}});
  peer->send(pi::AddVip{3, kHash, {1, 0}});
  REQUIRE(run_until(h.loop, [&] { return peer->all<pi::Result>().size() == 3; }));
  h.vips.calls.clear();
  const auto left = MonoClock::now();
  peer.reset();
  REQUIRE(run_until(h.loop, [&] { return h.vips.present.empty(); }));
  CHECK(MonoClock::now() - left >= 200ms);
  // Groups in reverse file order, each right to left.
  CHECK(h.vips.calls == std::vector<std::string>{"release 192.0.2.60",
                                                 "release IPaddr2::192.0.2.51/24/eth1",
                                                 "release IPaddr2::192.0.2.50/24/eth1"});
  CHECK(capture.contains("heartbeatd gone for 200 ms: removing all virtual IPs (lease expired)"));
}

TEST_CASE("ipd lease: while heartbeatd is connected the lease never runs out") {
  Harness h(400ms);
  h.vips.present = {"192.0.2.60"};
  auto peer = h.greeted_peer(150);
  run_for(h.loop, 900ms);  // past both the default lease and the one asked for
  CHECK(h.vips.present.count("192.0.2.60") == 1);
}

TEST_CASE("ipd lease: heartbeatd coming back within the lease keeps every VIP") {
  Harness h;
  h.vips.present = {"192.0.2.60"};
  auto first = h.greeted_peer(300);
  first.reset();
  run_for(h.loop, 100ms);
  auto second = h.greeted_peer(300);
  run_for(h.loop, 500ms);
  CHECK(h.vips.present.count("192.0.2.60") == 1);
  CHECK(h.server->lease_held());
}

TEST_CASE("ipd events: a VIP removed by someone else is sent as VipLost to greeted peers only") {
  Harness h;
  auto greeted = h.greeted_peer();
  RawPeer stranger(h.loop, h.path());
  run_for(h.loop, 50ms);
  h.server->on_watch_event(
      WatchEvent{WatchEvent::Kind::kVipRemoved, 3, "eth1", IpAddress::parse("192.0.2.51")});
  REQUIRE(run_until(h.loop, [&] { return !greeted->all<pi::Event>().empty(); }));
  CHECK(greeted->all<pi::Event>().front() == pi::Event{pi::EventKind::kVipLost, {0, 2}, "eth1"});
  run_for(h.loop, 50ms);
  CHECK(stranger.received.empty());
}

TEST_CASE("ipd events: link down/up is forwarded for an interface carrying a VIP, not others") {
  Harness h;
  auto peer = h.greeted_peer();
  h.server->on_watch_event(WatchEvent{WatchEvent::Kind::kLinkDown, 9, "eth9", std::nullopt});
  h.server->on_watch_event(WatchEvent{WatchEvent::Kind::kLinkDown, 3, "eth1", std::nullopt});
  h.server->on_watch_event(WatchEvent{WatchEvent::Kind::kLinkUp, 3, "eth1", std::nullopt});
  REQUIRE(run_until(h.loop, [&] { return peer->all<pi::Event>().size() >= 2; }));
  run_for(h.loop, 50ms);
  CHECK(peer->all<pi::Event>() == std::vector<pi::Event>{{pi::EventKind::kLinkDown, {}, "eth1"},
                                                         {pi::EventKind::kLinkUp, {}, "eth1"}});
}

TEST_CASE(
    "ipd server: AnnounceVip announces a present entry again, the agent's schedule or the "
    "refresh") {
  Harness h;
  h.config.vigil_cf.garp_refresh_repeat = 3;
  h.vips.present.insert("IPaddr2::192.0.2.50/24/eth1");
  auto peer = h.greeted_peer();
  h.vips.calls.clear();
  peer->send(pi::AnnounceVip{21, kHash, {0, 0}, pi::AnnounceKind::kAgain});
  peer->send(pi::AnnounceVip{22, kHash, {0, 0}, pi::AnnounceKind::kRefresh});
  REQUIRE(run_until(h.loop, [&] { return peer->all<pi::Result>().size() == 2; }));
  CHECK(peer->all<pi::Result>()[0] == pi::Result{21, pi::Outcome::kOk, ""});
  CHECK(peer->all<pi::Result>()[1] == pi::Result{22, pi::Outcome::kOk, ""});
  // Never an add: only the announcement, whole (0) then garp_refresh_repeat rounds.
  CHECK(h.vips.calls == std::vector<std::string>{"announce IPaddr2::192.0.2.50/24/eth1 0",
                                                 "announce IPaddr2::192.0.2.50/24/eth1 3"});
}

TEST_CASE("ipd server: AnnounceVip of an absent entry answers Failed and adds nothing") {
  Harness h;
  auto peer = h.greeted_peer();
  h.vips.calls.clear();
  peer->send(pi::AnnounceVip{23, kHash, {1, 0}, pi::AnnounceKind::kAgain});
  REQUIRE(run_until(h.loop, [&] { return !peer->all<pi::Result>().empty(); }));
  const pi::Result r = peer->all<pi::Result>().front();
  CHECK(r.request_id == 23);
  CHECK(r.outcome == pi::Outcome::kFailed);
  CHECK_THAT(r.detail, Catch::Contains("not configured"));
  CHECK(h.vips.present.empty());
  CHECK(h.server->connections() == 1);
}
