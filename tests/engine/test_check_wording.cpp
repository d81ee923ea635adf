// What heartbeatd says about a health check's answer
// (heartbeatd/engine/check_wording.h): for each way resourced says a check
// ran, the words of the log line, and never a program's words (exit code,
// process group) for a check that asked systemd over D-Bus.
#include <catch2/catch.hpp>
#include <string>

#include "heartbeatd/engine/check_wording.h"

namespace vigil::engine {

namespace {

namespace pr = proto::resourced;
using C = pr::CheckRun;
using O = pr::Outcome;

pr::Reply reply(C check, O outcome, pr::RunState state, std::int32_t exit_status,
                std::string unit_state = {}, std::string tail = {}) {
  pr::Reply r{4, pr::Op::kStatus, outcome, state, exit_status, 2000, std::move(tail)};
  r.check = check;
  r.unit_state = std::move(unit_state);
  return r;
}

constexpr auto kRunning = pr::RunState::kRunning;
constexpr auto kStopped = pr::RunState::kStopped;

bool says_program(const std::string& text) {
  return text.find("exit") != std::string::npos ||
         text.find("process group") != std::string::npos ||
         text.find("signal") != std::string::npos;
}

}  // namespace

TEST_CASE("check wording: a running answer passed and has no failure text") {
  for (const auto& r : {reply(C::kProgramExited, O::kOk, kRunning, 0),
                        reply(C::kUnitState, O::kOk, kRunning, 0, "active/running")}) {
    CHECK(check_passed(r));
    CHECK(check_failure_text(r).empty());
  }
}

TEST_CASE("check wording: a check program's end in its own words") {
  CHECK(check_failure_text(reply(C::kProgramExited, O::kOk, kStopped, 7)) ==
        "not running (the check exited 7)");
  CHECK(check_failure_text(reply(C::kProgramExited, O::kFailed, kRunning, 1)) ==
        "check failed (exit 1)");
  CHECK(check_failure_text(reply(C::kProgramSignalled, O::kFailed, kRunning, -15)) ==
        "check killed by signal 15");
  CHECK(check_failure_text(reply(C::kProgramTimedOut, O::kTimeout, kRunning, -9)) ==
        "check timed out after 2000 ms; its process group was killed");
  CHECK(check_failure_text(reply(C::kNotRun, O::kFailed, kRunning, -1, {},
                                 "resourced: no agent named web in resource.d or init.d")) ==
        "check could not be run: no agent named web in resource.d or init.d");
  CHECK(check_failure_text(reply(C::kNotRun, O::kFailed, kRunning, -1)) ==
        "check could not be run");
}

TEST_CASE("check wording: systemd's answer over D-Bus says the unit state, no exit or group") {
  const std::vector<std::pair<pr::Reply, std::string>> cases = {
      {reply(C::kUnitState, O::kOk, kStopped, 0, "failed/failed"),
       "systemd says the unit is failed/failed"},
      {reply(C::kUnitState, O::kOk, kStopped, 0, "inactive"), "systemd says the unit is inactive"},
      {reply(C::kUnitState, O::kFailed, kRunning, 0, "sleeping/deep"),
       "systemd says the unit is sleeping/deep, a state vigil does not know"},
      {reply(C::kSystemdNoAnswer, O::kTimeout, kRunning, -1),
       "systemd did not answer over D-Bus within 2000 ms"},
      {reply(C::kSystemdUnreachable, O::kFailed, kRunning, -1, {},
             "resourced: org.freedesktop.DBus.Error.NoReply: Connection terminated"),
       "systemd could not be asked over D-Bus: org.freedesktop.DBus.Error.NoReply: Connection "
       "terminated"},
  };
  for (const auto& [r, text] : cases) {
    CHECK(check_failure_text(r) == text);
    CHECK_FALSE(says_program(check_failure_text(r)));
  }
}

TEST_CASE("check wording: the reason is the last line of the output, after the agent's own") {
  CHECK(check_failure_text(reply(C::kNotRun, O::kFailed, kRunning, -1, {},
                                 "some output\nresourced: Cannot run /x: No such file\n")) ==
        "check could not be run: Cannot run /x: No such file");
}

TEST_CASE("check wording: a refusal, and an answer that does not say how it ran, claim nothing") {
  CHECK(check_failure_text(reply(C::kNone, O::kRefused, kRunning, 0)) ==
        "resourced refused the check");
  CHECK(check_failure_text(reply(C::kNone, O::kOk, kStopped, 0)) == "not running");
  CHECK(check_failure_text(reply(C::kNone, O::kTimeout, kRunning, -9)) ==
        "check timed out after 2000 ms");
  CHECK(check_failure_text(reply(C::kNone, O::kFailed, kRunning, 1)) == "check failed");
}

}  // namespace vigil::engine
