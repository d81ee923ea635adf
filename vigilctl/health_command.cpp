// vigilctl cleanup | maintenance on|off [GROUP] (issue 16; resource health,
// heartbeatd/engine/health_monitor.h). Both need root or group haclient,
// like standby. GROUP is a group key as `vigilctl status` prints it.
#include <iostream>
#include <string_view>

#include "vigilctl/command.h"
#include "vigilctl/control_client.h"

namespace vigil::ctl {

namespace {

namespace ctlmsg = proto::control;

int send_health(std::string_view what, const conf::CommonOptions& options,
                const ctlmsg::HealthCommand& command) {
  const Reply reply = ask(control_socket_path(options.paths), ctlmsg::Message{command});
  if (!reply.ok) {
    std::cerr << "vigilctl " << what << ": " << reply.error.message << "\n";
    return kExitFailed;
  }
  const auto* answer = std::get_if<ctlmsg::CommandReply>(&reply.message);
  if (answer == nullptr) {
    std::cerr << "vigilctl " << what << ": heartbeatd answered with the wrong message\n";
    return kExitFailed;
  }
  if (!answer->accepted) {
    std::cerr << "vigilctl " << what << ": refused: " << answer->message << "\n";
    return kExitFailed;
  }
  if (!answer->message.empty()) std::cout << answer->message << "\n";
  return kExitOk;
}

}  // namespace

int run_cleanup(const conf::CommonOptions& options, const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::cerr << "usage: vigilctl cleanup\n";
    return kExitUsage;
  }
  return send_health("cleanup", options, {ctlmsg::HealthCommand::Verb::kCleanup, {}});
}

int run_maintenance(const conf::CommonOptions& options, const std::vector<std::string>& args) {
  if (args.empty() || args.size() > 2 || (args[0] != "on" && args[0] != "off")) {
    std::cerr << "usage: vigilctl maintenance on|off [GROUP]\n";
    return kExitUsage;
  }
  const auto verb = args[0] == "on" ? ctlmsg::HealthCommand::Verb::kMaintenanceOn
                                    : ctlmsg::HealthCommand::Verb::kMaintenanceOff;
  return send_health("maintenance", options, {verb, args.size() == 2 ? args[1] : std::string()});
}

}  // namespace vigil::ctl
