// Fencing before takeover (heartbeat-compat.md §6.4, §6.8; field-notes A10):
// when a dead node may still hold its groups and ha.cf names a STONITH
// device for us (or vigil.cf a fence_agent for that node, issue 14), its groups are taken over only
// after resourced confirms the reset. Until then nothing of the dead node's starts here, however
// long the device takes: two holders of a shared disk are worse than a
// service that waits. heartbeat's words and rhythm: `Resetting node X with
// [TYPE]`, then `node X now reset.` or `STONITH of X failed.  Retrying...`
// and another try every kStonithRetry (5 s).
#include <fmt/format.h>

#include <algorithm>

#include "heartbeatd/ownership/ownership.h"

namespace vigil::ownership {

void Ownership::request_fence(const std::string& node, Actions& out) {
  const auto& nodes = config_.ha_cf.nodes;
  const auto index =
      static_cast<std::uint32_t>(std::find(nodes.begin(), nodes.end(), node) - nodes.begin());
  Fence& fence = fences_[node];
  const bool first = fence.request_id == 0 && !fence.retry_at;
  fence.request_id = next_fence_id_++;
  fence.retry_at.reset();
  // The device or fence agent resourced tries first; the others follow if
  // it fails.
  if (first)
    log(out, log::Priority::kInfo,
        fmt::format("Resetting node {} with [{}]", node, fence_method_.at(node)), "stonith-reset",
        node);
  out.emplace_back(FenceRequest{node, fence.request_id, index});
}

Actions Ownership::on_fence_result(std::uint32_t request_id, bool reset, MonoTime now) {
  Actions out;
  auto it = std::find_if(fences_.begin(), fences_.end(),
                         [request_id](const auto& f) { return f.second.request_id == request_id; });
  if (it == fences_.end()) return out;  // the node came back meanwhile (cancel_fence)
  const std::string node = it->first;
  if (!reset) {
    log(out, log::Priority::kError, fmt::format("STONITH of {} failed.  Retrying...", node),
        "stonith-failed", node);
    it->second.request_id = 0;
    it->second.retry_at = now + kStonithRetry;
    return out;
  }
  fences_.erase(it);
  log(out, log::Priority::kInfo, fmt::format("node {} now reset.", node), "stonith-reset", node);
  send(out, messages::Stonith{node, "OK"});
  Peer* p = peer(node);
  if (p == nullptr || p->alive || p->taken_over) return out;
  if (state_ == ResourceState::kShutdown || shutdown_requested_) return out;
  takeover_from(node, /*after_shutdone=*/false, now, out);
  check_auto_failback(now, out);
  return out;
}

void Ownership::retry_fences(MonoTime now, Actions& out) {
  std::vector<std::string> due;
  for (const auto& [node, fence] : fences_)
    if (fence.retry_at && now >= *fence.retry_at) due.push_back(node);
  for (const auto& node : due) request_fence(node, out);
}

// It is alive after all (its status came back): it still holds its own
// groups, so there is nothing to take over and no reason to reset it. A
// reset already under way may still land; then it dies again and the
// decision is made afresh.
void Ownership::cancel_fence(const std::string& node, Actions& out) {
  if (fences_.erase(node) == 0) return;
  log(out, log::Priority::kWarn,
      fmt::format("Node {} is alive again: STONITH cancelled, its resources are not taken over",
                  node),
      "stonith-cancelled", node);
}

}  // namespace vigil::ownership
