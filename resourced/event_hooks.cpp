#include "resourced/event_hooks.h"

#include <chrono>
#include <utility>

#include "resourced/event_command.h"

namespace vigil::resourced {

EventHooks::EventHooks(EventLoop& loop, EventHooksOptions options)
    : options_(std::move(options)), scripts_(loop, options_.script_timeout, options_.output_dir) {}

Status EventHooks::on_event(proto::ClusterEvent event,
                            const std::vector<proto::EventField>& fields) {
  if (options_.notify) {
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    if (Status s = options_.notify->enqueue(event, fields, now.count()); !s) return s;
  }
  const auto script = event_script_for(options_.scripts, event);
  if (!script) return {};
  auto cmd = event_command(*script, event, fields, options_.environment);
  if (!cmd) return cmd.error();
  scripts_.submit(std::move(*cmd));
  return {};
}

}  // namespace vigil::resourced
