// drbd-fence-peer (drbd_fence_peer.h): one question to heartbeatd, its
// answer as the exit code DRBD reads.
#include <cstdio>
#include <cstdlib>

#include "conf/options.h"
#include "vigilctl/control_client.h"
#include "vigilctl/drbd_fence_peer.h"

int main(int argc, char** argv) {
  using namespace vigil;
  namespace ctlmsg = proto::control;
  auto options = conf::parse_common_options(argc, argv);
  if (!options) {
    std::fprintf(stderr, "drbd-fence-peer: %s\n", options.error().message.c_str());
    return ctl::kFencePeerBroken;
  }
  if (options->help) {
    std::printf(
        "Usage: drbd-fence-peer [-t SECONDS] [-r RESOURCE] [-p PEER] [OPTIONS]\n"
        "DRBD's fence-peer handler: asks heartbeatd to have the peer outdate its copy\n"
        "of the DRBD resource, and exits 4 (outdated), 3 (inconsistent), 5 (unreachable),\n"
        "6 (primary) or 1 (vigil could not say).\n"
        "  -t SECONDS    how long the peer has to answer (default 5, at most 25)\n"
        "  -r RESOURCE   the DRBD resource (default $DRBD_RESOURCE)\n"
        "  -p PEER       the peer node (default $DRBD_PEER, or the other node of ha.cf)\n%s",
        conf::common_options_help().c_str());
    return 0;
  }
  auto request = ctl::parse_fence_peer(options->rest, [](const char* name) {
    const char* v = std::getenv(name);
    return v ? std::optional<std::string>(v) : std::nullopt;
  });
  if (!request) {
    std::fprintf(stderr, "drbd-fence-peer: %s\n", request.error().message.c_str());
    return ctl::kFencePeerBroken;
  }
  // heartbeatd answers at the request's own timeout; the extra second
  // covers the socket round trip.
  const auto wait = std::chrono::milliseconds(request->timeout_ms + 1000);
  const ctl::Reply reply =
      ctl::ask(ctl::control_socket_path(options->paths), ctlmsg::Message{*request}, wait);
  if (!reply.ok) {
    std::fprintf(stderr, "drbd-fence-peer: %s: cannot tell whether the peer is outdated\n",
                 reply.error.message.c_str());
    return ctl::kFencePeerBroken;
  }
  const auto* answer = std::get_if<ctlmsg::OutdatePeerReply>(&reply.message);
  if (answer == nullptr) {
    std::fprintf(stderr, "drbd-fence-peer: heartbeatd answered with another message\n");
    return ctl::kFencePeerBroken;
  }
  std::fprintf(stderr, "drbd-fence-peer: %s: %s (exit %d)\n", request->drbd.c_str(),
               answer->message.c_str(), answer->exit_code);
  return answer->exit_code;
}
