// One action at a time per resource. Requests from heartbeatd may be in
// flight for several resources at once, but two actions on the SAME
// resource (a start still running when a stop arrives, a request re-sent
// after a reconnect, the lease-expiry stop) never run concurrently: the
// later one waits, in arrival order, until the earlier one completed.
// Agents are not written to be re-entered (an LSB script's pid file, an
// OCF agent's state file), and heartbeat never ran two at once either.
//
// The queue knows nothing about agents: `launch` starts one action and
// calls its completion later (the server passes AgentRunner::run).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <utility>

#include "common/proto/helper_common.h"
#include "resourced/action.h"
#include "resourced/action_timeouts.h"
#include "resourced/agent_runner.h"

namespace vigil::resourced {

class ActionQueue {
 public:
  using Completion = std::function<void(const ActionResult&)>;
  // `timeout`: the agent run's limit (action_timeouts.h, or a health
  // check's own from vigil.cf).
  using Launch = std::function<void(const proto::ResourcePlace& place, Action action,
                                    Duration timeout, Completion done)>;

  explicit ActionQueue(Launch launch) : launch_(std::move(launch)) {}

  // Runs `action` on `place` now if nothing runs on it, else after what is
  // queued before it. `done` is called exactly once with its result.
  void submit(const proto::ResourcePlace& place, Action action, Completion done);
  // The same with a limit of its own instead of action_timeout(action).
  void submit(const proto::ResourcePlace& place, Action action, Duration timeout, Completion done);
  // The same, started by `how` instead of the queue's `launch` (a health
  // check of a systemd unit asks the bus, not an agent), in the same lane.
  void submit(const proto::ResourcePlace& place, Action action, Duration timeout, Completion done,
              Launch how);

  // Actions running or waiting on `place`.
  std::size_t depth(const proto::ResourcePlace& place) const;
  // Actions running or waiting, on all resources.
  std::size_t size() const;

 private:
  using Key = std::pair<std::uint16_t, std::uint16_t>;
  struct Pending {
    Action action;
    Duration timeout;
    Completion done;
    Launch how;  // empty: launch_
  };
  struct Lane {
    std::deque<Pending> pending;  // front: the action running now, if `running`
    bool running = false;
  };
  void launch_front(const Key& key);
  void on_done(const Key& key, const ActionResult& result);

  Launch launch_;
  std::map<Key, Lane> lanes_;
};

}  // namespace vigil::resourced
