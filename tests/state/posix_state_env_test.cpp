// The real StateEnv on a temporary directory (heartbeatd/state/posix_state_env.h).
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include "heartbeatd/state/posix_state_env.h"
#include "heartbeatd/state/sequence_store.h"
#include "temp_dir.h"

using namespace vigil;
using namespace vigil::state;
using namespace std::chrono_literals;

TEST_CASE("posix state env: a durable write replaces the file, mode 0600, no temp left",
          "[state]") {
  test::TempDir dir;
  PosixStateEnv env(dir.path());
  REQUIRE(env.write_durable("generation", "1\n").ok());
  REQUIRE(env.write_durable("generation", "2\n").ok());
  auto contents = env.read_file("generation");
  REQUIRE(contents.ok());
  CHECK(*contents == std::optional<std::string>("2\n"));
  struct stat st {};
  REQUIRE(::stat((dir.path() + "/generation").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(::access((dir.path() + "/generation.tmp").c_str(), F_OK) != 0);
}

TEST_CASE("posix state env: a missing file reads as absent, a missing directory fails",
          "[state]") {
  test::TempDir dir;
  PosixStateEnv env(dir.path());
  auto missing = env.read_file("nothing");
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->has_value());
  PosixStateEnv nowhere(dir.path() + "/absent");
  CHECK_FALSE(nowhere.write_durable("generation", "1\n").ok());
  CHECK_FALSE(nowhere.open_record("seq").ok());
}

TEST_CASE("posix state env: a symlink in place of a state file is refused", "[state]") {
  test::TempDir dir;
  REQUIRE(::symlink("/etc/passwd", (dir.path() + "/generation").c_str()) == 0);
  PosixStateEnv env(dir.path());
  CHECK_FALSE(env.read_file("generation").ok());
}

TEST_CASE("posix state env: the record file is locked while open", "[state]") {
  test::TempDir dir;
  PosixStateEnv env(dir.path());
  auto first = env.open_record("seq");
  REQUIRE(first.ok());
  CHECK_FALSE(env.open_record("seq").ok());
  first->reset();
  CHECK(env.open_record("seq").ok());
}

TEST_CASE("posix state env: a record overwrite is seen by the next open", "[state]") {
  test::TempDir dir;
  PosixStateEnv env(dir.path());
  {
    auto record = env.open_record("seq");
    REQUIRE(record.ok());
    CHECK((*record)->initial_contents().empty());
    REQUIRE((*record)->overwrite("hello world").ok());
    REQUIRE((*record)->overwrite("HELLO").ok());
  }
  auto record = env.open_record("seq");
  REQUIRE(record.ok());
  CHECK((*record)->initial_contents() == "HELLO world");
}

TEST_CASE("posix state env: the boot id is stable and the boot clock advances", "[state]") {
  PosixStateEnv env("/nonexistent");
  auto a = env.boot_id();
  auto b = env.boot_id();
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->size() == 36);
  CHECK(*a == *b);
  const Duration t0 = env.since_boot();
  ::usleep(2000);
  CHECK(env.since_boot() > t0);
  CHECK(env.unix_time() > 1600000000);
}

TEST_CASE("posix state env: a real store continues its generation across a quick restart",
          "[state]") {
  test::TempDir dir;
  PosixStateEnv env(dir.path());
  std::uint64_t generation = 0;
  {
    auto store = SequenceStore::open(env, 60s);
    REQUIRE(store.ok());
    CHECK_FALSE(store->start().continued);
    generation = store->start().generation;
    REQUIRE(store->record_sent(1).ok());
    REQUIRE(store->record_sent(2).ok());
  }
  auto store = SequenceStore::open(env, 60s);
  REQUIRE(store.ok());
  CHECK(store->start().continued);
  CHECK(store->start().generation == generation);
  CHECK(store->start().first_seq == 3u);
  auto second = SequenceStore::open(env, 60s);
  CHECK_FALSE(second.ok());
}
