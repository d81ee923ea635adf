#include "heartbeatd/observe/timeline_recorder.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

namespace vigil::observe {

namespace {

std::int64_t wall_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::optional<MonoTime> last_heard(const core::Snapshot& snapshot, std::string_view node) {
  const core::NodeSnapshot* n = snapshot.node(node);
  if (n == nullptr) return std::nullopt;
  MonoTime heard = n->last_status;
  for (const auto& l : n->links) heard = std::max(heard, l.last_heard);
  if (heard == MonoTime{}) return std::nullopt;
  return heard;
}

std::string_view op_word(ownership::ResourceOp op) {
  switch (op) {
    case ownership::ResourceOp::kStart:
      return "start";
    case ownership::ResourceOp::kStop:
      return "stop";
    case ownership::ResourceOp::kStatus:
      return "status";
  }
  return "?";
}

std::string_view outcome_word(ownership::ResourceOutcome outcome) {
  switch (outcome) {
    case ownership::ResourceOutcome::kOk:
      return "ok";
    case ownership::ResourceOutcome::kFailed:
      return "failed";
    case ownership::ResourceOutcome::kRunning:
      return "running";
    case ownership::ResourceOutcome::kStopped:
      return "stopped";
  }
  return "?";
}

void TimelineRecorder::on_log(const core::Log& log, MonoTime now) {
  const std::int64_t wall = wall_now_us();
  if (field_value(log.fields, "VIGIL_EVENT") == "node-dead" && last_heard_) {
    const std::string_view node = field_value(log.fields, "VIGIL_NODE");
    if (auto heard = last_heard_(node); heard && *heard <= now)
      timeline_.record_last_heard(node, *heard, now, wall);
  }
  timeline_.record_log(log, now, wall);
}

void TimelineRecorder::on_step_started(const ownership::ResourceRequest& request, MonoTime now) {
  std::string group;
  std::string text = std::string(op_word(request.op));
  if (request.group < config_.groups.size()) {
    const conf::ResourceGroup& g = config_.groups[request.group];
    group = g.key();
    if (request.position < g.resources.size()) text += " " + g.resources[request.position].text;
  }
  timeline_.step_started(request.request_id, group, text, now, wall_now_us());
}

void TimelineRecorder::on_step_finished(std::uint32_t request_id,
                                        ownership::ResourceOutcome outcome, MonoTime now) {
  timeline_.step_finished(request_id, outcome_word(outcome), now, wall_now_us());
}

}  // namespace vigil::observe
