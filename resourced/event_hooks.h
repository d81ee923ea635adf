// What resourced does with a cluster event heartbeatd reports (a Task of
// kind kEvent, common/proto/resourced_messages.h): with a notify hook in
// vigil.cf it first spools the event on disk for the hook (notify_delivery.h:
// durable before heartbeatd hears it was taken); then it runs the rc.d
// script it found for that event (event_scripts.h), one at a time, in
// order (event_script_runner.h). Everything run comes from resourced's own
// survey of its own configuration directory; the event only selects an
// entry of it, and its fields become environment data (event_command.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/event_loop.h"
#include "common/proto/cluster_event.h"
#include "common/result.h"
#include "resourced/event_script_runner.h"
#include "resourced/event_scripts.h"
#include "resourced/notify_delivery.h"

namespace vigil::resourced {

struct EventHooksOptions {
  std::vector<std::string> environment;  // agent_environment(config)
  EventScriptSurvey scripts;             // survey_event_scripts(CONFIG_DIR/rc.d)
  Duration script_timeout = std::chrono::minutes(2);
  std::string output_dir;  // as the agents' (agent_executor.h)
  // vigil.cf's notify_hook, opened on its spool; null without one.
  std::unique_ptr<NotifyDelivery> notify;
};

class EventHooks {
 public:
  EventHooks(EventLoop& loop, EventHooksOptions options);

  // Queues what `event` triggers. An error (the spool cannot be written, a
  // field that would replace one of resourced's own variables) is the
  // reply's reason.
  Status on_event(proto::ClusterEvent event, const std::vector<proto::EventField>& fields);

  std::size_t scripts_pending() const { return scripts_.pending(); }
  const NotifyDelivery* notify() const { return options_.notify.get(); }

 private:
  EventHooksOptions options_;
  EventScriptRunner scripts_;
};

}  // namespace vigil::resourced
