#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include <catch2/catch.hpp>

#include "common/ipc/frame_format.h"
#include "common/ipc/socket.h"
#include "tests/common/temp_dir.h"

using namespace vigil;
using namespace vigil::ipc;
using vigil::test::TempDir;

namespace {

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

}  // namespace

TEST_CASE("ipc socket: a frame sent on a seqpacket pair is received whole") {
  SocketPair p;
  const Bytes payload = {1, 2, 3};
  auto sent = send_frame(p.a.get(), 42, payload);
  REQUIRE(sent.ok());
  CHECK(*sent == IoStatus::kDone);
  auto got = recv_frame(p.b.get());
  REQUIRE(got.ok());
  CHECK(got->status == IoStatus::kDone);
  CHECK(got->frame == Frame{42, payload});
}

TEST_CASE("ipc socket: two frames stay two frames") {
  SocketPair p;
  REQUIRE(send_frame(p.a.get(), 1, Bytes{1}).ok());
  REQUIRE(send_frame(p.a.get(), 2, Bytes{2, 2}).ok());
  auto first = recv_frame(p.b.get());
  auto second = recv_frame(p.b.get());
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(first->frame == Frame{1, {1}});
  CHECK(second->frame == Frame{2, {2, 2}});
}

TEST_CASE("ipc socket: receiving with nothing pending would block") {
  SocketPair p;
  auto got = recv_frame(p.b.get());
  REQUIRE(got.ok());
  CHECK(got->status == IoStatus::kWouldBlock);
}

TEST_CASE("ipc socket: receiving after the peer closed reports it closed") {
  SocketPair p;
  p.a.reset();
  auto got = recv_frame(p.b.get());
  REQUIRE(got.ok());
  CHECK(got->status == IoStatus::kClosed);
  auto sent = send_frame(p.b.get(), 1, {});
  REQUIRE(sent.ok());
  CHECK(*sent == IoStatus::kClosed);
}

TEST_CASE("ipc socket: a datagram larger than the frame limit is detected, not cut") {
  SocketPair p;
  // A well-formed header declaring the real length, so only the size
  // check can catch it.
  const std::size_t payload_size = kMaxFrameSize + 100 - kFrameHeaderSize;
  Bytes datagram(kFrameHeaderSize + payload_size, 0);
  datagram[0] = 0x56;
  datagram[1] = 0x47;
  datagram[2] = kFrameVersion;
  datagram[kLengthOffset + 1] = static_cast<std::uint8_t>(payload_size >> 16);
  datagram[kLengthOffset + 2] = static_cast<std::uint8_t>(payload_size >> 8);
  datagram[kLengthOffset + 3] = static_cast<std::uint8_t>(payload_size);
  auto sent = send_datagram(p.a.get(), datagram);
  REQUIRE(sent.ok());
  REQUIRE(*sent == IoStatus::kDone);
  auto got = recv_frame(p.b.get());
  REQUIRE_FALSE(got.ok());
  CHECK(got.error().message.find("exceeds the frame limit") != std::string::npos);
}

TEST_CASE("ipc socket: a malformed datagram is an error, not a frame") {
  SocketPair p;
  const Bytes junk = {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '!', '!'};
  REQUIRE(send_datagram(p.a.get(), junk).ok());
  CHECK_FALSE(recv_frame(p.b.get()).ok());
}

TEST_CASE("ipc socket: peer credentials of a socketpair are our own pid, uid and gid") {
  SocketPair p;
  auto cred = peer_credentials(p.a.get());
  REQUIRE(cred.ok());
  CHECK(cred->pid == getpid());
  CHECK(cred->uid == getuid());
  CHECK(cred->gid == getgid());
}

TEST_CASE("ipc socket: listen sets the requested permissions and accepts a connect") {
  TempDir dir;
  const std::string path = dir.file("hb.sock");
  auto server = listen(path, 0660);
  REQUIRE(server.ok());
  struct stat st {};
  REQUIRE(stat(path.c_str(), &st) == 0);
  CHECK(S_ISSOCK(st.st_mode));
  CHECK((st.st_mode & 0777) == 0660);

  auto none = accept(server->get());
  REQUIRE(none.ok());
  CHECK_FALSE(none->valid());

  auto client = connect(path);
  REQUIRE(client.ok());
  auto accepted = accept(server->get());
  REQUIRE(accepted.ok());
  REQUIRE(accepted->valid());
  CHECK((fcntl(accepted->get(), F_GETFD) & FD_CLOEXEC) != 0);
  CHECK((fcntl(accepted->get(), F_GETFL) & O_NONBLOCK) != 0);
  REQUIRE(send_frame(client->get(), 5, Bytes{7}).ok());
  auto got = recv_frame(accepted->get());
  REQUIRE(got.ok());
  CHECK(got->frame == Frame{5, {7}});
}

TEST_CASE("ipc socket: listen replaces a stale socket file left by a dead server") {
  TempDir dir;
  const std::string path = dir.file("stale.sock");
  {
    auto first = listen(path, 0600);
    REQUIRE(first.ok());
  }  // closed without unlinking, as a crash would leave it
  auto second = listen(path, 0600);
  REQUIRE(second.ok());
  CHECK(connect(path).ok());
}

TEST_CASE("ipc socket: listen refuses a path a running server listens on") {
  TempDir dir;
  const std::string path = dir.file("live.sock");
  auto first = listen(path, 0600);
  REQUIRE(first.ok());
  auto second = listen(path, 0600);
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().message.find("in use") != std::string::npos);
}

TEST_CASE("ipc socket: listen refuses to remove a path that is not a socket") {
  TempDir dir;
  const std::string path = dir.file("regular");
  std::ofstream(path) << "keep me";
  auto server = listen(path, 0600);
  REQUIRE_FALSE(server.ok());
  CHECK(vigil::test::read_file(path) == "keep me");
}

TEST_CASE("ipc socket: connecting where nothing listens fails") {
  TempDir dir;
  CHECK_FALSE(connect(dir.file("nobody.sock")).ok());
}
