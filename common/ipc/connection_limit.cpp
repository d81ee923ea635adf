#include "common/ipc/connection_limit.h"

#include <fmt/format.h>

#include "common/log.h"

namespace vigil::ipc {

std::optional<ConnectionLimit::Slot> ConnectionLimit::take(const std::string& label,
                                                           const PeerCredentials& peer) {
  if (*used_ < max_) return Slot(used_);
  log::warn(fmt::format("refusing IPC connection on {} from pid {} uid {}: {} connections are "
                        "open, the limit",
                        label, peer.pid, peer.uid, *used_),
            {{"VIGIL_EVENT", "ipc-connection-limit"},
             {"VIGIL_PEER_PID", std::to_string(peer.pid)},
             {"VIGIL_PEER_UID", std::to_string(peer.uid)}});
  return std::nullopt;
}

}  // namespace vigil::ipc
