#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "common/ipc/socket.h"
#include "ipd/listen_socket.h"
#include "server_fixture.h"

using namespace vigil;
using namespace vigil::ipd;

TEST_CASE("ipd socket: made in a missing runtime dir with mode 0660 and heartbeatd's group") {
  testing::TempDir dir;
  const std::string path = dir.path("run/ipd.sock");
  auto socket = open_listen_socket(path, ::getgid());
  REQUIRE(socket);
  CHECK_FALSE(socket->activated);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK(S_ISSOCK(st.st_mode));
  CHECK((st.st_mode & 07777) == 0660);
  CHECK(st.st_gid == ::getgid());
  CHECK(ipc::connect(path));
}

TEST_CASE("ipd socket: a live ipd's socket is not taken over by a second one") {
  testing::TempDir dir;
  const std::string path = dir.path("ipd.sock");
  auto first = open_listen_socket(path, std::nullopt);
  REQUIRE(first);
  CHECK_FALSE(open_listen_socket(path, std::nullopt));
}
