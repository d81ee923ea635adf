// The isolated node's release and return (heartbeatd/engine/isolation.h
// decides when; issue 13, beyond heartbeat, which kept serving). Both are
// walks of the group walker like any other, so they queue behind a walk
// already running (a takeover the peer's death began is finished, then
// undone).
#include <fmt/format.h>

#include "heartbeatd/ownership/ownership.h"

namespace vigil::ownership {

Actions Ownership::release_isolated(MonoTime now) {
  Actions out;
  if (!comm_up_ || state_ == ResourceState::kShutdown || shutdown_requested_) return out;
  cancel_standby(out);
  // Nothing here is to be given back or retried while cut off: the peer
  // serves, and the end of the isolation (or the healed partition, §6.8)
  // decides again.
  needs_failback_ = false;
  failure_standby_.reset();
  // Every group, held or not (stop is idempotent, §6.6 note): a start a
  // takeover queued before us is undone too. Frozen groups as well: the
  // peer is taking them over, and maintenance never lets a group run twice
  // (maintenance.cpp).
  run(make_job(Direction::kStop, Purpose::kIsolatedRelease, groups_of(kAll)), now, out);
  i_hold_ = kNone;
  return out;
}

Actions Ownership::end_isolation(MonoTime now) {
  Actions out;
  if (!comm_up_ || state_ == ResourceState::kShutdown || shutdown_requested_ || any_peer_alive())
    return out;
  // The peer is still dead: as the lone node, this one serves everything
  // (what a takeover would have left, §6.4).
  Job job = make_job(Direction::kStart, Purpose::kIsolationOver);
  for (auto g : groups_of(kAll))
    if (!walker_.running(g) || walker_.pending(g)) job.groups.push_back(g);
  i_hold_ = kAll;
  if (policy_ == conf::AutoFailback::kOn && has_groups(kForeign)) needs_failback_ = true;
  log(out, log::Priority::kWarn, "Taking every resource group back: the peer is still dead.",
      "isolated-release");
  run(std::move(job), now, out);
  return out;
}

void Ownership::isolation_done(const Job& job, Actions& out) {
  if (job.purpose == Purpose::kIsolatedRelease) {
    i_hold_ = kNone;  // a takeover that finished meanwhile claimed groups
    log(out, log::Priority::kWarn, "All resource groups released (isolated).", "isolated-release");
  } else {
    log(out, log::Priority::kInfo, "All resource groups acquired (no longer isolated).",
        "isolated-release");
  }
  send_resources(true, {}, out);
}

}  // namespace vigil::ownership
