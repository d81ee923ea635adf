// vigilctl status [--json]: heartbeatd's view of the cluster, from its
// control socket (readable by root, heartbeatd's user and group haclient).
#include <iostream>

#include "heartbeatd/ctl/command.h"
#include "heartbeatd/ctl/control_client.h"
#include "heartbeatd/ctl/status_render.h"

namespace vigil::ctl {

int run_status(const conf::CommonOptions& options, const std::vector<std::string>& args) {
  bool json = false;
  for (const auto& a : args) {
    if (a == "--json") {
      json = true;
    } else {
      std::cerr << "vigilctl status: unexpected argument [" << a
                << "]; expected: vigilctl status [--json]\n";
      return kExitUsage;
    }
  }
  const Reply reply = ask(control_socket_path(options.paths), proto::control::StatusRequest{});
  if (!reply.ok) {
    std::cerr << "vigilctl status: " << reply.error.message << "\n";
    return kExitFailed;
  }
  const auto* status = std::get_if<proto::control::StatusReply>(&reply.message);
  if (status == nullptr) {
    std::cerr << "vigilctl status: heartbeatd answered with the wrong message\n";
    return kExitFailed;
  }
  std::cout << (json ? render_status_json(*status) : render_status_table(*status));
  return kExitOk;
}

}  // namespace vigil::ctl
