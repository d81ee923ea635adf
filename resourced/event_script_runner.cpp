#include "resourced/event_script_runner.h"

#include <fmt/format.h>

#include <utility>

#include "common/log.h"

namespace vigil::resourced {

EventScriptRunner::EventScriptRunner(EventLoop& loop, Duration timeout, std::string output_dir)
    : timeout_(timeout), executor_(loop, std::move(output_dir)) {}

void EventScriptRunner::submit(Command command) {
  queue_.push_back(std::move(command));
  if (!running_) start_next();
}

void EventScriptRunner::start_next() {
  if (queue_.empty()) return;
  Command cmd = std::move(queue_.front());
  queue_.pop_front();
  running_ = true;
  const std::string event = cmd.argv.size() > 1 ? cmd.argv[1] : "";
  const log::Fields fields = {{"VIGIL_EVENT", "rc-script"}, {"VIGIL_RC_EVENT", event}};
  log::info(cmd.running_text, fields);
  std::weak_ptr<bool> alive = alive_;
  const std::string path = cmd.path;
  executor_.execute(
      cmd, timeout_, "rc.d/" + event, {{"VIGIL_RC_EVENT", event}},
      [this, alive, path, event, fields](const ExecResult& r) {
        if (alive.expired()) return;
        if (!r.spawn_error.empty())
          log::error(fmt::format("Cannot run {}: {}", path, r.spawn_error), fields);
        else if (r.timed_out)
          log::error(
              fmt::format("{} {} timed out after {} ms; its process group "
                          "was killed",
                          path, event,
                          std::chrono::duration_cast<std::chrono::milliseconds>(timeout_).count()),
              fields);
        else if (!r.exited() || r.exit_code != 0)
          log::warn(
              fmt::format("{} {} failed (exit {}, signal {})", path, event, r.exit_code, r.signal),
              fields);
        running_ = false;
        start_next();
      });
}

}  // namespace vigil::resourced
