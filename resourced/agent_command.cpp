#include "resourced/agent_command.h"

#include <fmt/format.h>

#include "resourced/ocf.h"
#include "resourced/status_text.h"

namespace vigil::resourced {

namespace {

std::string_view ocf_verb(Action a) {
  switch (a) {
    case Action::kStart:
      return "start";
    case Action::kStop:
      return "stop";
    case Action::kStatus:
      return "monitor";
  }
  return "monitor";
}

std::string_view systemctl_verb(Action a) {
  switch (a) {
    case Action::kStart:
      return "start";
    case Action::kStop:
      return "stop";
    case Action::kStatus:
      return "is-active";
  }
  return "is-active";
}

std::string running_text(const std::string& path, const std::vector<std::string>& shown_args,
                         std::string_view verb) {
  return fmt::format("Running {} {} {}", path, fmt::join(shown_args, " "), verb);
}

}  // namespace

Command build_command(const AgentCall& call, Action action,
                      const std::vector<std::string>& base_env, std::chrono::milliseconds timeout) {
  Command cmd;
  cmd.path = call.path;
  cmd.env = base_env;
  cmd.argv.push_back(call.path);
  switch (call.kind) {
    case AgentKind::kHeartbeat:
    case AgentKind::kLsb:
      // §3.2: arguments first, the action last.
      cmd.argv.insert(cmd.argv.end(), call.args.begin(), call.args.end());
      cmd.argv.emplace_back(action_word(action));
      cmd.running_text = running_text(call.path, call.args, action_word(action));
      break;
    case AgentKind::kOcf: {
      cmd.argv.emplace_back(ocf_verb(action));
      cmd.env.push_back(fmt::format("OCF_RA_VERSION_MAJOR={}", ocf::kRaVersionMajor));
      cmd.env.push_back(fmt::format("OCF_RA_VERSION_MINOR={}", ocf::kRaVersionMinor));
      cmd.env.push_back(fmt::format("OCF_RESOURCE_INSTANCE={}", call.ocf_instance));
      cmd.env.push_back(fmt::format("OCF_RESOURCE_TYPE={}", call.ocf_type));
      cmd.env.push_back(fmt::format("OCF_RESOURCE_PROVIDER={}", call.ocf_provider));
      cmd.env.push_back(fmt::format("OCF_RESKEY_CRM_meta_timeout={}", timeout.count()));
      std::vector<std::string> shown;
      for (const auto& [key, value] : call.ocf_params) {
        cmd.env.push_back(fmt::format("OCF_RESKEY_{}={}", key, value));
        shown.push_back(fmt::format("{}={}", key, value));
      }
      cmd.running_text = running_text(call.path, shown, ocf_verb(action));
      break;
    }
    case AgentKind::kSystemd:
      // --no-ask-password: nobody is there to answer; --no-block is not
      // used, so start/stop return once the job has finished (or failed).
      cmd.argv.emplace_back("--no-ask-password");
      if (action == Action::kStatus) cmd.argv.emplace_back("--quiet");
      cmd.argv.emplace_back(systemctl_verb(action));
      cmd.argv.emplace_back("--");
      cmd.argv.push_back(call.unit);
      cmd.running_text = running_text(call.path, {call.unit}, systemctl_verb(action));
      break;
  }
  return cmd;
}

Verdict interpret_exit(const AgentCall& call, Action action, int exit_code,
                       std::string_view stdout_text) {
  switch (call.kind) {
    case AgentKind::kHeartbeat:
    case AgentKind::kLsb:
      // §3.3: the exit code of status is ignored.
      if (action == Action::kStatus) return {true, status_text_says_running(stdout_text)};
      return {exit_code == 0, false};
    case AgentKind::kOcf:
      if (action == Action::kStatus) {
        if (exit_code == ocf::kSuccess || exit_code == ocf::kRunningMaster) return {true, true};
        if (exit_code == ocf::kNotRunning) return {true, false};
        return {false, true};
      }
      // An OCF stop that finds the resource not running has done its job.
      if (action == Action::kStop)
        return {exit_code == ocf::kSuccess || exit_code == ocf::kNotRunning, false};
      return {exit_code == ocf::kSuccess, false};
    case AgentKind::kSystemd:
      if (action == Action::kStatus) {
        // is-active: 0 active; 3 inactive/failed/activating; 4 no such unit.
        if (exit_code == 0) return {true, true};
        if (exit_code == 3 || exit_code == 4) return {true, false};
        return {false, true};
      }
      return {exit_code == 0, false};
  }
  return {false, true};
}

}  // namespace vigil::resourced
