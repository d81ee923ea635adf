#include "resourced/server_reply.h"

#include <chrono>

namespace vigil::resourced {

namespace pr = proto::resourced;

Action action_for(pr::Op op) {
  switch (op) {
    case pr::Op::kStart:
      return Action::kStart;
    case pr::Op::kStop:
      return Action::kStop;
    case pr::Op::kStatus:
      return Action::kStatus;
  }
  return Action::kStatus;
}

pr::Reply reply_for(const pr::Request& request, const ActionResult& result) {
  pr::Reply reply;
  reply.request_id = request.request_id;
  reply.op = request.op;
  reply.outcome = result.timed_out   ? pr::Outcome::kTimeout
                  : result.succeeded ? pr::Outcome::kOk
                                     : pr::Outcome::kFailed;
  reply.state = result.running ? pr::RunState::kRunning : pr::RunState::kStopped;
  reply.exit_status = result.signal != 0 ? -result.signal : result.exit_code;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(result.duration).count();
  reply.duration_ms = ms < 0 ? 0 : static_cast<std::uint32_t>(ms);
  std::string tail = result.output_tail;
  if (!result.succeeded && !result.message.empty()) {
    if (!tail.empty() && tail.back() != '\n') tail += '\n';
    tail += "resourced: " + result.message;
  }
  if (tail.size() > proto::kMaxText) tail.erase(0, tail.size() - proto::kMaxText);
  reply.output_tail = std::move(tail);
  return reply;
}

pr::CheckRun check_run_for(const ActionResult& result) {
  if (result.asked_systemd) {
    if (result.timed_out) return pr::CheckRun::kSystemdNoAnswer;
    return result.unit_state.empty() ? pr::CheckRun::kSystemdUnreachable : pr::CheckRun::kUnitState;
  }
  if (result.timed_out) return pr::CheckRun::kProgramTimedOut;
  if (result.signal != 0) return pr::CheckRun::kProgramSignalled;
  if (result.exit_code >= 0) return pr::CheckRun::kProgramExited;
  return pr::CheckRun::kNotRun;  // no agent, a spawn error, or no exit status
}

pr::Reply check_reply_for(const pr::Request& request, const ActionResult& result) {
  pr::Reply reply = reply_for(request, result);
  reply.check = check_run_for(result);
  if (reply.check == pr::CheckRun::kUnitState) {
    // systemd's state names are ASCII words; anything else is shown, not sent.
    reply.unit_state = result.unit_state.substr(0, pr::kMaxUnitState);
    for (char& c : reply.unit_state)
      if (c < 0x20 || c > 0x7e) c = '?';
  }
  return reply;
}

}  // namespace vigil::resourced
