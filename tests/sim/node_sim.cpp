#include "tests/sim/node_sim.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <sstream>

#include "common/proto/hello_permits.h"
#include "conf/haresources.h"
#include "heartbeatd/wire/codec.h"
#include "heartbeatd/wire/control_fields.h"
#include "heartbeatd/wire/verify.h"

namespace vigil::sim {

namespace pi = proto::ipd;
namespace pr = proto::resourced;
using namespace std::chrono_literals;
using Place = std::pair<int, int>;

namespace {

template <class... F>
struct Overload : F... {
  using F::operator()...;
};

std::string name_of(int i) { return fmt::format("node{}", i + 1); }

// The permit rules' verdict type (hello_permits.h), as ipd's has it.
struct HelloVerdict {
  enum class Kind { kGreet, kLease, kClose };
  Kind kind = Kind::kClose;
  std::uint32_t lease_ms = 0;
  std::string why;
};

}  // namespace

struct WholeCluster::Node {
  Node(conf::Config c, Duration lease, MonoTime now)
      : config(std::move(c)),
        lease(std::chrono::duration_cast<std::chrono::milliseconds>(lease), now) {}

  conf::Config config;
  bool powered = true;
  // heartbeatd
  std::optional<engine::Engine> engine;
  std::uint64_t generation = 0;
  std::uint64_t last_seq = 0;
  std::optional<MonoTime> hb_gone_at;
  std::uint64_t hb_run = 0;  // answers meant for an earlier run are dropped
  bool stopping = false;
  // the helpers (ipd and resourced as one), and what the kernel holds
  bool helper_up = true;
  MonoTime helper_started{};
  std::uint64_t helper_run = 0;
  bool connected = false;
  std::set<Place> held;
  proto::LeaseClock lease;
  MonoTime helper_free{};                                  // the helper runs requests in order
  std::map<std::uint32_t, engine::HelperCall> unanswered;  // re-sent on reconnect
  std::map<std::uint32_t, engine::FenceCall> unanswered_fences;
  // corosync mode: the last MembershipChange given to this heartbeatd.
  std::optional<engine::MembershipChange> told;
  MonoTime told_no_quorum_at{};
};

WholeCluster::WholeCluster(const WholeParams& params, std::uint64_t seed)
    : params_(params),
      seed_(seed),
      rng_(seed),
      network_(params.nodes, 1, rng_),
      now_(1000s),
      side_of_(static_cast<std::size_t>(params.nodes), 0) {
  network_.set_faults(params.faults);
  keys_.active_id = 1;
  keys_.keys.push_back(conf::AuthKey{1, conf::AuthMethod::kSha1, SecretBytes("whole-node-key")});
  for (int i = 0; i < params.nodes; ++i) {
    conf::Config c;
    c.local_node = name_of(i);
    for (int j = 0; j < params.nodes; ++j) c.ha_cf.nodes.push_back(name_of(j));
    using conf::Millis;
    c.ha_cf.keepalive = std::chrono::duration_cast<Millis>(params.keepalive);
    c.ha_cf.deadtime = std::chrono::duration_cast<Millis>(params.deadtime);
    c.ha_cf.warntime = std::chrono::duration_cast<Millis>(params.deadtime / 2);
    c.ha_cf.initdead = std::chrono::duration_cast<Millis>(params.deadtime * 2);
    c.ha_cf.auto_failback = params.policy;
    if (params.fencing) c.ha_cf.stonith_host.push_back("* external/sim-power");
    if (params.ping_node) {
      conf::Medium ping;
      ping.kind = conf::MediumKind::kPing;
      ping.address = "10.0.0.254";
      c.ha_cf.media.push_back(ping);
      c.ha_cf.deadping = c.ha_cf.deadtime;
    }
    c.authkeys = keys_;
    c.hash = "sim-config";
    c.vigil_cf.health_check = params.health;
    c.vigil_cf.health_interval = 1s;
    c.vigil_cf.health_start_grace = 1s;
    if (params.corosync) c.vigil_cf.membership = conf::VigilCf::Membership::kCorosync;
    // One group per node, at home there: a VIP and a service.
    for (int g = 0; g < params.nodes; ++g) {
      conf::ResourceGroup group;
      group.node = name_of(g);
      group.line = g + 1;
      group.resources.push_back(*conf::parse_resource(fmt::format("10.0.0.{}", g + 1)));
      group.resources.push_back(*conf::parse_resource(fmt::format("svc{}", g + 1)));
      c.groups.push_back(std::move(group));
    }
    nodes_.push_back(std::make_unique<Node>(std::move(c), lease(), now_));
    nodes_.back()->generation = 100 + static_cast<std::uint64_t>(i) * 10;
  }
}

WholeCluster::~WholeCluster() = default;

Duration WholeCluster::lease() const {
  return proto::default_lease(
      std::chrono::duration_cast<std::chrono::milliseconds>(params_.deadtime));
}

// §6.8 needs a deadtime to notice the returning node, then the walks; the
// helpers' answers and the messages' delays come on top.
Duration WholeCluster::heal_window() const {
  return 3 * params_.deadtime + 8 * params_.helper_delay_max + 1s;
}

// Q2 of node_sim.h: the helper serves requests one after another, each in
// at most helper_delay_max: a start walk already queued (a group's two
// calls), then the stops of every group (two calls each).
Duration WholeCluster::quorum_release_bound() const {
  return (2 * static_cast<int>(nodes_.size()) + 2) * params_.helper_delay_max;
}

Duration WholeCluster::helper_delay() {
  return Duration(static_cast<Duration::rep>(
      rng_.uniform(100, static_cast<std::uint64_t>(params_.helper_delay_max.count()))));
}

bool WholeCluster::split_window_open() const {
  if (params_.fencing) return false;  // no exception: see the header
  // The minority's stops after corosync's report of a split, for the
  // release bound, even when the split heals within it: the stops already
  // run (seed 9800027: healed 20 ms after the report). A minority node
  // whose heartbeatd died just before the split hears no report: its
  // helpers stop at the end of their lease (A), the stated double fault
  // (seed 9800508), so the window is the longer of the two.
  if (params_.corosync)
    return ring_reported_ && now_ <= *ring_reported_ + std::max(quorum_release_bound(), lease());
  return partitioned_ || (split_ended_ && now_ < *split_ended_ + heal_window());
}

void WholeCluster::schedule(Duration after, std::function<void()> run) {
  tasks_.push(Task{now_ + after, order_++, std::move(run)});
}

void WholeCluster::trace(int i, const std::string& text) {
  trace_.push_back(fmt::format(
      "{} {}: {}",
      std::chrono::duration_cast<std::chrono::milliseconds>(now_.time_since_epoch()).count(),
      i < 0 ? std::string("sim") : name_of(i), text));
  if (trace_.size() > 120 && std::getenv("VIGIL_SIM_FULL_TRACE") == nullptr) trace_.pop_front();
}

void WholeCluster::violation(const std::string& text) {
  if (!violations_.empty()) return;  // the first one says it; the trace stops there
  violations_.push_back(fmt::format(
      "seed {} at {} ms: {}", seed_,
      std::chrono::duration_cast<std::chrono::milliseconds>(now_.time_since_epoch()).count(),
      text));
}

std::string WholeCluster::report() const {
  std::ostringstream out;
  for (const auto& v : violations_) out << "VIOLATION " << v << "\n";
  for (const auto& t : trace_) out << "  " << t << "\n";
  return out.str();
}

// ---------------------------------------------------------------- faults

void WholeCluster::start_all() {
  for (int i = 0; i < size(); ++i) {
    nodes_[i]->helper_started = now_;
    start_heartbeatd(i);
  }
}

void WholeCluster::start_heartbeatd(int i) {
  Node& n = *nodes_[i];
  if (!n.powered || n.engine) return;
  // heartbeatd/state: a restart within half the deadtime continues the
  // generation (peers see no restart), anything else starts a new one.
  const bool continued =
      n.hb_gone_at && now_ - *n.hb_gone_at < params_.deadtime / 2 && n.last_seq > 0;
  if (!continued) {
    ++n.generation;
    n.last_seq = 0;
  }
  engine::EngineParams p;
  p.core.generation = n.generation;
  p.core.first_seq = n.last_seq + 1;
  p.core.resumed = continued;
  p.core.rng_seed = seed_ ^ (static_cast<std::uint64_t>(i) << 32) ^ n.generation;
  p.generation = continued ? engine::ResourceEngine::Generation::kContinued
                           : engine::ResourceEngine::Generation::kNew;
  if (params_.corosync) {  // as heartbeatd_main.cpp sets them
    p.core.external_membership = true;
    p.core.leave_grace = lease();
    p.quorum_required = true;
  }
  n.engine.emplace(n.config, p);
  n.told.reset();
  n.stopping = false;
  ++n.hb_run;
  trace(i, continued ? "heartbeatd starts (generation continued)" : "heartbeatd starts");
  execute(i, n.engine->handle(engine::Start{}, now_));
  if (n.helper_up) connect(i);
  corosync_changed(5ms, false);  // it joined the CPG group
}

void WholeCluster::crash_heartbeatd(int i) {
  Node& n = *nodes_[i];
  if (!n.engine) return;
  n.engine.reset();
  n.hb_gone_at = now_;
  ++n.hb_run;
  n.unanswered.clear();  // the next heartbeatd asks again (survey)
  n.unanswered_fences.clear();
  if (n.connected) n.lease.on_disconnect(now_);
  n.connected = false;
  trace(i, "heartbeatd crashes");
  corosync_changed(5ms, false);  // it left the CPG group
}

void WholeCluster::crash_helper(int i) {
  Node& n = *nodes_[i];
  if (!n.helper_up) return;
  n.helper_up = false;
  n.connected = false;
  ++n.helper_run;  // what it was doing is lost; the kernel keeps its VIPs
  trace(i, "helpers crash");
}

void WholeCluster::start_helper(int i) {
  Node& n = *nodes_[i];
  if (!n.powered || n.helper_up) return;
  n.helper_up = true;
  n.helper_started = now_;
  // A helper's clock runs from its start (lease.h).
  n.lease = proto::LeaseClock(std::chrono::duration_cast<std::chrono::milliseconds>(lease()), now_);
  trace(i, "helpers start");
  if (n.engine) connect(i);
}

void WholeCluster::crash_node(int i) {
  crash_heartbeatd(i);
  crash_helper(i);
  Node& n = *nodes_[i];
  n.powered = false;
  n.held.clear();  // a reboot: no address, no process
  trace(i, "node loses power");
  corosync_changed(params_.corosync_delay, true);  // its corosync left the ring
}

void WholeCluster::start_node(int i) {
  Node& n = *nodes_[i];
  if (n.powered) return;
  n.powered = true;
  n.hb_gone_at.reset();  // the state file survives; a reboot is never "continued"
  n.last_seq = 0;
  start_helper(i);
  start_heartbeatd(i);
  corosync_changed(params_.corosync_delay, true);  // its corosync joins the ring
}

void WholeCluster::stop(int i) {
  Node& n = *nodes_[i];
  if (!n.engine || n.stopping) return;
  n.stopping = true;
  trace(i, "graceful stop");
  execute(i, n.engine->handle(engine::Shutdown{1000 + i}, now_));
}

void WholeCluster::maintenance(int i, bool on) {
  Node& n = *nodes_[i];
  if (!n.engine || !n.engine->ready()) return;
  trace(i, on ? "maintenance on" : "maintenance off");
  execute(i, n.engine->handle(engine::Maintenance{on, {}}, now_));
}

std::vector<int> WholeCluster::holders(int group) const {
  std::vector<int> out;
  for (int i = 0; i < size(); ++i)
    if (nodes_[i]->held.count({group, 0})) out.push_back(i);
  return out;
}

void WholeCluster::command(int i, const engine::Input& input) {
  Node& n = *nodes_[i];
  if (!n.engine || !n.engine->ready() || n.stopping) return;
  operator_moved_ = true;
  trace(i, std::holds_alternative<engine::Standby>(input) ? "hb_standby" : "hb_takeover");
  execute(i, n.engine->handle(input, now_));
}

void WholeCluster::partition(const std::vector<int>& side) {
  std::vector<int> side_of(static_cast<std::size_t>(size()), 0);
  for (int i : side) side_of[static_cast<std::size_t>(i)] = 1;
  split(side_of);
}

// The links between the sides go at once; links inside a side that an
// earlier split cut come back with corosync's report of the new ring in
// corosync mode (heal() explains why), at once otherwise.
void WholeCluster::split(const std::vector<int>& side_of) {
  side_of_ = side_of;
  for (int i = 0; i < size(); ++i)
    for (int j = 0; j < size(); ++j)
      if (side_of_[i] != side_of_[j]) network_.set_cut(i, j, 0, true);
  if (!params_.corosync) follow_sides();
  partitioned_ = true;
  std::string sides;
  for (int i = 0; i < size(); ++i) sides += fmt::format(" {}:{}", name_of(i), side_of_[i]);
  trace(-1, "partition," + sides);
  corosync_changed(params_.corosync_delay, true);
}

void WholeCluster::follow_sides() {
  for (int i = 0; i < size(); ++i)
    for (int j = 0; j < size(); ++j) network_.set_cut(i, j, 0, side_of_[i] != side_of_[j]);
}

void WholeCluster::cut_router(int i, bool cut) {
  if (cut)
    router_cut_.insert(i);
  else
    router_cut_.erase(i);
  trace(i, cut ? "cut from the router" : "router reachable");
}

void WholeCluster::heal() {
  if (!partitioned_) return;
  // corosync delivers nothing across the sides before the merged
  // membership (virtual synchrony): the links come back with its report.
  partitioned_ = false;
  std::fill(side_of_.begin(), side_of_.end(), 0);
  if (!params_.corosync) follow_sides();
  split_ended_ = now_;
  trace(-1, "partition healed");
  corosync_changed(params_.corosync_delay, true);
}

// ------------------------------------------------------------- corosync

bool WholeCluster::told_quorate(int i) const { return nodes_[i]->told && nodes_[i]->told->quorate; }

bool WholeCluster::same_side(int i, int j) const { return side_of_[i] == side_of_[j]; }

// A ring change (a partition, a heal, a node's power) is reported after
// token + consensus; while one is pending, CPG delivers nothing (the ring is
// re-forming), so a heartbeatd's join or leave in that time is news only
// with the new ring's report.
void WholeCluster::corosync_changed(Duration after, bool ring) {
  if (!params_.corosync) return;
  if (ring) ++ring_changes_pending_;
  schedule(after, [this, ring] {
    if (ring) --ring_changes_pending_;
    if (!ring && ring_changes_pending_ > 0) return;
    if (ring && partitioned_) ring_reported_ = now_;
    if (ring) follow_sides();  // heal(): the merge
    corosync_report();
  });
}

// Each heartbeatd hears what its side's corosync agrees on; an unchanged
// view is no news (corosync reports a change, not a state).
void WholeCluster::corosync_report() {
  for (int i = 0; i < size(); ++i) {
    Node& n = *nodes_[i];
    if (!n.engine) continue;
    engine::MembershipChange view;
    for (int j = 0; j < size(); ++j) {
      if (!nodes_[j]->powered || !same_side(i, j)) continue;
      view.in_ring.push_back(name_of(j));
      if (nodes_[j]->engine) view.members.push_back(name_of(j));
    }
    view.quorate = 2 * static_cast<int>(view.in_ring.size()) > size();
    if (n.told && n.told->members == view.members && n.told->in_ring == view.in_ring &&
        n.told->quorate == view.quorate)
      continue;
    if (!view.quorate && (!n.told || n.told->quorate)) n.told_no_quorum_at = now_;
    n.told = view;
    trace(i, fmt::format("corosync: {} members, {}", view.members.size(),
                         view.quorate ? "quorate" : "no quorum"));
    execute(i, n.engine->handle(view, now_));
  }
}

bool WholeCluster::heartbeatd_up(int i) const { return nodes_[i]->engine.has_value(); }
bool WholeCluster::helper_up(int i) const { return nodes_[i]->helper_up; }
bool WholeCluster::ready(int i) const {
  return nodes_[i]->engine && nodes_[i]->engine->ready() && !nodes_[i]->stopping;
}

// ------------------------------------------------------------- executor

// heartbeatd's clients connect and say Hello; the helper's permit rules
// accept it and its lease clock stops. Then every request not answered yet
// is sent again, as helpers::HelperClient does.
void WholeCluster::connect(int i) {
  const std::uint64_t hb = nodes_[i]->hb_run, hr = nodes_[i]->helper_run;
  schedule(helper_delay(), [this, i, hb, hr] {
    Node& n = *nodes_[i];
    if (!n.engine || n.hb_run != hb || n.helper_run != hr || !n.helper_up) return;
    bool greeted = false;
    proto::Hello hello;
    hello.config_hash = n.config.hash;
    hello.lease_ms = static_cast<std::uint32_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(lease()).count());
    const auto verdict = proto::permit_hello<HelloVerdict>(greeted, n.config.hash, hello);
    if (verdict.kind != HelloVerdict::Kind::kGreet) {
      violation("helper refused heartbeatd's Hello: " + verdict.why);
      return;
    }
    n.lease.on_hello(verdict.lease_ms);
    n.connected = true;
    trace(i, "helpers connected");
    for (const auto& [id, call] : n.unanswered) serve(i, call, n.helper_run);
    for (const auto& [id, call] : n.unanswered_fences) serve_fence(i, call, n.helper_run);
    execute(i, n.engine->handle(engine::HelperConnected{engine::Helper::kIpd}, now_));
    if (n.engine)
      execute(i, n.engine->handle(engine::HelperConnected{engine::Helper::kResourced}, now_));
  });
}

void WholeCluster::execute(int i, engine::Actions actions) {
  Node& n = *nodes_[i];
  bool exit = false;
  for (auto& action : actions) {
    std::visit(Overload{[&](const engine::Transmit& s) {
                          if (s.seq && !s.retransmission) n.last_seq = std::max(n.last_seq, *s.seq);
                          wire::Message m = s.message;
                          wire::ControlFields control;
                          control.src = n.config.local_node;
                          control.seq = s.seq;
                          control.generation = s.generation;
                          control.ts = 1700000000;
                          control.ttl = 3;
                          wire::add_control_fields(m, control);
                          auto bytes = wire::encode_netstring(std::move(m), keys_.active());
                          if (bytes)
                            for (int copy = 0; copy < std::max(s.copies, 1); ++copy)
                              network_.broadcast(i, *bytes, now_);
                        },
                        [&](const engine::Log& l) {
                          if (l.priority <= log::Priority::kInfo) trace(i, l.text);
                        },
                        [&](const engine::HelperCall& c) { helper_call(i, c); },
                        [&](const engine::FenceCall& f) { fence_call(i, f); },
                        [&](const engine::ShutdownComplete&) { exit = true; },
                        // rc.d scripts, the notify hook and the event timeline
                        // decide nothing here.
                        [&](const engine::ClusterEvent&) {}, [&](const engine::StepStarted&) {},
                        [&](const engine::StepFinished&) {},
                        // The router answers (1 ms later) unless cut from
                        // this node: our signed probe comes back on the ping
                        // node's own link, as io::IcmpProber hands it in.
                        [&](const engine::Probe& p) {
                          if (router_cut_.count(i)) return;
                          const std::uint64_t hb = n.hb_run;
                          schedule(1ms, [this, i, hb, node = p.node] {
                            Node& m = *nodes_[i];
                            if (!m.engine || m.hb_run != hb || router_cut_.count(i)) return;
                            messages::ClusterMessage reply;
                            reply.header.type = std::string(messages::kPingStatusType);
                            reply.header.src = node;
                            reply.body = messages::PingStatus{"ping", "ping"};
                            execute(i, m.engine->handle(engine::Received{node, reply}, now_));
                          });
                        },
                        // No DRBD handler asks the simulated nodes to
                        // outdate a peer.
                        [&](const engine::OutdateCall&) {}, [&](const engine::OutdateAnswer&) {}},
               action);
  }
  if (exit && n.engine) {
    // The shutdone went out above; heartbeatd exits, its helpers' lease runs.
    trace(i, "heartbeatd exits after a graceful stop");
    crash_heartbeatd(i);
  }
}

void WholeCluster::helper_call(int i, const engine::HelperCall& call) {
  Node& n = *nodes_[i];
  const bool start = call.kind == engine::CallKind::kIpdAdd ||
                     (call.kind == engine::CallKind::kResourced && call.op == pr::Op::kStart);
  if (params_.corosync && start && !told_quorate(i))
    violation(fmt::format("{} starts group {} without quorum", name_of(i), call.place.group));
  n.unanswered[call.call] = call;
  if (n.connected && n.helper_up) serve(i, call, n.helper_run);
}

// The helper runs one call after another, each after a drawn delay. When
// it gets to `call`, `work` does what the helper does and returns its
// answer (none: nothing to answer); if the helper restarted meanwhile the
// call was lost and nothing happens. heartbeatd gets the answer, and the
// call leaves `waiting` (what it re-sends on reconnect), unless heartbeatd
// restarted meanwhile too: the next one asks again.
template <class Call>
void WholeCluster::answer_later(int i, std::uint64_t helper_run, const Call& call,
                                std::map<std::uint32_t, Call> Node::*waiting,
                                std::function<std::optional<engine::HelperReply>()> work) {
  Node& n = *nodes_[i];
  n.helper_free = std::max(n.helper_free, now_) + helper_delay();
  const std::uint64_t hb = n.hb_run;
  tasks_.push(Task{n.helper_free, order_++,
                   [this, i, id = call.call, hb, helper_run, waiting, work = std::move(work)] {
                     Node& n = *nodes_[i];
                     if (!n.helper_up || n.helper_run != helper_run) return;  // lost
                     const std::optional<engine::HelperReply> reply = work();
                     if (!reply) return;
                     if (!n.engine || n.hb_run != hb) return;  // its heartbeatd is gone
                     (n.*waiting).erase(id);
                     execute(i, n.engine->handle(engine::HelperAnswer{id, *reply}, now_));
                   }});
}

void WholeCluster::serve(int i, const engine::HelperCall& call, std::uint64_t helper_run) {
  answer_later(
      i, helper_run, call, &Node::unanswered,
      [this, i, call]() -> std::optional<engine::HelperReply> {
        Node& n = *nodes_[i];
        const Place place{call.place.group, call.place.position};
        switch (call.kind) {
          case engine::CallKind::kIpdAdd:
            for (int j = 0; j < size(); ++j)
              if (j != i && nodes_[j]->held.count(place) && !split_window_open())
                violation(fmt::format("{} adds VIP of group {} while {} holds it", name_of(i),
                                      place.first, name_of(j)));
            // A group away from home, before any operator's command: the
            // successor rule's work.
            if (!n.held.count(place) && i != place.first && !operator_moved_) {
              if (place.first >= 2) ++away_.far_home;
              if (i < place.first) ++away_.wrapped;
            }
            n.held.insert(place);
            return pi::Result{call.call, pi::Outcome::kOk, {}};
          case engine::CallKind::kIpdRemove:
            n.held.erase(place);
            return pi::Result{call.call, pi::Outcome::kOk, {}};
          case engine::CallKind::kIpdAnnounce:
            // ipd announces only what is configured (ipd_messages.h).
            return pi::Result{
                call.call, n.held.count(place) ? pi::Outcome::kOk : pi::Outcome::kFailed, {}};
          case engine::CallKind::kIpdList: {
            pi::VipList list;
            list.request_id = call.call;
            for (int g = 0; g < size(); ++g)
              list.vips.push_back({{static_cast<std::uint16_t>(g), 0}, n.held.count({g, 0}) > 0});
            return list;
          }
          case engine::CallKind::kResourcedMonitor:
          case engine::CallKind::kResourced:
            break;
        }
        pr::Reply r;
        r.request_id = call.call;
        r.op = call.op;
        if (call.op == pr::Op::kStart) n.held.insert(place);
        if (call.op == pr::Op::kStop) n.held.erase(place);
        r.state = n.held.count(place) ? pr::RunState::kRunning : pr::RunState::kStopped;
        return r;
      });
}

void WholeCluster::fence_call(int i, const engine::FenceCall& call) {
  Node& n = *nodes_[i];
  n.unanswered_fences[call.call] = call;
  if (n.connected && n.helper_up) serve_fence(i, call, n.helper_run);
}

// resourced runs the device: the target loses power, then the answer.
void WholeCluster::serve_fence(int i, const engine::FenceCall& call, std::uint64_t helper_run) {
  answer_later(i, helper_run, call, &Node::unanswered_fences,
               [this, i, call]() -> std::optional<engine::HelperReply> {
                 const int target = call.node_index;
                 if (target == i || target >= size()) {
                   violation(fmt::format("{} asks to fence node #{}", name_of(i), target));
                   return std::nullopt;
                 }
                 trace(i, fmt::format("fences {}", name_of(target)));
                 ++fences_;
                 crash_node(target);
                 // A reset, not a power-off: the node boots again (a new
                 // generation) and rejoins, or, still cut off, declares its
                 // peer dead and fences back (A10).
                 schedule(3s, [this, target] { start_node(target); });
                 pr::Reply r;
                 r.request_id = call.call;
                 r.op = pr::Op::kStart;
                 r.outcome = pr::Outcome::kOk;
                 return r;
               });
}

void WholeCluster::deliver(const Datagram& d) {
  Node& n = *nodes_[d.to];
  if (!n.engine) return;
  Payload& p = *d.payload;
  if (!p.checked) {
    p.checked = true;
    auto decoded = wire::decode(p.bytes);
    if (decoded)
      if (auto verified = wire::verify(*decoded, keys_)) p.verified = verified->message;
  }
  if (!p.verified) {
    violation("a genuine datagram failed decode or verify");
    return;
  }
  execute(d.to, n.engine->handle(engine::Received{"eth0", messages::decode(*p.verified)}, now_));
}

// ------------------------------------------------------------------ run

void WholeCluster::run_for(Duration d) {
  const MonoTime end = now_ + d;
  while (true) {
    MonoTime next = end;
    if (!network_.empty()) next = std::min(next, network_.next_time());
    if (!tasks_.empty()) next = std::min(next, tasks_.top().at);
    for (const auto& n : nodes_) {
      if (n->engine)
        if (auto t = n->engine->next_deadline()) next = std::min(next, std::max(*t, now_));
      if (n->helper_up)
        if (auto t = n->lease.deadline()) next = std::min(next, std::max(*t, now_));
    }
    if (next >= end) break;
    now_ = next;
    ++steps_;
    while (!network_.empty() && network_.next_time() <= now_) deliver(network_.pop());
    while (!tasks_.empty() && tasks_.top().at <= now_) {
      auto run = tasks_.top().run;
      tasks_.pop();
      run();
    }
    for (int i = 0; i < size(); ++i) {
      Node& n = *nodes_[i];
      if (n.helper_up && n.lease.expire(now_)) {
        trace(i, "helpers' lease expired: releasing everything");
        n.held.clear();
      }
      if (n.engine)
        if (auto t = n.engine->next_deadline(); t && *t <= now_) {
          execute(i, n.engine->handle(engine::Tick{}, now_));
          // A deadline still due after its tick is a busy loop in
          // heartbeatd: its event loop would tick it again at once.
          if (n.engine && n.engine->next_deadline() && *n.engine->next_deadline() <= now_)
            violation(fmt::format("{}'s next deadline is still due after a tick (a busy loop)",
                                  name_of(i)));
        }
    }
    check("step");
    // Thousands of calls and answers pending at once is a storm (no seed's
    // schedule has more than a few hundred): stop with its trace rather
    // than run for hours.
    if (tasks_.size() > 20'000)
      violation(fmt::format("{} tasks pending: a storm of helper calls or reports", tasks_.size()));
    if (!violations_.empty()) return;  // keep the trace ending at the break
  }
  now_ = end;
}

void WholeCluster::check(const std::string& when) {
  // A. Nothing held past the lease once heartbeatd is gone (from the
  // later of its going and the helper's start: a restarted helper grants a
  // fresh lease, lease.h).
  for (int i = 0; i < size(); ++i) {
    const Node& n = *nodes_[i];
    if (n.engine || !n.helper_up || !n.hb_gone_at || n.held.empty()) continue;
    const MonoTime since = std::max(*n.hb_gone_at, n.helper_started);
    if (now_ - since > lease())
      violation(fmt::format("{} ({}) holds {} resources with heartbeatd gone past the lease",
                            name_of(i), when, n.held.size()));
  }
  // Q2. Told "no quorum": nothing held past the release bound.
  for (int i = 0; params_.corosync && i < size(); ++i) {
    const Node& n = *nodes_[i];
    if (!n.engine || told_quorate(i) || !n.told || n.held.empty()) continue;
    // Helpers that crashed meanwhile stop nothing until they are back: the
    // bound runs from their start (seed 9801692).
    if (!n.helper_up) continue;
    const MonoTime since = std::max(n.told_no_quorum_at, n.helper_started);
    if (now_ - since > quorum_release_bound())
      violation(
          fmt::format("{} ({}) holds {} resources {} ms after it was told it has no quorum (or its "
                      "helpers came back)",
                      name_of(i), when, n.held.size(),
                      std::chrono::duration_cast<std::chrono::milliseconds>(now_ - since).count()));
  }
  // B. One holder per VIP outside a split's window.
  if (split_window_open()) return;
  for (int g = 0; g < size(); ++g) {
    std::vector<std::string> holders;
    for (int i = 0; i < size(); ++i)
      if (nodes_[i]->held.count({g, 0})) holders.push_back(name_of(i));
    if (holders.size() > 1)
      violation(fmt::format("VIP of group {} held by {} nodes ({})", g, holders.size(), when));
  }
}

void WholeCluster::settle(const std::string& what) {
  heal();
  router_cut_.clear();
  for (int i = 0; i < size(); ++i) {
    start_node(i);
    start_helper(i);
    start_heartbeatd(i);
  }
  // RQSTDELAY (10 s), a standby's reply timeout (10 s), auto_failback's
  // retries and the §6.8 exchange all fit in this quiet time.
  run_for(40s);
  // E. No standby outlives the quiet time: a standby waits 10 s for its
  // reply, and the exchange takes a walk; one still open is stuck (the
  // "Standby in progress- new request ... ignored [3593 seconds left]" of
  // a peer whose `done` never came).
  for (int i = 0; i < size(); ++i) {
    const auto* own = nodes_[i]->engine ? nodes_[i]->engine->ownership() : nullptr;
    if (own != nullptr && own->standby_state() != ownership::StandbyState::kNot)
      violation(fmt::format("after {} and quiet: {} still in a standby (state {})", what,
                            name_of(i), static_cast<int>(own->standby_state())));
  }
  // D's exception: a node in maintenance may leave a dead holder's group
  // unheld (node_sim.h); never held twice.
  bool frozen = false;
  for (int i = 0; i < size(); ++i) {
    const auto* health = nodes_[i]->engine ? nodes_[i]->engine->health() : nullptr;
    frozen = frozen || (health != nullptr && health->maintenance_all());
  }
  for (int g = 0; g < size(); ++g) {
    std::vector<int> vip, svc;
    for (int i = 0; i < size(); ++i) {
      if (nodes_[i]->held.count({g, 0})) vip.push_back(i);
      if (nodes_[i]->held.count({g, 1})) svc.push_back(i);
    }
    if (frozen && vip.empty() && svc.empty()) continue;
    if (vip.size() != 1 || svc != vip) {
      violation(fmt::format("after {} and quiet: group {} VIP on {} nodes, service on {}", what, g,
                            vip.size(), svc.size()));
      continue;
    }
    if (params_.policy == conf::AutoFailback::kOn && !operator_moved_ && !frozen && vip[0] != g)
      violation(fmt::format("after {} and quiet: group {} held by {}, not its home {}", what, g,
                            name_of(vip[0]), name_of(g)));
  }
}

}  // namespace vigil::sim
