#include "vigilctl/drbd_fence_peer.h"

#include <fmt/format.h>

#include <charconv>

namespace vigil::ctl {

namespace ctlmsg = proto::control;

namespace {

// DRBD_PEERS (8.4+) lists every peer; a two-node resource has one.
std::optional<std::string> single_peer(const std::string& peers) {
  std::string one;
  std::size_t words = 0;
  std::size_t i = 0;
  while (i < peers.size()) {
    while (i < peers.size() && peers[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < peers.size() && peers[i] != ' ') ++i;
    if (i > start) {
      ++words;
      one = peers.substr(start, i - start);
    }
  }
  if (words != 1) return std::nullopt;
  return one;
}

}  // namespace

Result<ctlmsg::OutdatePeerRequest> parse_fence_peer(const std::vector<std::string>& args,
                                                    const EnvLookup& env) {
  ctlmsg::OutdatePeerRequest request;
  std::optional<std::string> resource;
  std::optional<std::string> peer;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a != "-t" && a != "-r" && a != "-p")
      return Error{
          fmt::format("unexpected argument \"{}\" (expected -t SECONDS, -r RESOURCE, "
                      "-p PEER)",
                      a)};
    if (i + 1 >= args.size()) return Error{a + " needs a value"};
    const std::string& value = args[++i];
    if (a == "-t") {
      unsigned seconds = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
      if (ec != std::errc{} || end != value.data() + value.size() || seconds == 0 ||
          seconds * 1000 > ctlmsg::kMaxOutdateTimeoutMs)
        return Error{
            fmt::format("-t {}: seconds from 1 to {}", value, ctlmsg::kMaxOutdateTimeoutMs / 1000)};
      request.timeout_ms = seconds * 1000;
    } else if (a == "-r") {
      resource = value;
    } else {
      peer = value;
    }
  }
  if (!resource) resource = env("DRBD_RESOURCE");
  if (!resource || resource->empty())
    return Error{"no DRBD resource: DRBD_RESOURCE is not set (DRBD sets it) and no -r RESOURCE"};
  if (resource->size() > ctlmsg::kMaxDrbdResource)
    return Error{fmt::format("DRBD resource name longer than {} bytes", ctlmsg::kMaxDrbdResource)};
  request.drbd = *resource;
  if (!peer) peer = env("DRBD_PEER");
  if (!peer)
    if (auto peers = env("DRBD_PEERS")) peer = single_peer(*peers);
  if (peer) {
    if (peer->size() > ctlmsg::kMaxName) return Error{"peer name too long"};
    request.peer = *peer;
  }
  return request;
}

}  // namespace vigil::ctl
