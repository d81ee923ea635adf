#include <fmt/format.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <memory>
#include <vector>

#include "common/ipc/connection.h"
#include "common/ipc/connection_limit.h"
#include "common/ipc/frame_format.h"
#include "common/ipc/peer_policy.h"
#include "common/ipc/server.h"
#include "common/log.h"
#include "tests/common/loop_helpers.h"
#include "tests/common/temp_dir.h"

using namespace vigil;
using namespace vigil::ipc;
using vigil::test::run_until;
using vigil::test::TempDir;

namespace {

PeerPolicy only_us() { return PeerPolicy{{getuid()}, {}}; }

// A server that keeps what it accepts and echoes every frame back.
struct EchoServer {
  EchoServer(EventLoop& loop, const std::string& path, PeerPolicy policy) {
    auto s =
        Server::listen(loop, path, 0666, std::move(policy), [this](std::unique_ptr<Connection> c) {
          Connection* raw = c.get();
          raw->start([raw](Frame f) { (void)raw->send(f.type, f.payload); },
                     [this](const Error&) { ++closed; });
          connections.push_back(std::move(c));
        });
    REQUIRE(s.ok());
    server = std::move(*s);
  }
  std::unique_ptr<Server> server;
  std::vector<std::unique_ptr<Connection>> connections;
  int closed = 0;
};

struct SocketPair {
  SocketPair() {
    int fds[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, fds) == 0);
    a.reset(fds[0]);
    b.reset(fds[1]);
  }
  UniqueFd a;
  UniqueFd b;
};

PeerCredentials us() { return PeerCredentials{getpid(), getuid(), getgid()}; }

}  // namespace

TEST_CASE("ipc policy: a peer is permitted by its uid or its primary gid, else refused") {
  const PeerPolicy policy{{0, 108}, {115}};
  CHECK(policy.permits({1, 0, 0}));
  CHECK(policy.permits({1, 108, 108}));
  CHECK(policy.permits({1, 1000, 115}));
  CHECK_FALSE(policy.permits({1, 1000, 1000}));
  CHECK_FALSE(PeerPolicy{}.permits({1, 0, 0}));
}

TEST_CASE("ipc server: a permitted client's frames reach the server and its replies come back") {
  TempDir dir;
  EventLoop loop;
  EchoServer echo(loop, dir.file("echo.sock"), only_us());
  auto client = Connection::connect(loop, dir.file("echo.sock"));
  REQUIRE(client.ok());
  CHECK((*client)->peer().pid == getpid());
  std::vector<Frame> replies;
  (*client)->start([&](Frame f) { replies.push_back(std::move(f)); }, [](const Error&) {});
  REQUIRE((*client)->send(3, Bytes{1, 2}).ok());
  REQUIRE((*client)->send(4, Bytes{}).ok());
  REQUIRE(run_until(loop, [&] { return replies.size() == 2; }));
  CHECK(replies[0] == Frame{3, {1, 2}});
  CHECK(replies[1] == Frame{4, {}});
  CHECK(echo.server->refused_count() == 0);
}

TEST_CASE("ipc server: a client whose uid is not permitted is disconnected and logged") {
  TempDir dir;
  EventLoop loop;
  log::ScopedCapture capture;
  EchoServer echo(loop, dir.file("strict.sock"), PeerPolicy{{getuid() + 4242}, {}});
  auto client = Connection::connect(loop, dir.file("strict.sock"));
  REQUIRE(client.ok());
  std::string closed_because;
  int frames = 0;
  (*client)->start([&](Frame) { ++frames; }, [&](const Error& e) { closed_because = e.message; });
  (void)(*client)->send(1, Bytes{});
  REQUIRE(run_until(loop, [&] { return !closed_because.empty(); }));
  CHECK(closed_because == "peer closed the connection");
  CHECK(echo.server->refused_count() == 1);
  CHECK(echo.connections.empty());
  CHECK(frames == 0);
  CHECK(capture.contains("from pid " + std::to_string(getpid()) + " uid " +
                         std::to_string(getuid())));
}

TEST_CASE("ipc server: as root, a client that dropped to nobody is refused") {
  if (geteuid() != 0) {
    WARN("not root: the setuid half of this test cannot run");
    return;
  }
  const passwd* nobody = getpwnam("nobody");
  REQUIRE(nobody != nullptr);
  const uid_t nobody_uid = nobody->pw_uid;
  const gid_t nobody_gid = nobody->pw_gid;

  TempDir dir;
  REQUIRE(chmod(dir.path().c_str(), 0755) == 0);
  const std::string path = dir.file("root-only.sock");
  EventLoop loop;
  log::ScopedCapture capture;
  EchoServer echo(loop, path, PeerPolicy{{0}, {}});

  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // Child: become nobody, connect, expect to be hung up on. Exit codes
    // say what went wrong; nothing here may return into Catch2.
    if (setgroups(0, nullptr) != 0 || setgid(nobody_gid) != 0 || setuid(nobody_uid) != 0) _exit(2);
    auto fd = ipc::connect(path);
    if (!fd) _exit(3);
    pollfd pfd{fd->get(), POLLIN, 0};
    if (poll(&pfd, 1, 5000) != 1) _exit(4);
    char buf[64];
    _exit(recv(fd->get(), buf, sizeof(buf), 0) == 0 ? 0 : 5);
  }
  REQUIRE(run_until(loop, [&] { return echo.server->refused_count() == 1; }));
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(echo.connections.empty());
  CHECK(
      capture.contains("from pid " + std::to_string(child) + " uid " + std::to_string(nobody_uid)));
}

TEST_CASE("ipc connection: a malformed frame closes the connection and says why") {
  EventLoop loop;
  SocketPair p;
  log::ScopedCapture capture;
  Connection conn(loop, std::move(p.a), us(), "test");
  std::string reason;
  int frames = 0;
  conn.start([&](Frame) { ++frames; }, [&](const Error& e) { reason = e.message; });
  const Bytes bad_version = {0x56, 0x47, 0x09, 0, 0, 1, 0, 0, 0, 0, 0, 0};
  REQUIRE(send_datagram(p.b.get(), bad_version).ok());
  REQUIRE(run_until(loop, [&] { return !reason.empty(); }));
  CHECK(reason.find("version 9") != std::string::npos);
  CHECK_FALSE(conn.is_open());
  CHECK(frames == 0);
  CHECK(capture.contains("closing IPC connection on test from pid " + std::to_string(getpid())));
}

TEST_CASE("ipc connection: the peer hanging up is reported once") {
  EventLoop loop;
  SocketPair p;
  Connection conn(loop, std::move(p.a), us(), "test");
  int closed = 0;
  conn.start([](Frame) {}, [&](const Error&) { ++closed; });
  p.b.reset();
  REQUIRE(run_until(loop, [&] { return closed == 1; }));
  (void)run_until(
      loop, [] { return false; }, std::chrono::milliseconds(20));
  CHECK(closed == 1);
  CHECK_FALSE(conn.is_open());
  CHECK_FALSE(conn.send(1, Bytes{}).ok());
}

TEST_CASE("ipc connection: the owner may destroy it from inside the frame callback") {
  EventLoop loop;
  SocketPair p;
  auto conn = std::make_unique<Connection>(loop, std::move(p.a), us(), "test");
  int frames = 0;
  conn->start(
      [&](Frame) {
        ++frames;
        conn.reset();
      },
      [](const Error&) {});
  REQUIRE(send_frame(p.b.get(), 1, Bytes{}).ok());
  REQUIRE(send_frame(p.b.get(), 2, Bytes{}).ok());
  REQUIRE(run_until(loop, [&] { return conn == nullptr; }));
  CHECK(frames == 1);
}

TEST_CASE(
    "ipc connection: frames sent while the peer's buffer is full are queued and arrive in order") {
  EventLoop loop;
  SocketPair p;
  Connection conn(loop, std::move(p.a), us(), "test");
  conn.start([](Frame) {}, [](const Error&) {});
  const Bytes big(16 * 1024, 0xAB);
  std::uint16_t n = 0;
  // More than the socket buffer holds (~208 KiB), so the connection has
  // to queue, and less than kMaxQueuedBytes.
  for (; n < 48; ++n) REQUIRE(conn.send(n, big).ok());
  std::uint16_t expected = 0;
  bool in_order = true;
  REQUIRE(run_until(loop, [&] {
    for (;;) {
      auto got = recv_frame(p.b.get());
      if (!got.ok() || got->status != IoStatus::kDone) break;
      in_order = in_order && got->frame.type == expected;
      ++expected;
    }
    return expected == n;
  }));
  CHECK(in_order);
  CHECK(conn.is_open());
}

TEST_CASE("ipc connection: a peer that never reads is cut off when the queue is full") {
  EventLoop loop;
  SocketPair p;
  log::ScopedCapture capture;
  Connection conn(loop, std::move(p.a), us(), "test");
  conn.start([](Frame) {}, [](const Error&) {});
  // Small frames: the frame count, not the byte bound, is what fills up.
  const Bytes small(64, 0xAB);
  bool failed = false;
  for (int i = 0; i < 10000 && !failed; ++i) failed = !conn.send(1, small).ok();
  CHECK(failed);
  CHECK_FALSE(conn.is_open());
  CHECK(capture.contains(fmt::format("is not reading ({} frames", Connection::kMaxQueuedFrames)));
}

TEST_CASE("ipc connection: a slow reader of large frames is cut off by the byte bound first") {
  EventLoop loop;
  SocketPair p;
  log::ScopedCapture capture;
  Connection conn(loop, std::move(p.a), us(), "test");
  conn.start([](Frame) {}, [](const Error&) {});
  const Bytes largest(kMaxPayloadSize, 0xCD);
  int sent = 0;
  while (conn.send(1, largest).ok()) ++sent;
  // The socket buffer plus 1 MiB: far fewer than kMaxQueuedFrames frames.
  CHECK(sent < static_cast<int>(Connection::kMaxQueuedFrames));
  CHECK_FALSE(conn.is_open());
  CHECK(capture.contains("bytes queued"));
}

TEST_CASE(
    "ipc connection: a peer that sends nothing within the first-frame deadline is closed once") {
  EventLoop loop;
  SocketPair p;
  log::ScopedCapture capture;
  Connection conn(loop, std::move(p.a), us(), "test");
  int closed = 0;
  std::string reason;
  conn.start([](Frame) {},
             [&](const Error& e) {
               ++closed;
               reason = e.message;
             });
  conn.close_if_silent(std::chrono::milliseconds(50), Connection::Silence::kUntilFirstFrame);
  REQUIRE(run_until(loop, [&] { return closed == 1; }));
  CHECK(reason.find("within 50 ms") != std::string::npos);
  CHECK(capture.contains("from pid " + std::to_string(getpid())));
  (void)run_until(
      loop, [] { return false; }, std::chrono::milliseconds(100));
  CHECK(closed == 1);
}

TEST_CASE("ipc connection: after its first frame a peer has no first-frame deadline") {
  EventLoop loop;
  SocketPair p;
  Connection conn(loop, std::move(p.a), us(), "test");
  int frames = 0;
  conn.start([&](Frame) { ++frames; }, [](const Error&) {});
  conn.close_if_silent(std::chrono::milliseconds(50), Connection::Silence::kUntilFirstFrame);
  REQUIRE(send_frame(p.b.get(), 1, Bytes{}).ok());
  REQUIRE(run_until(loop, [&] { return frames == 1; }));
  (void)run_until(
      loop, [] { return false; }, std::chrono::milliseconds(150));
  CHECK(conn.is_open());
}

TEST_CASE("ipc connection: a between-frames limit is re-armed by every frame, then closes") {
  EventLoop loop;
  SocketPair p;
  Connection conn(loop, std::move(p.a), us(), "test");
  int frames = 0;
  bool closed = false;
  conn.start([&](Frame) { ++frames; }, [&](const Error&) { closed = true; });
  conn.close_if_silent(std::chrono::milliseconds(200), Connection::Silence::kBetweenFrames);
  // Seven frames 40 ms apart: 280 ms in all, never 200 ms of silence.
  for (int i = 1; i <= 7; ++i) {
    (void)run_until(
        loop, [] { return false; }, std::chrono::milliseconds(40));
    REQUIRE(send_frame(p.b.get(), 1, Bytes{}).ok());
    REQUIRE(run_until(loop, [&] { return frames == i; }));
  }
  CHECK_FALSE(closed);
  REQUIRE(run_until(loop, [&] { return closed; }));
  CHECK_FALSE(conn.is_open());
}

TEST_CASE("ipc connection limit: slots are counted and freed when their holder goes") {
  EventLoop loop;
  ConnectionLimit limit(loop, "test", 2);
  log::ScopedCapture capture;
  auto a = limit.take(us());
  auto b = limit.take(us());
  REQUIRE(a);
  REQUIRE(b);
  CHECK(limit.in_use() == 2);
  CHECK_FALSE(limit.take(us()));
  CHECK(capture.contains("refusing IPC connection on test from pid " + std::to_string(getpid())));
  a.reset();
  CHECK(limit.in_use() == 1);
  CHECK(limit.take(us()));  // taken and at once released
  CHECK(limit.in_use() == 1);
}

TEST_CASE("ipc connection limit: refusals after the first are summarised by the event loop") {
  EventLoop loop;
  ConnectionLimit limit(loop, "test", 1, std::chrono::milliseconds(100));
  log::ScopedCapture capture;
  auto held = limit.take(us());
  REQUIRE(held);
  for (int i = 0; i < 50; ++i) CHECK_FALSE(limit.take(us()));
  CHECK(capture.events().size() == 1);  // the first refusal only
  REQUIRE(run_until(loop, [&] { return capture.contains("refused 49 more"); }));
  CHECK(capture.events().size() == 2);
  CHECK(capture.contains("the first from pid " + std::to_string(getpid())));
  CHECK(limit.refused() == 50);
}

TEST_CASE("ipc server: connections beyond the limit are closed on accept, logged once each") {
  EventLoop loop;
  TempDir dir;
  log::ScopedCapture capture;
  const std::string path = dir.file("limit.sock");
  std::vector<std::unique_ptr<Connection>> held;
  auto server = Server::listen(
      loop, path, 0600, only_us(),
      [&](std::unique_ptr<Connection> c) {
        c->start([](Frame) {}, [](const Error&) {});
        held.push_back(std::move(c));
      },
      ServerLimits{2, std::chrono::seconds(5)});
  REQUIRE(server.ok());
  auto first = ipc::connect(path);
  auto second = ipc::connect(path);
  auto third = ipc::connect(path);
  REQUIRE((first.ok() && second.ok() && third.ok()));
  REQUIRE(run_until(loop, [&] { return (*server)->refused_count() == 1; }));
  CHECK(held.size() == 2);
  CHECK((*server)->open_count() == 2);
  int limit_lines = 0;
  for (const auto& e : capture.events())
    if (e.text.find("the limit") != std::string::npos) ++limit_lines;
  CHECK(limit_lines == 1);
  // A freed slot is taken by the next client.
  held.pop_back();
  CHECK((*server)->open_count() == 1);
  auto fourth = ipc::connect(path);
  REQUIRE(fourth.ok());
  REQUIRE(run_until(loop, [&] { return held.size() == 2; }));
  CHECK((*server)->refused_count() == 1);
}
