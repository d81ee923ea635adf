#include <grp.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

#include "heartbeatd/control/permission.h"

using namespace vigil::control;

namespace {

ControlPolicy policy() {
  ControlPolicy p;
  p.daemon_uid = 103;
  p.admin_gid = 106;
  return p;
}

}  // namespace

TEST_CASE("control permission: root may read the status and move resources") {
  const PeerIdentity root{0, 0, {}};
  CHECK(permits(policy(), root, Access::kStatus));
  CHECK(permits(policy(), root, Access::kCommand));
}

TEST_CASE("control permission: a primary haclient member may read and move") {
  const PeerIdentity member{1000, 106, {}};
  CHECK(permits(policy(), member, Access::kStatus));
  CHECK(permits(policy(), member, Access::kCommand));
}

TEST_CASE("control permission: a supplementary haclient member may read and move") {
  const PeerIdentity member{1000, 1000, {4, 106, 27}};
  CHECK(permits(policy(), member, Access::kStatus));
  CHECK(permits(policy(), member, Access::kCommand));
}

TEST_CASE("control permission: heartbeatd's own user may read but not move resources") {
  const PeerIdentity daemon{103, 103, {}};
  CHECK(permits(policy(), daemon, Access::kStatus));
  CHECK_FALSE(permits(policy(), daemon, Access::kCommand));
}

TEST_CASE("control permission: anybody else is refused both") {
  const PeerIdentity nobody{65534, 65534, {100}};
  CHECK_FALSE(permits(policy(), nobody, Access::kStatus));
  CHECK_FALSE(permits(policy(), nobody, Access::kCommand));
}

TEST_CASE("control permission: without a haclient group only root and the daemon user pass") {
  ControlPolicy p = policy();
  p.admin_gid.reset();
  CHECK_FALSE(permits(p, PeerIdentity{1000, 106, {106}}, Access::kStatus));
  CHECK(permits(p, PeerIdentity{103, 103, {}}, Access::kStatus));
}

namespace {

// Connects from a child process to an abstract-name listener and returns
// the server's view of it. As root the child first takes uid/gid 1000 and
// `groups`; otherwise it keeps ours.
PeerIdentity identity_of_child(const std::vector<gid_t>& groups) {
  int listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  REQUIRE(listen_fd >= 0);
  sockaddr_un addr{};  // abstract name: no file to clean up
  addr.sun_family = AF_UNIX;
  const std::string name = "vigil-test-peergroups-" + std::to_string(getpid());
  std::memcpy(addr.sun_path + 1, name.data(), name.size());
  const auto addr_len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
  REQUIRE(bind(listen_fd, reinterpret_cast<sockaddr*>(&addr), addr_len) == 0);
  REQUIRE(listen(listen_fd, 1) == 0);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    int c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    if (geteuid() == 0 &&
        (setgroups(groups.size(), groups.data()) != 0 || setgid(1000) != 0 || setuid(1000) != 0))
      _exit(1);
    _exit(connect(c, reinterpret_cast<sockaddr*>(&addr), addr_len) == 0 ? 0 : 1);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  // The child has exited: what is seen now was recorded at connect().
  int conn = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
  REQUIRE(conn >= 0);
  auto cred = vigil::ipc::peer_credentials(conn);
  REQUIRE(cred);
  PeerIdentity id = identify(conn, *cred);
  close(conn);
  close(listen_fd);
  return id;
}

}  // namespace

TEST_CASE("control permission: identify takes the supplementary groups from the socket") {
  const std::vector<gid_t> chosen{4, 106, 4242};
  const PeerIdentity id = identity_of_child(chosen);
  if (geteuid() == 0) {
    CHECK(id.uid == 1000);
    CHECK(id.gid == 1000);
    CHECK(id.groups == chosen);
    CHECK(permits(policy(), id, Access::kCommand));
  } else {
    std::vector<gid_t> ours(static_cast<std::size_t>(getgroups(0, nullptr)));
    REQUIRE(getgroups(static_cast<int>(ours.size()), ours.data()) == static_cast<int>(ours.size()));
    CHECK(id.uid == geteuid());
    CHECK(id.groups == ours);
  }
}

TEST_CASE("control permission: a haclient-ro member may read but not move resources") {
  ControlPolicy p = policy();
  p.reader_gid = 107;
  const PeerIdentity primary{1001, 107, {}};
  const PeerIdentity supplementary{1002, 100, {107}};
  for (const auto& reader : {primary, supplementary}) {
    CHECK(permits(p, reader, Access::kStatus));
    CHECK_FALSE(permits(p, reader, Access::kCommand));
  }
}

TEST_CASE("control permission: on the read-only socket nobody moves resources, not even root") {
  ControlPolicy p = policy();
  p.read_only = true;
  for (const PeerIdentity& peer :
       {PeerIdentity{0, 0, {}}, PeerIdentity{1000, 106, {}}, PeerIdentity{103, 103, {}}}) {
    CHECK(permits(p, peer, Access::kStatus));
    CHECK_FALSE(permits(p, peer, Access::kCommand));
  }
}
