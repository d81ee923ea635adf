// conf/load.h: the three files together, the local node, the hash.
#include <sys/utsname.h>

#include <catch2/catch.hpp>

#include "conf/load.h"
#include "conf/text.h"
#include "conf_test_util.h"

using namespace vigil::conf;
using namespace vigil::conf::test;

namespace {
constexpr const char* kHaCf = "keepalive 2\ndeadtime 30\nbcast eth1\nnode node1 node2\nauto_failback on\n";

LoadReport load(const TempDir& dir, std::optional<std::string> node = "node1") {
  return load_config_report(LoadOptions{Paths{dir.path(), "/run/x", "/var/x"}, std::move(node)});
}
std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& e : v) s += e + "\n";
  return s;
}
}  // namespace

TEST_CASE("load: a valid directory gives a Config with paths, local node, groups and keys") {
  TempDir dir;
  write_config(dir, kHaCf, "node1 10.0.0.5 httpd\n");
  const auto r = load(dir);
  INFO(joined(r.errors));
  REQUIRE(r.config);
  CHECK(r.config->paths.config_dir == dir.path());
  CHECK(r.config->local_node == "node1");
  CHECK(r.config->groups.size() == 1);
  CHECK(r.config->authkeys.active().method == AuthMethod::kSha1);
}

TEST_CASE("load: --node-name is lower-cased") {
  TempDir dir;
  write_config(dir, kHaCf, "");
  const auto r = load(dir, "NODE2");
  REQUIRE(r.config);
  CHECK(r.config->local_node == "node2");
}

TEST_CASE("load: without --node-name the first line of nodeinfo names the node") {
  TempDir dir;
  write_config(dir, kHaCf, "");
  dir.write("nodeinfo", "  Node2 \nnode1\n");
  const auto r = load(dir, std::nullopt);
  REQUIRE(r.config);
  CHECK(r.config->local_node == "node2");
}

TEST_CASE("load: without --node-name or nodeinfo, uname -n lower-cased names the node") {
  utsname u{};
  REQUIRE(::uname(&u) == 0);
  const std::string me = lower(u.nodename);
  TempDir dir;
  write_config(dir, "bcast eth1\nnode " + std::string(u.nodename) + " other\nauto_failback on\n", "");
  const auto r = load(dir, std::nullopt);
  INFO(joined(r.errors));
  REQUIRE(r.config);
  CHECK(r.config->local_node == me);
}

TEST_CASE("load: a local node that ha.cf does not list is an error") {
  TempDir dir;
  write_config(dir, kHaCf, "");
  const auto r = load(dir, "node3");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0] == dir.file("ha.cf") +
                           ":5: Current node [node3] not in configuration!; expected a `node node3` line (the name comes "
                           "from --node-name)");
}

TEST_CASE("load: errors of all three files are reported together") {
  TempDir dir;
  write_config(dir, kHaCf + std::string("bogus 1\n"), "node9 httpd\n", "auth 1\n1 crc key\n");
  const auto r = load(dir);
  CHECK_FALSE(r.config);
  REQUIRE(r.errors.size() == 3);
  CHECK_THAT(r.errors[0], Catch::StartsWith(dir.file("ha.cf") + ":6: Illegal directive [bogus]"));
  CHECK_THAT(r.errors[1], Catch::StartsWith(dir.file("haresources") + ":1: Bad nodename"));
  CHECK_THAT(r.errors[2], Catch::StartsWith(dir.file("authkeys") + ":2: Auth method [crc] doesn't use a key"));
}

TEST_CASE("load: load_config returns every error, one per line") {
  TempDir dir;
  write_config(dir, kHaCf + std::string("bogus 1\n"), "node9 httpd\n");
  auto r = load_config(LoadOptions{Paths{dir.path(), "", ""}, "node1"});
  REQUIRE_FALSE(r.ok());
  CHECK(std::count(r.error().message.begin(), r.error().message.end(), '\n') == 1);
}

TEST_CASE("load: missing haresources is an error") {
  TempDir dir;
  write_config(dir, kHaCf, "");
  std::filesystem::remove(dir.file("haresources"));
  const auto r = load(dir);
  REQUIRE(r.errors.size() == 1);
  CHECK_THAT(r.errors[0], Catch::StartsWith(dir.file("haresources") + ": Cannot open resources file [" + dir.file("haresources") + "]"));
}

TEST_CASE("load: warnings are returned, not printed") {
  TempDir dir;
  write_config(dir, "udp eth0\nnode node1\n", "");
  const auto r = load(dir);
  REQUIRE(r.config);
  CHECK_THAT(joined(r.warnings), Catch::Contains("directive 'udp' replaced by 'bcast'"));
  CHECK_THAT(joined(r.warnings), Catch::Contains("Deprecated 'legacy' auto_failback option selected."));
}

TEST_CASE("load: the hash is hex SHA-256 of ha.cf and haresources, not of the keys") {
  TempDir dir;
  write_config(dir, kHaCf, "node1 httpd\n");
  const auto a = load(dir);
  REQUIRE(a.config);
  CHECK(a.config->hash.size() == 64);
  CHECK(a.config->hash.find_first_not_of("0123456789abcdef") == std::string::npos);

  write_config(dir, kHaCf, "node1 httpd\n", "auth 1\n1 sha1 another-key\n");
  const auto other_key = load(dir);
  REQUIRE(other_key.config);
  CHECK(other_key.config->hash == a.config->hash);

  write_config(dir, kHaCf, "node1 httpd smb\n");
  const auto other_groups = load(dir);
  REQUIRE(other_groups.config);
  CHECK(other_groups.config->hash != a.config->hash);
}

TEST_CASE("load: comments and spelling do not change the hash") {
  TempDir a_dir, b_dir;
  write_config(a_dir, kHaCf, "node1 httpd\n");
  write_config(b_dir, "# same\nkeepalive 2000ms\ndeadtime 30000ms\nbcast eth1\nnode Node1,node2\nauto_failback yes\n",
               "NODE1 httpd # web\n");
  const auto a = load(a_dir), b = load(b_dir);
  REQUIRE(a.config);
  REQUIRE(b.config);
  CHECK(a.config->hash == b.config->hash);
}
