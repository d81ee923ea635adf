// Resource health (issue 16): the checks of what this node holds, and what
// a failure leads to. Sans IO, part of the resource engine
// (resource_engine.h), which feeds it and carries out what it asks:
//
//   schedule   each non-IP resource of every group held here (and not being
//              walked by the ownership module) is checked every `interval`
//              from the end of its previous check; a group that starts to
//              be held here is first checked `start_grace` later. Checks
//              go to resourced as a Task (TaskKind::kMonitor), which kills
//              a check past vigil.cf's health_timeout (a timeout is a
//              failed check).
//   counting   health_policy.h: `fall` failures in a row confirm one.
//   restart    a confirmed failure restarts the resource in place with
//              what follows it in the group: stop from the group's end back
//              to it, then start from it to the end (heartbeat's order,
//              heartbeat-compat.md §3.1; IP entries through ipd).
//   give up    the max_failures-th confirmed failure within the window
//              gives the group's class to the peer through the standby
//              protocol (§6.6: heartbeat moves classes, not single groups),
//              if the peer can take it (alive and stable) and this node did
//              not already try. This node then declines to take that class
//              back by standby (it does not answer the peer's request, so
//              the peer's own request times out and it keeps the group)
//              until `vigilctl cleanup`, or health_hold if set.
//   stay put   a group that cannot be given up (no peer, or the peer would
//              not take it) stays here and keeps being restarted, with one
//              loud line: a service failing on both nodes never ping-pongs.
//   maintenance suspends checks, restarts and give-ups (all groups or one),
//              and the ownership module moves no group in maintenance on
//              its own, not even a dead peer's (the rule and its
//              exceptions: heartbeatd/ownership/maintenance.cpp).
//
// Outside maintenance a peer that dies still has its groups taken over here
// as heartbeat does, declined or not: a failing service is not worth a lost
// group.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/clock.h"
#include "conf/config.h"
#include "heartbeatd/engine/health_policy.h"
#include "heartbeatd/engine/vocabulary.h"

namespace vigil::engine {

// One call to a helper for the monitor; `token` comes back with the answer.
struct HealthCall {
  std::uint32_t token = 0;
  CallKind kind = CallKind::kResourcedMonitor;
  proto::ResourcePlace place;
  proto::resourced::Op op = proto::resourced::Op::kStatus;
};
// Hand group's class to the peer (standby).
struct HealthGiveUp {
  std::size_t group = 0;
};
using HealthAction = std::variant<Log, HealthCall, HealthGiveUp>;
using HealthActions = std::vector<HealthAction>;

// One resource's state, for vigilctl status and the metrics.
struct ResourceHealthView {
  std::uint16_t group = 0, position = 0;
  std::string group_key;
  std::string resource;
  enum class Result { kNone, kPassed, kFailed, kTimedOut } last = Result::kNone;
  std::optional<MonoTime> last_check;
  std::string detail;  // why the last check failed
  int in_a_row = 0;    // failed checks in a row (toward `fall`)
  int failures = 0;    // confirmed failures in the window
  std::optional<MonoTime> decays_at;
  std::uint64_t checks = 0, failed_checks = 0, restarts = 0;
};

class HealthMonitor {
 public:
  explicit HealthMonitor(const conf::Config& config);

  // What the rest of the engine knows: per group, whether it is held here
  // with no walk on it; whether the peer could take a group now.
  struct View {
    std::vector<bool> held;
    bool peer_can_take = false;
  };

  HealthActions on_tick(const View& view, MonoTime now);
  // The answer to HealthCall `token` (ok: the step succeeded / the check
  // says running).
  HealthActions on_answer(std::uint32_t token, const HelperReply& reply, const View& view,
                          MonoTime now);
  // vigilctl cleanup: forget failure counts and every decline.
  HealthActions cleanup(MonoTime now);
  // vigilctl maintenance on|off, for every group (`group` empty) or one.
  HealthActions maintenance(bool on, std::optional<std::size_t> group, MonoTime now);

  std::optional<MonoTime> next_deadline() const;
  // Groups this node declines to take back by standby (gave them up).
  std::vector<std::size_t> declined() const;
  bool in_maintenance(std::size_t group) const;
  bool maintenance_all() const { return maintenance_all_; }
  std::vector<ResourceHealthView> view() const;
  const HealthSettings& settings() const { return settings_; }

 private:
  struct Resource {
    bool checked = false;  // a non-IP resource not excluded in vigil.cf
    HealthCounts counts;
    std::optional<MonoTime> next_check;
    std::optional<std::uint32_t> in_flight;
    ResourceHealthView seen;
  };
  struct Step {
    proto::ResourcePlace place;
    CallKind kind = CallKind::kResourced;
    proto::resourced::Op op = proto::resourced::Op::kStop;
  };
  struct Group {
    bool held = false;
    bool maintenance = false;
    std::vector<Resource> resources;
    std::vector<Step> walk;  // restart steps still to run, next first
    std::optional<std::uint32_t> step_in_flight;
    MonoTime walk_began{};
    bool give_up_tried = false;
    bool stay_put_logged = false;
    std::optional<MonoTime> given_up_at;
  };

  void check_result(Group& g, std::size_t gi, Resource& r, const HelperReply& reply,
                    const View& view, MonoTime now, HealthActions& out);
  void begin_restart(Group& g, std::size_t gi, std::uint16_t from, MonoTime now,
                     HealthActions& out);
  void next_step(Group& g, std::size_t gi, MonoTime now, HealthActions& out);
  void step_result(Group& g, std::size_t gi, const HelperReply& reply, MonoTime now,
                   HealthActions& out);
  void give_up(Group& g, std::size_t gi, const std::string& resource, const View& view,
               MonoTime now, HealthActions& out);
  void schedule_group(Group& g, MonoTime at);
  bool suspended(const Group& g) const { return maintenance_all_ || g.maintenance; }
  void log(HealthActions& out, log::Priority p, std::string text, std::size_t group,
           const char* event) const;

  const conf::Config& config_;
  HealthSettings settings_;
  std::vector<Group> groups_;
  bool maintenance_all_ = false;
  std::uint32_t next_token_ = 1;
};

}  // namespace vigil::engine
