// How many copies of each status go out (heartbeatd/core/status_copies.h),
// and that the core marks its statuses, and only them, with that count.
#include <catch2/catch.hpp>

#include "heartbeatd/core/status_copies.h"
#include "tests/core/core_fixture.h"

using namespace vigil;
using namespace vigil::core;
using namespace vigil::core::testing;
using namespace std::chrono_literals;

TEST_CASE("status copies: auto makes a false death need twelve losses in a row", "[core][copies]") {
  CHECK(status_copies(100ms, 500ms, 0) == 3);   // 4 statuses a deadtime may lose
  CHECK(status_copies(1s, 10s, 0) == 2);        // 9
  CHECK(status_copies(2s, 30s, 0) == 1);        // heartbeat's defaults: nothing extra
  CHECK(status_copies(250ms, 500ms, 0) == 4);   // capped
  CHECK(status_copies(1s, 1s, 0) == 4);
}

TEST_CASE("status copies: a configured count is taken as it is, up to the cap", "[core][copies]") {
  CHECK(status_copies(100ms, 500ms, 1) == 1);
  CHECK(status_copies(2s, 30s, 2) == 2);
  CHECK(status_copies(2s, 30s, 9) == kMaxStatusCopies);
}

TEST_CASE("status copies: the core's statuses carry the count, other messages one", "[core][copies]") {
  auto config = make_config({"node1", "node2"});
  config.ha_cf.keepalive = std::chrono::duration_cast<conf::Millis>(100ms);
  config.ha_cf.deadtime = std::chrono::duration_cast<conf::Millis>(500ms);
  Core core(config, CoreParams{1, 1, 1});
  int statuses = 0;
  for (const auto& a : core.start(t0())) {
    const auto* s = std::get_if<Send>(&a);
    if (s == nullptr || s->message.type() != "status") continue;
    ++statuses;
    CHECK(s->copies == 3);
  }
  CHECK(statuses == 1);
  for (const auto& a : core.send(messages::Starting{}, {}, t0())) {
    const auto* s = std::get_if<Send>(&a);
    if (s != nullptr) CHECK(s->copies == 1);
  }
}
