#include "heartbeatd/engine/check_wording.h"

#include <fmt/format.h>

#include <string_view>

namespace vigil::engine {

namespace pr = proto::resourced;

namespace {

// resourced ends a failure's output with its own one-line reason
// ("resourced: ..."; resourced/server_reply.h): the last line, without
// that prefix, says why nothing ran or why systemd could not be asked.
std::string reason_in(const std::string& output_tail) {
  std::string_view tail = output_tail;
  while (!tail.empty() && tail.back() == '\n') tail.remove_suffix(1);
  if (const auto nl = tail.rfind('\n'); nl != std::string_view::npos) tail.remove_prefix(nl + 1);
  constexpr std::string_view kPrefix = "resourced: ";
  if (tail.substr(0, kPrefix.size()) == kPrefix) tail.remove_prefix(kPrefix.size());
  return std::string(tail);
}

std::string with_reason(std::string what, const std::string& output_tail) {
  const std::string why = reason_in(output_tail);
  return why.empty() ? what : fmt::format("{}: {}", what, why);
}

// A Reply that does not say how the check ran (kNone): only its outcome is
// known, so nothing is claimed about a program or systemd.
std::string unsaid_way_text(const pr::Reply& r) {
  switch (r.outcome) {
    case pr::Outcome::kOk:
      return "not running";
    case pr::Outcome::kTimeout:
      return fmt::format("check timed out after {} ms", r.duration_ms);
    case pr::Outcome::kFailed:
    case pr::Outcome::kRefused:
      break;
  }
  return "check failed";
}

}  // namespace

bool check_passed(const pr::Reply& r) {
  return r.outcome == pr::Outcome::kOk && r.state == pr::RunState::kRunning;
}

std::string check_failure_text(const pr::Reply& r) {
  if (r.outcome == pr::Outcome::kRefused) return "resourced refused the check";
  if (check_passed(r)) return {};
  switch (r.check) {
    case pr::CheckRun::kNone:
      return unsaid_way_text(r);
    case pr::CheckRun::kProgramExited:
      if (r.outcome == pr::Outcome::kOk)
        return fmt::format("not running (the check exited {})", r.exit_status);
      return fmt::format("check failed (exit {})", r.exit_status);
    case pr::CheckRun::kProgramSignalled:
      return fmt::format("check killed by signal {}", -r.exit_status);
    case pr::CheckRun::kProgramTimedOut:
      return fmt::format("check timed out after {} ms; its process group was killed",
                         r.duration_ms);
    case pr::CheckRun::kNotRun:
      return with_reason("check could not be run", r.output_tail);
    case pr::CheckRun::kUnitState:
      if (r.outcome == pr::Outcome::kOk)
        return fmt::format("systemd says the unit is {}", r.unit_state);
      return fmt::format("systemd says the unit is {}, a state vigil does not know", r.unit_state);
    case pr::CheckRun::kSystemdNoAnswer:
      return fmt::format("systemd did not answer over D-Bus within {} ms", r.duration_ms);
    case pr::CheckRun::kSystemdUnreachable:
      return with_reason("systemd could not be asked over D-Bus", r.output_tail);
  }
  return unsaid_way_text(r);
}

}  // namespace vigil::engine
