#include "heartbeatd/ownership/group_walker.h"

#include <algorithm>

namespace vigil::ownership {

namespace {

Log group_log(log::Priority p, std::string text, const std::string& key, const char* event) {
  return Log{p, std::move(text), {{"VIGIL_GROUP", key}, {"VIGIL_EVENT", event}}};
}

}  // namespace

GroupWalker::GroupWalker(const conf::Config& config)
    : config_(config), states_(config.groups.size(), GroupRunState::kStopped) {}

std::string GroupWalker::group_text(std::size_t g) const {
  const auto& grp = config_.groups.at(g);
  std::string text = grp.node;
  for (const auto& r : grp.resources) {
    text += ' ';
    text += r.text;
  }
  return text;
}

bool GroupWalker::pending(std::size_t g) const {
  auto has = [g](const Job& j) {
    return std::find(j.groups.begin(), j.groups.end(), g) != j.groups.end();
  };
  if (current_ && has(current_->job)) return true;
  return std::any_of(queue_.begin(), queue_.end(), has);
}

void GroupWalker::enqueue(Job job, Actions& out) {
  queue_.push_back(std::move(job));
  kick(out);
}

void GroupWalker::kick(Actions& out) {
  while (!current_ && !queue_.empty()) {
    Walk w;
    w.job = std::move(queue_.front());
    queue_.pop_front();
    if (w.job.groups.empty()) continue;  // nothing to walk; callers avoid this
    current_ = std::move(w);
    begin_group(out);
  }
}

void GroupWalker::begin_group(Actions& out) {
  Walk& w = *current_;
  const auto& grp = config_.groups.at(group());
  w.direction = w.job.direction;
  w.rollback = false;
  w.stop_failed = false;
  if (!w.job.announce.empty())
    out.push_back(
        group_log(log::Priority::kInfo, w.job.announce + grp.key(), grp.key(), "group-announce"));
  if (w.direction == Direction::kStart) {
    out.push_back(group_log(log::Priority::kInfo,
                            "Acquiring resource group: " + group_text(group()), grp.key(),
                            "group-acquire"));
    states_[group()] = GroupRunState::kStarting;
    w.position = 0;
    // §3.4: status first; IP entries go straight to ipd's idempotent add.
    request(grp.resources[0].is_ip() ? ResourceOp::kStart : ResourceOp::kStatus, out);
  } else {
    out.push_back(group_log(log::Priority::kInfo,
                            "Releasing resource group: " + group_text(group()), grp.key(),
                            "group-release"));
    states_[group()] = GroupRunState::kStopping;
    w.position = grp.resources.size() - 1;
    request(ResourceOp::kStop, out);
  }
}

void GroupWalker::request(ResourceOp op, Actions& out) {
  Walk& w = *current_;
  const auto& res = config_.groups.at(group()).resources.at(w.position);
  w.request_id = next_request_id_++;
  if (next_request_id_ == 0) next_request_id_ = 1;
  w.status_step = op == ResourceOp::kStatus;
  out.emplace_back(std::in_place_type<ResourceRequest>, w.request_id,
                   static_cast<std::uint16_t>(group()), static_cast<std::uint16_t>(w.position), op,
                   res.is_ip() ? ResourceTarget::kIpd : ResourceTarget::kResourced);
}

std::optional<JobDone> GroupWalker::on_result(std::uint32_t request_id, ResourceOutcome outcome,
                                              Actions& out) {
  if (!current_ || current_->request_id != request_id) return std::nullopt;
  Walk& w = *current_;
  const auto& grp = config_.groups.at(group());
  bool job_done = false;
  if (w.direction == Direction::kStart) {
    if (w.status_step) {
      if (outcome == ResourceOutcome::kRunning)
        next_resource(out);
      else
        request(ResourceOp::kStart, out);
    } else if (outcome == ResourceOutcome::kOk || outcome == ResourceOutcome::kRunning) {
      next_resource(out);
    } else {
      start_failed(out);
    }
    if (!current_->request_id) job_done = group_done(out);
  } else {
    if (outcome == ResourceOutcome::kFailed) {
      // resourced has already retried it (§3.5); the rest of the group must
      // still be stopped.
      w.stop_failed = true;
      out.push_back(group_log(log::Priority::kError,
                              "Resource stop failed: " + grp.resources[w.position].text, grp.key(),
                              "resource-stop-failed"));
    }
    if (w.position == 0) {
      w.request_id = 0;
      job_done = group_done(out);
    } else {
      --w.position;
      request(ResourceOp::kStop, out);
    }
  }
  if (!job_done) return std::nullopt;
  JobDone done{std::move(current_->job), std::move(current_->failed)};
  current_.reset();
  return done;
}

void GroupWalker::next_resource(Actions& out) {
  Walk& w = *current_;
  const auto& grp = config_.groups.at(group());
  if (++w.position == grp.resources.size()) {
    w.request_id = 0;  // the group is done; on_result moves on
    return;
  }
  request(grp.resources[w.position].is_ip() ? ResourceOp::kStart : ResourceOp::kStatus, out);
}

void GroupWalker::start_failed(Actions& out) {
  Walk& w = *current_;
  const auto& grp = config_.groups.at(group());
  out.push_back(group_log(log::Priority::kCrit,
                          "Giving up resources due to failure of " + grp.resources[w.position].text,
                          grp.key(), "group-start-failed"));
  // §3.4: givegroup of the whole group, right to left.
  w.rollback = true;
  w.direction = Direction::kStop;
  out.push_back(group_log(log::Priority::kInfo, "Releasing resource group: " + group_text(group()),
                          grp.key(), "group-release"));
  states_[group()] = GroupRunState::kStopping;
  w.position = grp.resources.size() - 1;
  request(ResourceOp::kStop, out);
}

bool GroupWalker::group_done(Actions& out) {
  Walk& w = *current_;
  GroupRunState s;
  if (w.direction == Direction::kStart)
    s = GroupRunState::kRunning;
  else if (w.stop_failed)
    s = GroupRunState::kStopFailed;
  else
    s = w.rollback ? GroupRunState::kFailed : GroupRunState::kStopped;
  states_[group()] = s;
  if (w.rollback) w.failed.push_back(group());
  if (++w.group_at == w.job.groups.size()) return true;
  begin_group(out);
  return false;
}

}  // namespace vigil::ownership
