#include "resourced/event_hooks.h"

#include <utility>

#include "resourced/event_command.h"

namespace vigil::resourced {

EventHooks::EventHooks(EventLoop& loop, EventHooksOptions options)
    : options_(std::move(options)), scripts_(loop, options_.script_timeout, options_.output_dir) {}

Status EventHooks::on_event(proto::ClusterEvent event,
                            const std::vector<proto::EventField>& fields) {
  const auto script = event_script_for(options_.scripts, event);
  if (!script) return {};
  auto cmd = event_command(*script, event, fields, options_.environment);
  if (!cmd) return cmd.error();
  scripts_.submit(std::move(*cmd));
  return {};
}

}  // namespace vigil::resourced
