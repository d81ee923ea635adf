// vigilctl standby|takeover [all|foreign|local|failback] (heartbeat-compat.md
// §6.6, §7.3; hb_standby and hb_takeover call these). Like heartbeat's
// tools the request is asynchronous: "accepted" means heartbeatd started
// the standby protocol; its outcome is in the log.
#include <iostream>
#include <string_view>

#include "vigilctl/command.h"
#include "vigilctl/control_client.h"

namespace vigil::ctl {

namespace {

int run_move(std::string_view verb, const conf::CommonOptions& options,
             const std::vector<std::string>& args) {
  namespace ctlmsg = proto::control;
  ctlmsg::ResourceClass cls = ctlmsg::ResourceClass::kAll;
  if (args.size() > 1 || (args.size() == 1 && !ctlmsg::parse_class_word(args[0], cls))) {
    std::cerr << "usage: vigilctl " << verb << " [all|foreign|local|failback]\n";
    return kExitUsage;
  }
  const ctlmsg::Message request = verb == "standby" ? ctlmsg::Message{ctlmsg::Standby{cls}}
                                                    : ctlmsg::Message{ctlmsg::Takeover{cls}};
  const Reply reply = ask(control_socket_path(options.paths), request);
  if (!reply.ok) {
    std::cerr << "vigilctl " << verb << ": " << reply.error.message << "\n";
    return kExitFailed;
  }
  const auto* answer = std::get_if<ctlmsg::CommandReply>(&reply.message);
  if (answer == nullptr) {
    std::cerr << "vigilctl " << verb << ": heartbeatd answered with the wrong message\n";
    return kExitFailed;
  }
  if (!answer->accepted) {
    std::cerr << "vigilctl " << verb << " [" << ctlmsg::class_word(cls)
              << "]: refused: " << answer->message << "\n";
    return kExitFailed;
  }
  if (!answer->message.empty()) std::cout << answer->message << "\n";
  return kExitOk;
}

}  // namespace

int run_standby(const conf::CommonOptions& options, const std::vector<std::string>& args) {
  return run_move("standby", options, args);
}

int run_takeover(const conf::CommonOptions& options, const std::vector<std::string>& args) {
  return run_move("takeover", options, args);
}

// `failback`: hand the foreign groups back to their home node, i.e.
// hb_standby failback = standby foreign (heartbeat-compat.md §7.3).
int run_failback(const conf::CommonOptions& options, const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::cerr << "usage: vigilctl failback\n";
    return kExitUsage;
  }
  return run_move("standby", options, {"foreign"});
}

}  // namespace vigil::ctl
