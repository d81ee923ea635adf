// The answer to a health check (resourced/server_reply.h): how the check
// ran, from what resourced did, so heartbeatd never guesses it from an
// exit status. Every reply built here must also pass the vocabulary's own
// checks (common/proto/resourced_messages.h), or it could not be sent.
#include <catch2/catch.hpp>
#include <chrono>

#include "common/ipc/frame.h"
#include "resourced/server_reply.h"
#include "resourced/systemd_health_check.h"

using namespace vigil;
using namespace vigil::resourced;
using namespace std::chrono_literals;
namespace pr = vigil::proto::resourced;

namespace {

const pr::Request kCheck{7, std::string(64, 'a'), {0, 1}, pr::Op::kStatus};

// The reply as heartbeatd decodes it.
pr::Reply sent(const ActionResult& result) {
  const pr::Reply reply = check_reply_for(kCheck, result);
  auto bytes = pr::encode(reply);
  REQUIRE(bytes.ok());
  auto frame = ipc::decode_frame(*bytes);
  REQUIRE(frame.ok());
  auto decoded = pr::decode(*frame);
  REQUIRE(decoded.ok());
  REQUIRE(std::get<pr::Reply>(*decoded) == reply);
  return reply;
}

ActionResult program(int exit_code, bool succeeded, bool running) {
  ActionResult r;
  r.runs = 1;
  r.exit_code = exit_code;
  r.succeeded = succeeded;
  r.running = running;
  return r;
}

UnitStateAnswer unit(UnitStateAnswer::Kind kind, std::string active, std::string sub = {}) {
  UnitStateAnswer a;
  a.kind = kind;
  a.active_state = std::move(active);
  a.sub_state = std::move(sub);
  a.took = 3ms;
  return a;
}

}  // namespace

TEST_CASE("check reply: a program that exited says so with its code") {
  const pr::Reply running = sent(program(0, true, true));
  CHECK(running.check == pr::CheckRun::kProgramExited);
  CHECK(running.exit_status == 0);
  const pr::Reply stopped = sent(program(7, true, false));
  CHECK(stopped.check == pr::CheckRun::kProgramExited);
  CHECK(stopped.state == pr::RunState::kStopped);
  const pr::Reply failed = sent(program(1, false, true));
  CHECK(failed.check == pr::CheckRun::kProgramExited);
  CHECK(failed.outcome == pr::Outcome::kFailed);
  CHECK(failed.exit_status == 1);
  CHECK(failed.unit_state.empty());
}

TEST_CASE("check reply: a program killed at its timeout, or by a signal, says which") {
  ActionResult hung = program(-1, false, true);
  hung.timed_out = true;
  hung.signal = 9;  // the SIGKILL of the timeout: still a timeout
  const pr::Reply timed_out = sent(hung);
  CHECK(timed_out.check == pr::CheckRun::kProgramTimedOut);
  CHECK(timed_out.outcome == pr::Outcome::kTimeout);

  ActionResult killed = program(-1, false, true);
  killed.signal = 15;
  const pr::Reply signalled = sent(killed);
  CHECK(signalled.check == pr::CheckRun::kProgramSignalled);
  CHECK(signalled.exit_status == -15);
}

TEST_CASE("check reply: a check that could not run says nothing ran") {
  ActionResult none;  // as ResourceServer::launch answers a resource with no agent
  none.running = true;
  none.message = "no agent named web in resource.d or init.d";
  const pr::Reply reply = sent(none);
  CHECK(reply.check == pr::CheckRun::kNotRun);
  CHECK(reply.output_tail == "resourced: no agent named web in resource.d or init.d");
}

TEST_CASE("check reply: systemd's answer over D-Bus is a unit state, not an exit") {
  using K = UnitStateAnswer::Kind;
  const pr::Reply active = sent(status_result_for(unit(K::kRunning, "active", "running")));
  CHECK(active.check == pr::CheckRun::kUnitState);
  CHECK(active.unit_state == "active/running");
  CHECK(active.state == pr::RunState::kRunning);

  const pr::Reply failed = sent(status_result_for(unit(K::kNotRunning, "failed", "failed")));
  CHECK(failed.check == pr::CheckRun::kUnitState);
  CHECK(failed.unit_state == "failed/failed");
  CHECK(failed.outcome == pr::Outcome::kOk);
  CHECK(failed.state == pr::RunState::kStopped);

  // A unit systemd has not loaded: inactive, with no SubState.
  const pr::Reply unloaded = sent(status_result_for(unit(K::kNotRunning, "inactive")));
  CHECK(unloaded.unit_state == "inactive");

  // A state vigil does not know is still systemd's answer.
  const pr::Reply unknown = sent(status_result_for(unit(K::kFailed, "sleeping", "deep")));
  CHECK(unknown.check == pr::CheckRun::kUnitState);
  CHECK(unknown.outcome == pr::Outcome::kFailed);
  CHECK(unknown.unit_state == "sleeping/deep");
}

TEST_CASE(
    "check reply: systemd silent or unreachable over D-Bus is neither a program nor a state") {
  using K = UnitStateAnswer::Kind;
  UnitStateAnswer silent = unit(K::kTimedOut, "");
  silent.message = "systemd did not answer within 600 ms";
  const pr::Reply no_answer = sent(status_result_for(silent));
  CHECK(no_answer.check == pr::CheckRun::kSystemdNoAnswer);
  CHECK(no_answer.outcome == pr::Outcome::kTimeout);
  CHECK(no_answer.duration_ms == 3);

  UnitStateAnswer gone = unit(K::kFailed, "");
  gone.message = "org.freedesktop.DBus.Error.NoReply: Connection terminated";
  const pr::Reply unreachable = sent(status_result_for(gone));
  CHECK(unreachable.check == pr::CheckRun::kSystemdUnreachable);
  CHECK(unreachable.outcome == pr::Outcome::kFailed);
  CHECK(unreachable.output_tail ==
        "resourced: org.freedesktop.DBus.Error.NoReply: Connection terminated");
}

TEST_CASE("check reply: a unit state that is not printable is sent with its bytes replaced") {
  ActionResult r = status_result_for(unit(UnitStateAnswer::Kind::kFailed, "odd\tstate"));
  const pr::Reply reply = sent(r);
  CHECK(reply.unit_state == "odd?state");
}

TEST_CASE("check reply: an ordinary request's reply says no check (its IPC v1 bytes)") {
  const pr::Reply reply = reply_for(kCheck, program(0, true, true));
  CHECK(reply.check == pr::CheckRun::kNone);
  CHECK(reply.unit_state.empty());
}
