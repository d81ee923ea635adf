// Takeovers, standbys and failbacks counted by cause, from the event ids
// the timeline records (event_timeline.h), for the metrics (metrics.h).
// Sans-IO; fed every event in order.
//
//   takeover     `takeover` naming a node (§6.4 "Resources being acquired
//                from X"): cause `peer_dead` if X's last `node-dead` came
//                after its last `peer-shutdown`, else `peer_shutdown` (§6.7).
//   standby give `standby-given` ("Local standby process completed"):
//                cause `requested` if a `standby-request` (hb_standby,
//                vigilctl standby/failback) started it, else
//                `auto_failback` (§6.3: the holder hands foreign groups
//                back to their home node) — counted as a failback too.
//   standby take `standby-taken` ("Standby resource acquisition done"):
//                cause `peer_request`.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "common/proto/control_messages.h"

namespace vigil::observe {

class TransitionCounts {
 public:
  void observe(const proto::control::TimelineEvent& e);

  // cause -> count
  const std::map<std::string, std::uint64_t>& takeovers() const { return takeovers_; }
  // (direction "give"/"take", cause) -> count
  const std::map<std::pair<std::string, std::string>, std::uint64_t>& standbys() const {
    return standbys_;
  }
  std::uint64_t failbacks() const { return failbacks_; }
  // node -> late heartbeats logged (§6.1 warntime)
  const std::map<std::string, std::uint64_t>& late_heartbeats() const { return late_; }

 private:
  std::map<std::string, std::uint64_t> takeovers_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> standbys_;
  std::uint64_t failbacks_ = 0;
  std::map<std::string, std::uint64_t> late_;
  std::map<std::string, std::string, std::less<>> last_departure_;  // node -> cause
  bool standby_requested_ = false;
};

}  // namespace vigil::observe
