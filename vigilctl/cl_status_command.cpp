// vigilctl cl_status ...: heartbeat's cl_status (cl_status.h has the rules;
// packaging/tools/cl_status.in execs this).
#include <iostream>

#include "vigil_build_config.h"
#include "vigilctl/cl_status.h"
#include "vigilctl/command.h"
#include "vigilctl/control_client.h"

namespace vigil::ctl {

int run_cl_status(const conf::CommonOptions& options, const std::vector<std::string>& args) {
  auto request = cl_status::parse(args);
  if (!request) {
    std::cerr << "cl_status: " << request.error().message << "\n" << cl_status::usage();
    return cl_status::kParamError;
  }
  const Reply reply = ask(control_socket_path(options.paths), proto::control::StatusRequest{});
  cl_status::Output out;
  if (!reply.ok) {
    out = cl_status::unreachable(*request, reply.error);
  } else if (const auto* st = std::get_if<proto::control::StatusReply>(&reply.message)) {
    // heartbeat prints "3.0.6 (<hg changeset>)"; vigil speaks 3.0.6's
    // protocol and names itself where the changeset was.
    out = cl_status::answer(*request, *st, "3.0.6 (vigil " VIGIL_VERSION ")");
  } else {
    out = cl_status::unreachable(
        *request, ClientError{Failure::kProtocol, "heartbeatd answered with the wrong message"});
  }
  std::cout << out.out;
  std::cerr << out.err;
  return out.exit;
}

}  // namespace vigil::ctl
