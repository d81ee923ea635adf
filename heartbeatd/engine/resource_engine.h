// The resource half of heartbeatd's engine: the v1 ownership module
// (heartbeatd/ownership/ownership.h), the start-up survey that tells it
// what this node holds, and the guard that keeps held groups whole while
// heartbeatd runs. Sans IO: inputs are function calls with `now`, outputs
// are ResourceActions; engine::Engine routes its SendMessages through the
// membership core so they are numbered in order (engine.h).
//
// Start-up survey: before deciding anything it asks what this node holds:
// ListVips from ipd and a status of every non-IP resource from resourced.
// What runs is kept after a restart that continued the generation, and
// released as a leftover after any other start (ownership.h). The module
// is built when every answer is in, or at `survey_timeout` (a helper not
// reachable): then it starts as holding nothing and says why. Membership
// heard meanwhile is kept and given to the module, in order, once built.
//
// Guard (what the module cannot see: it knows what it started, not what the
// kernel or a helper did since):
//   * ipd reports a VIP removed by someone else: logged; if its group is
//     held here and no walk is on it, added again (idempotent).
//   * ipd reports a link down or up: logged.
//   * a helper's connection (re)opens (it restarted, or its lease ran out
//     while we could not reach it, resourced/server.h): each resource of
//     the held groups it serves is checked, and only what is missing is
//     added or started again, with a warning. A healthy restart only reads.
// ipfail (ipfail.h, §8.2): sees every membership event and delivery, and
// its give-up is a standby of the module. The isolated node (isolation.h):
// cut from the peer and every ping node, the module releases everything.
// Announcements (announcement_plan.h): after a healed partition, and every
// vigil.cf garp_refresh, each IP entry of the groups held quietly is
// announced again by ipd; a failure is logged and changes nothing else.
// "Held" is asked again when an answer arrives, so a walk that began
// meanwhile is never undone: its requests follow ours to the same helper,
// which runs them in order.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/clock.h"
#include "conf/config.h"
#include "heartbeatd/engine/announcement_plan.h"
#include "heartbeatd/engine/health_monitor.h"
#include "heartbeatd/engine/ipfail.h"
#include "heartbeatd/engine/isolation.h"
#include "heartbeatd/engine/peer_outdate.h"
#include "heartbeatd/engine/resource_translation.h"
#include "heartbeatd/engine/vocabulary.h"
#include "heartbeatd/ownership/ownership.h"

namespace vigil::engine {

using ResourceAction =
    std::variant<ownership::SendMessage, Log, HelperCall, ShutdownComplete, StepStarted,
                 StepFinished, FenceCall, OutdateCall, OutdateAnswer>;
using ResourceActions = std::vector<ResourceAction>;

class ResourceEngine {
 public:
  static constexpr Duration kSurveyTimeout = std::chrono::seconds(2);

  // Whether this heartbeatd continues its predecessor's generation
  // (state::SequenceStart::continued): only then is what the survey finds
  // kept; otherwise it is released (ownership.h, "Leftovers").
  enum class Generation { kNew, kContinued };

  // `quorate`: the quorum the ownership module starts from
  // (ownership/quorum.cpp); false until corosync says yes.
  // `leave_grace`: the helpers' lease (core::CoreParams::leave_grace).
  ResourceEngine(const conf::Config& config, Generation generation,
                 Duration survey_timeout = kSurveyTimeout, bool quorate = true,
                 Duration leave_grace = {});
  ResourceEngine(const ResourceEngine&) = delete;
  ResourceEngine& operator=(const ResourceEngine&) = delete;

  // Asks the survey's questions; call once, first.
  ResourceActions start(MonoTime now);
  // A core::MembershipEvent or core::Deliver (other actions are ignored).
  ResourceActions on_membership(const core::Action& action, MonoTime now);
  // Quorum changed; `members`: the current membership (ownership.h).
  ResourceActions on_quorum(bool quorate, const std::vector<std::string>& members, MonoTime now);
  void on_members(const std::vector<std::string>& members, const std::vector<std::string>& in_ring,
                  MonoTime now);  // Ownership::set_members
  ResourceActions on_tick(MonoTime now);
  ResourceActions on_answer(const HelperAnswer& answer, MonoTime now);
  ResourceActions on_helper_event(const proto::ipd::Event& event);
  ResourceActions on_connected(Helper helper);
  // A shutdown before the module exists completes at once: nothing was
  // acquired. Commands before then are refused by the control socket
  // (ready()).
  ResourceActions standby(ownership::ClassBits cls, MonoTime now);
  ResourceActions takeover(ownership::ClassBits cls, bool failback, MonoTime now);
  ResourceActions shutdown(long pid, MonoTime now);
  // Resource health (health_monitor.h): vigilctl cleanup and maintenance.
  // Without health_check in vigil.cf they only log that checks are off.
  ResourceActions health_cleanup(MonoTime now);
  ResourceActions maintenance(bool on, std::optional<std::size_t> group, MonoTime now);
  // DRBD's fence-peer handler asked (peer_outdate.h); answered at once
  // while the survey runs only when it can be (a refusal, a dead peer).
  ResourceActions outdate_peer(const OutdatePeer& request, MonoTime now);

  std::optional<MonoTime> next_deadline() const;
  bool ready() const { return own_ != nullptr; }
  // nullptr until the survey is over.
  const ownership::Ownership* ownership() const { return own_.get(); }
  // nullptr unless vigil.cf has health_check on.
  const HealthMonitor* health() const { return health_ ? &*health_ : nullptr; }
  // ipfail (§8.2): on or off as the configuration says (ipfail.h).
  const Ipfail& ipfail() const { return ipfail_; }

 private:
  // Why a HelperCall was made, to know what its answer means.
  struct SurveyStatus {
    proto::ResourcePlace place;
  };
  struct SurveyList {};
  struct ForModule {
    ownership::ResourceRequest request;
  };
  struct ForFence {
    std::uint32_t request_id = 0;  // the module's FenceRequest
  };
  struct GuardList {};
  struct GuardStatus {
    proto::ResourcePlace place;
  };
  struct Restore {
    proto::ResourcePlace place;
    const char* why = "";
  };
  struct Announce {
    proto::ResourcePlace place;
  };
  struct HealthStep {
    std::uint32_t token = 0;
  };
  struct ForOutdate {
    std::uint32_t token = 0;  // PeerOutdate::Task
  };
  using Purpose = std::variant<SurveyStatus, SurveyList, ForModule, GuardList, GuardStatus, Restore,
                               Announce, ForFence, HealthStep, ForOutdate>;

  void call(CallKind kind, proto::ResourcePlace place, proto::resourced::Op op, Purpose purpose,
            ResourceActions& out);
  void finish_survey(const char* why, MonoTime now, ResourceActions& out);
  void absorb(ownership::Actions actions, ResourceActions& out);
  void survey_answer(const Purpose& purpose, const HelperReply& reply, MonoTime now,
                     ResourceActions& out);
  void module_answer(const ownership::ResourceRequest& request, const HelperReply& reply,
                     MonoTime now, ResourceActions& out);
  void fence_answer(std::uint32_t request_id, const HelperReply& reply, MonoTime now,
                    ResourceActions& out);
  void guard_answer(const Purpose& purpose, const HelperReply& reply, ResourceActions& out);
  void restore(const proto::ResourcePlace& place, const char* why, ResourceActions& out);
  void announce(const std::optional<AnnouncementPlan::Verdict>& verdict, ResourceActions& out);
  void announce_answer(const Announce& a, const HelperReply& reply, ResourceActions& out);
  bool holds_quietly(std::size_t group) const;
  HealthMonitor::View health_view() const;
  void from_health(HealthActions actions, MonoTime now, ResourceActions& out);
  void from_outdate(PeerOutdate::Actions actions, ResourceActions& out);
  bool place_valid(const proto::ResourcePlace& place) const;
  Ipfail::View ipfail_view() const;
  void from_ipfail(IpfailActions actions, MonoTime now, ResourceActions& out);
  void from_isolation(IsolationWatch::Verdict verdict, MonoTime now, ResourceActions& out);

  const conf::Config& config_;
  Generation generation_;
  Duration survey_timeout_;
  std::optional<MonoTime> survey_deadline_;
  int survey_waiting_ = 0;
  RunningSet survey_running_;
  bool survey_failed_ = false;  // a helper answered "could not tell"
  std::vector<core::Action> heard_before_module_;
  std::unique_ptr<ownership::Ownership> own_;
  AnnouncementPlan announcements_;
  std::uint32_t next_call_ = 1;
  std::map<std::uint32_t, Purpose> calls_;
  std::optional<HealthMonitor> health_;
  PeerOutdate outdate_;
  Ipfail ipfail_;
  IsolationWatch isolation_;
  bool quorate_ = true;
  bool quorum_heard_ = false;         // corosync said either word (on_quorum)
  std::vector<std::string> members_;  // the module, built later, starts from it
  std::vector<std::string> in_ring_;
  Duration leave_grace_{};
};

}  // namespace vigil::engine
