#include <catch2/catch.hpp>

#include "exporter/exporter_options.h"
#include "exporter/scrape.h"
#include "tests/common/temp_dir.h"

using namespace vigil;

TEST_CASE("exporter options: defaults read the packaged read-only socket from systemd's socket") {
  auto o = exporter::parse_options({});
  REQUIRE(o);
  CHECK(o->status_socket == "/run/vigil-status/status.sock");
  CHECK(o->listen.empty());
}

TEST_CASE("exporter options: --listen takes IPv4 and bracketed IPv6 with a port") {
  auto o = exporter::parse_options({"--listen", "192.0.2.1:9874", "--status-socket", "/x.sock"});
  REQUIRE(o);
  CHECK(o->listen == "192.0.2.1:9874");
  CHECK(o->status_socket == "/x.sock");
  auto v6 = exporter::parse_listen("[::1]:9874");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->port == 9874);
}

TEST_CASE("exporter options: a bad listen address or unknown flag is an error naming it") {
  for (const char* bad :
       {"9874", "host:", ":9874", "host:0", "host:65536", "::1:9874", "[::1]9874"}) {
    auto o = exporter::parse_options({"--listen", bad});
    INFO(bad);
    REQUIRE_FALSE(o);
    CHECK(o.error().message.find(bad) != std::string::npos);
  }
  auto o = exporter::parse_options({"--port", "1"});
  REQUIRE_FALSE(o);
  CHECK(o.error().message == "unknown argument [--port]");
}

TEST_CASE("exporter scrape: heartbeatd not answering serves vigil_up 0 and says why") {
  test::TempDir dir;
  auto s = exporter::scrape(dir.file("missing.sock"), std::chrono::milliseconds(200));
  CHECK_FALSE(s.up);
  CHECK(s.text == exporter::up_text(false));
  CHECK_FALSE(s.error.empty());
  CHECK(s.text.find("# TYPE vigil_up gauge\nvigil_up 0\n") != std::string::npos);
}
