// Runs rc.d event scripts one at a time, in the order the events arrived
// (heartbeat-compat.md §6.9: heartbeat queued them and ran the next when
// the previous one ended). A script's failure is logged and the next one
// runs; nothing here waits for or blocks a resource action: group starts
// and stops go through their own queue (action_queue.h), so a slow mail
// script never delays a takeover — heartbeat, by contrast, held events
// while any resource script ran.
//
// Each run has `timeout` (heartbeat had none: one hung script stopped every
// later event); past it the script's process group is killed and the next
// event runs.
#pragma once

#include <deque>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/event_loop.h"
#include "resourced/agent_command.h"
#include "resourced/agent_executor.h"

namespace vigil::resourced {

class EventScriptRunner {
 public:
  EventScriptRunner(EventLoop& loop, Duration timeout, std::string output_dir = {});

  // Queues one run; starts it now if nothing is running.
  void submit(Command command);

  std::size_t pending() const { return queue_.size() + (running_ ? 1 : 0); }

 private:
  void start_next();

  Duration timeout_;
  AgentExecutor executor_;
  std::deque<Command> queue_;
  bool running_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace vigil::resourced
