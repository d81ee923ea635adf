// The node UUID (heartbeatd/state/node_uuid.h, heartbeat-compat.md §5.4).
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "fault_injection_env.h"
#include "heartbeatd/state/node_uuid.h"
#include "heartbeatd/state/posix_state_env.h"
#include "temp_dir.h"

using namespace vigil;
using namespace vigil::state;

TEST_CASE("node uuid: created once as a random version-4 UUID, then read back", "[state]") {
  test::FaultInjectionEnv env;
  auto first = load_or_create_node_uuid(env);
  REQUIRE(first.ok());
  CHECK(((*first)[6] >> 4) == 4);
  CHECK(((*first)[8] & 0xC0) == 0x80);
  CHECK(env.disk.at("uuid").size() == 16);
  auto again = load_or_create_node_uuid(env);
  REQUIRE(again.ok());
  CHECK(*again == *first);
}

TEST_CASE("node uuid: two nodes get different UUIDs", "[state]") {
  test::FaultInjectionEnv a;
  test::FaultInjectionEnv b;
  CHECK(*load_or_create_node_uuid(a) != *load_or_create_node_uuid(b));
}

TEST_CASE("node uuid: a file of the wrong size is an error, not a new identity", "[state]") {
  test::FaultInjectionEnv env;
  env.write_durable("uuid", "short").ok();
  CHECK_FALSE(load_or_create_node_uuid(env).ok());
  CHECK(env.disk.at("uuid") == "short");
}

TEST_CASE("node uuid: heartbeat's 16-byte hb_uuid is read as is", "[state]") {
  test::FaultInjectionEnv env;
  const std::string raw("\x1d\x97\xb9\xa7\x99\x97\x45\xf1\xbe\x27\xa7\x01\x5b\x51\x41\xb3", 16);
  env.write_durable("uuid", raw).ok();
  auto uuid = load_or_create_node_uuid(env);
  REQUIRE(uuid.ok());
  CHECK(std::string(reinterpret_cast<const char*>(uuid->data()), 16) == raw);
}

TEST_CASE("node uuid: the real file is private to the daemon (0600)", "[state]") {
  test::TempDir dir;
  PosixStateEnv env(dir.path());
  REQUIRE(load_or_create_node_uuid(env).ok());
  struct stat st {};
  REQUIRE(::stat((dir.path() + "/uuid").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(st.st_size == 16);
}
