// The group walker: starts and stops haresources groups one resource at a
// time, as ResourceManager's takegroup/givegroup do (heartbeat-compat.md
// §3.4, §3.5), by emitting ResourceRequests and consuming their results.
//
//   start: `Acquiring resource group: <node> <res...>`, then left to right:
//          status, and start only if not running. IP entries skip the status
//          step: ipd's add is idempotent (an address already present is
//          announced again), so asking first would only cost a round trip on
//          the failover path.
//   stop:  `Releasing resource group: <node> <res...>`, then right to left,
//          stop every resource (stop of a stopped one succeeds). resourced
//          already retries a failing stop (§3.5); the walker logs a stop that
//          still failed and goes on with the rest of the group.
//   failed start: `Giving up resources due to failure of <res>`, the whole
//          group is released right to left (givegroup, as heartbeat does —
//          it also covers a half-started failing resource), and the job goes
//          on with its next group. The caller decides the fallback (§3.4).
//
// Jobs run one at a time, FIFO, and a job's groups in its order, like
// heartbeat's resource children (which run one at a time). Group order stays
// visible and reproducible in the logs, and two walks can never race on one
// group. The cost is that N groups fail over in the sum of their times.
//
// A job never finishes inside enqueue() (a job with no groups is the
// caller's business); it finishes in on_result(), which returns it, and
// the next job starts only when the caller calls kick().
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "conf/config.h"
#include "heartbeatd/ownership/actions.h"
#include "heartbeatd/ownership/resource_class.h"

namespace vigil::ownership {

enum class Direction { kStart, kStop };

// Why a job runs; the ownership module acts on it when the job is done.
enum class Purpose {
  kAcquireLocal,     // initial acquisition / req_our_resources (§6.3)
  kMachDown,         // taking over a dead or departed node's groups (§6.4)
  kStandbyGive,      // standby, giving side (§6.6)
  kStandbyTake,      // standby, taking side (§6.6)
  kShutdown,         // our graceful shutdown (§6.7)
  kLegacyTake,       // legacy: ip-request-resp received (§6.3)
  kLegacyGive,       // legacy: a peer's ip-request (§6.3)
  kPartitionGive,    // healed partition: hand back what we took over (§6.8)
  kStartupLocal,     // shutdone takeover: our own groups first (§6.7)
  kLeftoverRelease,  // found running in a new generation (ownership.h)
  kIsolatedRelease,  // cut from the peer and every ping node (isolation.cpp)
  kIsolationOver,    // reachable again, peer still dead: every group back
  kQuorumRelease,    // quorum lost: give up everything (quorum.cpp)
  kAuditTake,        // more than two nodes: a group nobody holds (exact_holdings.cpp)
  kFailbackGive,     // more than two nodes: auto_failback's release (exact_holdings.cpp)
};

struct Job {
  Direction direction = Direction::kStart;
  Purpose purpose = Purpose::kAcquireLocal;
  std::vector<std::size_t> groups;  // indexes into Config::groups, in walk order
  std::string node;                 // the peer concerned, if any
  std::string key;                  // legacy: the group key asked for
  ClassBits cls = kNone;            // standby: the class being moved
  // Logged with the group key before each group's walk begins
  // (mach_down's `Taking over resource group <key>`); empty: nothing.
  std::string announce;
};

inline Job make_job(Direction direction, Purpose purpose, std::vector<std::size_t> groups = {},
                    std::string node = {}) {
  Job job;
  job.direction = direction;
  job.purpose = purpose;
  job.groups = std::move(groups);
  job.node = std::move(node);
  return job;
}

// Where a group stands as far as this node knows.
enum class GroupRunState {
  kStopped,     // not running here (or never started)
  kStarting,    // a start walk is on it
  kRunning,     // started here (or found running at heartbeatd start)
  kStopping,    // a stop walk is on it
  kFailed,      // its start failed and it was released
  kStopFailed,  // a stop failed: some resource may still run here
};

struct JobDone {
  Job job;
  std::vector<std::size_t> failed;  // groups whose start failed (released again)
};

class GroupWalker {
 public:
  explicit GroupWalker(const conf::Config& config);

  // Queues a job; if nothing is running it starts now (its first request is
  // in `out` before enqueue returns — the takeover speed rule).
  void enqueue(Job job, Actions& out);
  // Starts the next queued job if none is running.
  void kick(Actions& out);

  // A helper's answer. Unknown or stale ids are ignored (nullopt). Returns
  // the job if this answer finished it.
  std::optional<JobDone> on_result(std::uint32_t request_id, ResourceOutcome outcome, Actions& out);

  bool busy() const { return current_.has_value() || !queue_.empty(); }
  GroupRunState state(std::size_t group) const { return states_.at(group); }
  void set_state(std::size_t group, GroupRunState s) { states_.at(group) = s; }
  bool running(std::size_t group) const {
    return states_.at(group) == GroupRunState::kRunning ||
           states_.at(group) == GroupRunState::kStarting;
  }
  // Is `group` in the running job or in the queue?
  bool pending(std::size_t group) const;

  // "<node> <res1> <res2> ...", the haresources text of a group.
  std::string group_text(std::size_t group) const;

 private:
  struct Walk {
    Job job;
    std::size_t group_at = 0;                 // index into job.groups
    Direction direction = Direction::kStart;  // current group's direction
    bool rollback = false;                    // stopping a group whose start failed
    std::size_t position = 0;                 // resource within the group
    bool status_step = false;                 // the in-flight request is a status check
    std::uint32_t request_id = 0;
    std::vector<std::size_t> failed;
    bool stop_failed = false;
  };

  void begin_group(Actions& out);
  void request(ResourceOp op, Actions& out);
  void next_resource(Actions& out);  // after the current resource is done
  void start_failed(Actions& out);
  bool group_done(Actions& out);  // true when the whole job is done
  std::size_t group() const { return current_->job.groups[current_->group_at]; }

  const conf::Config& config_;
  std::vector<GroupRunState> states_;
  std::deque<Job> queue_;
  std::optional<Walk> current_;
  std::uint32_t next_request_id_ = 1;
};

}  // namespace vigil::ownership
