// The real OCF Dummy agent of Debian's resource-agents package, driven
// through AgentRunner: the OCF mapping of start/stop/status.
#include <catch2/catch.hpp>

#include "runner_harness.h"

using namespace vigil;
using namespace vigil::resourced;
using namespace vigil::resourced::testing;
using namespace std::chrono_literals;

namespace {

constexpr const char* kDummy = "/usr/lib/ocf/resource.d/heartbeat/Dummy";

bool dummy_installed() {
  if (RealFileSystem().is_executable_file(kDummy)) return true;
  WARN("SKIPPED: " << kDummy << " is missing; install Debian's resource-agents package");
  return false;
}

}  // namespace

TEST_CASE("ocf Dummy: start, monitor running, stop, monitor stopped") {
  if (!dummy_installed()) return;
  RunnerHarness h;
  h.dirs.ocf_root = "/usr/lib/ocf";
  const AgentCall c = h.call("ocf:heartbeat:Dummy", {"state=" + h.tree.path("dummy.state")});

  auto before = h.run(c, Action::kStatus);
  REQUIRE(before);
  CHECK(before->succeeded);
  CHECK_FALSE(before->running);
  CHECK(before->exit_code == 7);

  auto start = h.run(c, Action::kStart);
  REQUIRE(start);
  CHECK(start->succeeded);

  auto running = h.run(c, Action::kStatus);
  REQUIRE(running);
  CHECK(running->succeeded);
  CHECK(running->running);
  CHECK(running->exit_code == 0);

  auto stop = h.run(c, Action::kStop);
  REQUIRE(stop);
  CHECK(stop->succeeded);

  auto after = h.run(c, Action::kStatus);
  REQUIRE(after);
  CHECK(after->succeeded);
  CHECK_FALSE(after->running);
}

TEST_CASE("ocf Dummy: double start and double stop succeed") {
  if (!dummy_installed()) return;
  RunnerHarness h;
  const AgentCall c = h.call("ocf:heartbeat:Dummy", {"state=" + h.tree.path("dummy.state")});
  CHECK(h.run(c, Action::kStart)->succeeded);
  auto again = h.run(c, Action::kStart);
  REQUIRE(again);
  CHECK(again->succeeded);
  CHECK(again->runs == 1);  // the monitor said running; start was not run
  CHECK(h.run(c, Action::kStop)->succeeded);
  auto stop_again = h.run(c, Action::kStop);
  REQUIRE(stop_again);
  CHECK(stop_again->succeeded);
  CHECK(stop_again->runs == 1);
}

TEST_CASE("ocf Dummy: OCF_RESKEY parameters reach the agent") {
  if (!dummy_installed()) return;
  RunnerHarness h;
  const std::string state = h.tree.path("custom.state");
  const AgentCall c = h.call("ocf:heartbeat:Dummy", {"state=" + state, "fake=42"});
  REQUIRE(h.run(c, Action::kStart)->succeeded);
  CHECK(RealFileSystem().is_executable_file(state) == false);  // a plain file, 0644
  CHECK(std::ifstream(state).good());
  REQUIRE(h.run(c, Action::kStop)->succeeded);
  CHECK_FALSE(std::ifstream(state).good());
}
