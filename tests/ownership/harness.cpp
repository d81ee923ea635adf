#include "harness.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <sstream>
#include <variant>

#include "conf/resource_index.h"
#include "tests/common/two_node_timers.h"

namespace vigil::ownership::test {

namespace {

conf::Resource resource(const std::string& text) {
  conf::Resource r;
  r.text = text;
  const bool looks_ip = !text.empty() && std::isdigit(static_cast<unsigned char>(text[0])) &&
                        std::count(text.begin(), text.end(), '.') >= 3;
  if (looks_ip) {
    r.kind = conf::ResourceKind::kIpAddr;
    r.name = "IPaddr";
    r.args = {text};
    r.ip = conf::IpSpec{};
    r.ip->address = text;
  } else {
    // NAME::ARG::ARG, as haresources splits it (§3.1).
    r.kind = conf::ResourceKind::kScript;
    std::string rest = text;
    for (auto sep = rest.find("::"); sep != std::string::npos; sep = rest.find("::")) {
      (r.name.empty() ? r.name : r.args.emplace_back()) = rest.substr(0, sep);
      rest = rest.substr(sep + 2);
    }
    (r.name.empty() ? r.name : r.args.emplace_back()) = rest;
  }
  return r;
}

conf::ResourceGroup group(const std::string& line, int n) {
  std::istringstream in(line);
  conf::ResourceGroup g;
  in >> g.node;
  std::string tok;
  while (in >> tok) g.resources.push_back(resource(tok));
  g.line = n;
  return g;
}

}  // namespace

conf::Config seed_config(const std::string& local, conf::AutoFailback policy,
                         const std::vector<std::string>& extra_lines, bool with_seed_group) {
  conf::Config c = testing::two_node_timers(local);
  c.ha_cf.auto_failback = policy;
  int n = 1;
  if (with_seed_group) c.groups.push_back(group("node1 192.168.1.5 httpd", n++));
  for (const auto& l : extra_lines) c.groups.push_back(group(l, n++));
  c.authkeys.active_id = 1;
  conf::AuthKey key;
  key.id = 1;
  key.method = conf::AuthMethod::kSha1;
  key.key = SecretBytes("testkey");
  c.authkeys.keys.push_back(std::move(key));
  return c;
}

ResourceOutcome FakeHelpers::answer(const ResourceRequest& r) {
  seen.push_back(r);
  const std::pair<int, int> place{r.group, r.position};
  switch (r.op) {
    case ResourceOp::kStatus:
      return running.count(place) ? ResourceOutcome::kRunning : ResourceOutcome::kStopped;
    case ResourceOp::kStart:
      if (fail_start.count(place)) return ResourceOutcome::kFailed;
      running.insert(place);
      return ResourceOutcome::kOk;
    case ResourceOp::kStop:
      running.erase(place);
      return ResourceOutcome::kOk;
  }
  return ResourceOutcome::kFailed;
}

wire::Message msg(std::initializer_list<std::pair<std::string, std::string>> fields) {
  wire::Message m;
  for (const auto& [k, v] : fields) m.set(k, v);
  return m;
}

bool in_order(const std::vector<std::string>& texts, const std::vector<std::string>& wanted) {
  std::size_t at = 0;
  for (const auto& t : texts)
    if (at < wanted.size() && t == wanted[at]) ++at;
  if (at != wanted.size()) {
    UNSCOPED_INFO("first missing in order: " << wanted[at]);
    for (const auto& t : texts) UNSCOPED_INFO("  log: " << t);
  }
  return at == wanted.size();
}

// ------------------------------------------------------------------ Rig

Rig::Rig(conf::Config c, OwnershipParams params)
    : config(std::make_unique<conf::Config>(std::move(c))), own(*config, params) {
  apply(own.start(now));
}

void Rig::apply(Actions actions) {
  std::deque<Action> queue(actions.begin(), actions.end());
  while (!queue.empty()) {
    Action a = std::move(queue.front());
    queue.pop_front();
    if (auto* s = std::get_if<SendMessage>(&a)) {
      sent.push_back(messages::encode(s->body, s->dest));
    } else if (auto* l = std::get_if<Log>(&a)) {
      logs.push_back(log::CapturedEvent{l->priority, l->text, l->fields, {}});
    } else if (auto* r = std::get_if<ResourceRequest>(&a)) {
      if (hold_results) {
        held.push_back(*r);
        helpers.seen.push_back(*r);
        continue;
      }
      for (auto& more : own.on_resource_result(r->request_id, helpers.answer(*r), now))
        queue.push_back(std::move(more));
    } else if (auto* f = std::get_if<FenceRequest>(&a)) {
      fences.push_back(*f);
    } else if (std::holds_alternative<ShutdownComplete>(a)) {
      shutdown_complete = true;
    }
  }
}

void Rig::event(core::EventKind kind, const std::string& node) {
  apply(own.on_event(core::MembershipEvent{kind, node, {}, {}}, now));
}

void Rig::deliver(const std::string& from, wire::Message m) {
  apply(own.on_deliver(core::Deliver{from, messages::decode(m)}, now));
}

void Rig::answer_held() {
  hold_results = false;
  auto held_now = std::move(held);
  held.clear();
  for (const auto& r : held_now) {
    const auto outcome = helpers.answer(r);
    helpers.seen.pop_back();
    apply(own.on_resource_result(r.request_id, outcome, now));
  }
}

void Rig::tick(Duration d) {
  const MonoTime end = now + d;
  while (true) {
    auto next = own.next_deadline();
    if (!next || *next > end) break;
    now = std::max(now, *next);
    apply(own.on_tick(now));
  }
  now = end;
  apply(own.on_tick(now));
}

void Rig::comm_up_with_peer(const std::string& peer) {
  event(core::EventKind::kNodeUp, peer);
  event(core::EventKind::kCommUp);
}

std::vector<std::string> Rig::texts() const {
  std::vector<std::string> out;
  for (const auto& e : logs) out.push_back(e.text);
  return out;
}

bool Rig::logged(std::string_view text) const {
  return std::any_of(logs.begin(), logs.end(), [&](const auto& e) { return e.text == text; });
}

std::vector<wire::Message> Rig::sent_of(std::string_view type) const {
  std::vector<wire::Message> out;
  for (const auto& m : sent)
    if (m.type() == type) out.push_back(m);
  return out;
}

// -------------------------------------------------------------- Cluster

struct Cluster::Wire : node::Outbox {
  std::deque<std::vector<std::byte>> sent;
  void send_all(std::span<const std::byte> d) override { sent.emplace_back(d.begin(), d.end()); }
  // The harness's clusters have no ping nodes (ha.cf without ping lines).
  void send_probe(std::string_view, std::span<const std::byte>) override {}
  bool record_sent(std::uint64_t) override { return true; }
  std::int64_t unix_time() override { return 1700000000; }
  std::optional<std::string> load_average() override { return std::nullopt; }
};

// The node's helpers: FakeHelpers behind the HelperPort seam. Answers are
// queued and given by Cluster::drain, never inside the call (helper_port.h).
struct Cluster::Port : node::HelperPort {
  Port(const conf::Config& config, FakeHelpers& helpers) : config(config), helpers(helpers) {}

  ResourceOutcome act(const proto::ResourcePlace& place, ResourceOp op, ResourceTarget target) {
    ResourceRequest r;
    r.group = place.group;
    r.position = place.position;
    r.op = op;
    r.target = target;
    return helpers.answer(r);
  }
  void ipd(const proto::ResourcePlace& place, ResourceOp op, IpdResult done) {
    const bool ok = act(place, op, ResourceTarget::kIpd) == ResourceOutcome::kOk;
    answers.push_back([done = std::move(done), ok] {
      done(proto::ipd::Result{0, ok ? proto::ipd::Outcome::kOk : proto::ipd::Outcome::kFailed, {}});
    });
  }
  void ipd_add(const proto::ResourcePlace& place, IpdResult done) override {
    ipd(place, ResourceOp::kStart, std::move(done));
  }
  void ipd_remove(const proto::ResourcePlace& place, IpdResult done) override {
    ipd(place, ResourceOp::kStop, std::move(done));
  }
  void ipd_announce(const proto::ResourcePlace& place, proto::ipd::AnnounceKind,
                    IpdResult done) override {
    const std::pair<int, int> p{place.group, place.position};
    helpers.announced.push_back(p);
    const bool ok = helpers.running.count(p) > 0;
    answers.push_back([done = std::move(done), ok] {
      done(proto::ipd::Result{0, ok ? proto::ipd::Outcome::kOk : proto::ipd::Outcome::kFailed, {}});
    });
  }
  void ipd_list(IpdList done) override {
    proto::ipd::VipList list;
    for (std::size_t g = 0; g < config.groups.size(); ++g)
      for (std::size_t p = 0; p < config.groups[g].resources.size(); ++p)
        if (config.groups[g].resources[p].is_ip())
          list.vips.push_back(
              {{static_cast<std::uint16_t>(g), static_cast<std::uint16_t>(p)},
               helpers.running.count({static_cast<int>(g), static_cast<int>(p)}) > 0});
    answers.push_back([done = std::move(done), list] { done(list); });
  }
  void resourced(const proto::ResourcePlace& place, proto::resourced::Op op,
                 ResourcedReply done) override {
    const ResourceOp mine = op == proto::resourced::Op::kStart  ? ResourceOp::kStart
                            : op == proto::resourced::Op::kStop ? ResourceOp::kStop
                                                                : ResourceOp::kStatus;
    const ResourceOutcome outcome = act(place, mine, ResourceTarget::kResourced);
    proto::resourced::Reply reply;
    reply.op = op;
    reply.outcome = outcome == ResourceOutcome::kFailed ? proto::resourced::Outcome::kFailed
                                                        : proto::resourced::Outcome::kOk;
    reply.state = outcome == ResourceOutcome::kRunning   ? proto::resourced::RunState::kRunning
                  : outcome == ResourceOutcome::kStopped ? proto::resourced::RunState::kStopped
                                                         : proto::resourced::RunState::kUnknown;
    answers.push_back([done = std::move(done), reply] { done(reply); });
  }
  void fence(std::uint16_t node_index, ResourcedReply done) override {
    helpers.fenced.push_back(node_index);
    proto::resourced::Reply reply;
    reply.op = proto::resourced::Op::kStart;
    reply.outcome =
        helpers.fence_fails ? proto::resourced::Outcome::kFailed : proto::resourced::Outcome::kOk;
    answers.push_back([done = std::move(done), reply] { done(reply); });
  }

  void outdate(std::uint16_t index, ResourcedReply done) override {
    helpers.outdated.push_back(index);
    proto::resourced::Reply reply;
    reply.op = proto::resourced::Op::kStart;
    reply.exit_status = helpers.outdate_exit;
    reply.outcome = reply.exit_status == 0 ? proto::resourced::Outcome::kOk
                                           : proto::resourced::Outcome::kFailed;
    answers.push_back([done = std::move(done), reply] { done(reply); });
  }

  // A health check is the status of the resource the index names.
  void resourced_monitor(std::uint16_t index, ResourcedReply done) override {
    const auto at = conf::resource_at(config, index);
    resourced(proto::ResourcePlace{at->first, at->second}, proto::resourced::Op::kStatus,
              std::move(done));
  }
  void observe(IpdEvent, Connected) override {}
  void cluster_event(proto::ClusterEvent, std::vector<proto::EventField>) override {}

  const conf::Config& config;
  FakeHelpers& helpers;
  std::deque<std::function<void()>> answers;
};

Cluster::Cluster(conf::AutoFailback policy, const std::vector<std::string>& extra_lines) {
  sides_[0].config = seed_config("node1", policy, extra_lines);
  sides_[1].config = seed_config("node2", policy, extra_lines);
  log::LogConfig quiet;
  quiet.force_backend = log::Backend::kNone;
  (void)log::init(quiet);
}

Cluster::~Cluster() = default;

template <class F>
void Cluster::as(int i, F&& f) {
  capture_.clear();
  f();
  for (const auto& e : capture_.events()) sides_[i].log.push_back(e.text);
  capture_.clear();
}

void Cluster::start(int i) {
  Side& s = sides_[i];
  s.wire = std::make_unique<Wire>();
  s.port = std::make_unique<Port>(s.config, s.helpers);
  s.generation += 10;
  state::NodeUuid uuid{};
  uuid.fill(static_cast<std::uint8_t>(i + 1));
  engine::EngineParams params;
  params.core = core::CoreParams{
      .generation = s.generation, .first_seq = 1, .rng_seed = static_cast<std::uint64_t>(i + 1)};
  s.node = std::make_unique<node::ClusterNode>(s.config, uuid, params, *s.wire, *s.port,
                                               [this] { return now_; });
  s.exiting = false;
  s.node->set_on_shutdown_complete([&s] { s.exiting = true; });
  s.node->set_on_outdate_answer(
      [&s](const engine::OutdateAnswer& a) { s.outdate_answers.push_back(a); });
  as(i, [&] {
    s.node->start(now_);
    drain(i);
  });
}

void Cluster::kill(int i) {
  Side& s = sides_[i];
  s.node.reset();
  s.port.reset();
  s.wire.reset();
  s.helpers.running.clear();  // a reboot: nothing survives
}

void Cluster::shutdown(int i) {
  as(i, [&] {
    sides_[i].node->handle(engine::Shutdown{105}, now_);
    drain(i);
  });
  pump();
}

void Cluster::command(int i, const engine::Input& input) {
  as(i, [&] {
    sides_[i].node->handle(input, now_);
    drain(i);
  });
  pump();
}

const Ownership& Cluster::own(int i) const {
  const Ownership* own = sides_[i].node->engine().ownership();
  REQUIRE(own != nullptr);
  return *own;
}

// The helpers answer what they were asked, in order, as an event loop
// would hand their replies over.
void Cluster::drain(int i) {
  Side& s = sides_[i];
  while (s.port && !s.port->answers.empty()) {
    auto answer = std::move(s.port->answers.front());
    s.port->answers.pop_front();
    answer();
  }
}

void Cluster::pump() {
  for (int round = 0; round < 1000; ++round) {
    bool any = false;
    for (int i = 0; i < 2; ++i) {
      if (!sides_[i].wire || sides_[i].wire->sent.empty()) continue;
      any = true;
      auto d = std::move(sides_[i].wire->sent.front());
      sides_[i].wire->sent.pop_front();
      for (int j = 0; j < 2; ++j) {  // the peer, and ourselves (broadcast loopback)
        if (!sides_[j].node || (partitioned_ && i != j)) continue;
        as(j, [&] {
          sides_[j].node->on_datagram("eth1", d, now_);
          drain(j);
        });
      }
    }
    for (int i = 0; i < 2; ++i)
      if (sides_[i].exiting && sides_[i].wire && sides_[i].wire->sent.empty()) kill(i);
    if (!any) return;
  }
}

void Cluster::run_for(Duration d, Duration step) {
  const MonoTime end = now_ + d;
  while (now_ < end) {
    now_ += step;
    for (int i = 0; i < 2; ++i) {
      if (!sides_[i].node) continue;
      as(i, [&] {
        sides_[i].node->on_tick(now_);
        drain(i);
      });
    }
    pump();
  }
}

}  // namespace vigil::ownership::test
