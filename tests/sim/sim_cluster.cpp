#include "tests/sim/sim_cluster.h"

#include <fmt/format.h>

#include <algorithm>

#include "heartbeatd/messages/cluster_messages.h"
#include "heartbeatd/wire/codec.h"
#include "heartbeatd/wire/control_fields.h"
#include "heartbeatd/wire/field_values.h"
#include "heartbeatd/wire/verify.h"

namespace vigil::sim {

namespace {

constexpr std::size_t kTraceLines = 80;
constexpr std::size_t kCaptures = 64;
constexpr double kCaptureChance = 0.05;
constexpr Duration kOneTick{1};

std::string link_name(int link) { return fmt::format("eth{}", link); }

double seconds(Duration d) { return static_cast<double>(d.count()) / 1e6; }

std::string describe(const core::NodeSnapshot& n) {
  std::string links;
  for (const auto& l : n.links)
    links += fmt::format(" {}:{}@{}", l.name, l.up ? "up" : "dead",
                         l.last_heard.time_since_epoch().count());
  return fmt::format("{} st={} dead={} last_status={} dt={} hg={} last_seq={} missing={}{}", n.name,
                     n.status, n.dead, n.last_status.time_since_epoch().count(),
                     n.advertised_deadtime_ms.value_or(0), n.generation.value_or(0), n.last_seq,
                     n.missing, links);
}

// What differs between two snapshots of one core, for a violation report.
std::string state_diff(const core::Snapshot& a, const core::Snapshot& b) {
  std::string out;
  if (a.comm_up != b.comm_up) out += " comm_up changed;";
  if (a.local_status != b.local_status) out += " local status changed;";
  for (std::size_t i = 0; i < a.nodes.size() && i < b.nodes.size(); ++i)
    if (!a.nodes[i].same_state(b.nodes[i]))
      out += " before {" + describe(a.nodes[i]) + "} after {" + describe(b.nodes[i]) + "};";
  return out;
}

}  // namespace

struct Cluster::Mirror {
  // The (generation, last seq) the receiver's tracker must hold for the
  // peer, and the newest status it must have taken as proof of life.
  bool has_seq = false;
  std::uint64_t generation = 0;
  std::uint64_t seq = 0;
  bool has_fresh = false;
  MonoTime fresh_at{};
  Duration dt{};
};

struct Cluster::Node {
  std::string name;
  conf::Config config;
  std::unique_ptr<core::Core> core;
  bool up = false;
  int incarnation = 0;
  MonoTime started_at{};
  MonoTime crashed_at{};
  bool classic = false;
  std::uint64_t generation = 0;
  std::uint64_t last_seq_sent = 0;
  wire::NodeUuid uuid{};
  std::vector<Mirror> mirror;
  std::vector<Capture> captures;
  // core->next_deadline(), refreshed after every call into the core.
  std::optional<MonoTime> deadline;
};

Cluster::Cluster(const SimParams& params, std::uint64_t seed)
    : params_(params),
      seed_(seed),
      rng_(seed),
      network_(params.nodes, params.links, rng_),
      now_(MonoTime(std::chrono::seconds(1000))) {
  network_.set_faults(params.faults);
  keys_.active_id = 1;
  keys_.keys.push_back(conf::AuthKey{1, conf::AuthMethod::kSha1, SecretBytes("sim-cluster-key")});
  wrong_key_ = conf::AuthKey{1, conf::AuthMethod::kSha1, SecretBytes("not-the-cluster-key")};

  std::vector<std::string> names;
  for (int i = 0; i < params.nodes; ++i) names.push_back(fmt::format("node{}", i + 1));
  for (int i = 0; i < params.nodes; ++i) {
    auto n = std::make_unique<Node>();
    n->name = names[static_cast<std::size_t>(i)];
    n->config.local_node = n->name;
    n->config.ha_cf.nodes = names;
    n->config.ha_cf.keepalive = std::chrono::duration_cast<conf::Millis>(params.keepalive);
    n->config.ha_cf.deadtime = std::chrono::duration_cast<conf::Millis>(params.deadtime);
    n->config.vigil_cf.status_copies = params.status_copies;
    n->config.ha_cf.warntime = std::chrono::duration_cast<conf::Millis>(params.warntime);
    n->config.ha_cf.initdead = std::chrono::duration_cast<conf::Millis>(params.initdead);
    for (int l = 0; l < params.links; ++l) {
      conf::Medium m;
      m.interface = link_name(l);
      n->config.ha_cf.media.push_back(m);
    }
    n->classic = rng_.chance(params.classic_share);
    n->generation = rng_.uniform(1'000'000'000, 2'000'000'000);
    for (auto& b : n->uuid) b = static_cast<std::uint8_t>(rng_.next());
    nodes_.push_back(std::move(n));
  }
}

Cluster::~Cluster() = default;

bool Cluster::running(int i) const { return nodes_[static_cast<std::size_t>(i)]->up; }

int Cluster::index_of(const std::string& name) const {
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    if (nodes_[i]->name == name) return static_cast<int>(i);
  return -1;
}

core::Snapshot Cluster::snapshot(int i) const {
  return nodes_[static_cast<std::size_t>(i)]->core->snapshot();
}

void Cluster::start(int i) {
  Node& n = *nodes_[static_cast<std::size_t>(i)];
  const std::uint64_t first_seq = n.last_seq_sent + 1;
  n.core = std::make_unique<core::Core>(n.config,
                                        core::CoreParams{n.generation, first_seq, rng_.next()});
  n.up = true;
  ++n.incarnation;
  n.started_at = now_;
  n.mirror.assign(nodes_.size(), Mirror{});
  n.captures.clear();
  trace(i, fmt::format("started: hg={} first_seq={}", n.generation, first_seq));
  execute(i, n.core->start(now_), false);
}

void Cluster::start_all(Duration spread) {
  std::vector<Duration> at;
  for (int i = 0; i < size(); ++i)
    at.push_back(Duration(
        static_cast<Duration::rep>(rng_.uniform(0, static_cast<std::uint64_t>(spread.count())))));
  const MonoTime base = now_;
  std::vector<int> order(static_cast<std::size_t>(size()));
  for (int i = 0; i < size(); ++i) order[static_cast<std::size_t>(i)] = i;
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    return at[static_cast<std::size_t>(a)] < at[static_cast<std::size_t>(b)];
  });
  for (int i : order) {
    run_until(base + at[static_cast<std::size_t>(i)]);
    start(i);
  }
}

void Cluster::crash(int i) {
  Node& n = *nodes_[static_cast<std::size_t>(i)];
  if (!n.up) return;
  n.up = false;
  n.crashed_at = now_;
  n.core.reset();
  n.deadline.reset();
  trace(i, "crashed");
}

void Cluster::restart(int i, RestartMode mode) {
  Node& n = *nodes_[static_cast<std::size_t>(i)];
  if (n.up) crash(i);
  switch (mode) {
    case RestartMode::kContinueGeneration:
      break;  // same hg, resumes after the last seq it sent
    case RestartMode::kNewGeneration:
      n.generation += 1;
      n.last_seq_sent = 0;
      break;
    case RestartMode::kStateLost:
      n.generation += 1 + rng_.uniform(1, 1'000'000);
      n.last_seq_sent = 0;
      break;
  }
  start(i);
}

void Cluster::run_until(MonoTime until) {
  for (;;) {
    MonoTime t = until + kOneTick;
    if (!network_.empty()) t = std::min(t, network_.next_time());
    for (const auto& n : nodes_)
      if (n->up && n->deadline) t = std::min(t, std::max(*n->deadline, now_));
    if (t > until) {
      now_ = std::max(now_, until);
      return;
    }
    now_ = std::max(now_, t);
    tick_due();
    while (!network_.empty() && network_.next_time() <= now_) deliver(network_.pop());
    tick_due();
    check_late_deaths();
  }
}

void Cluster::tick_due() {
  // A tick can make another deadline due at once (comm up shortens the
  // dead interval from initdead to dt), so repeat until quiet.
  for (int round = 0; round < 8; ++round) {
    bool any = false;
    for (int i = 0; i < size(); ++i) {
      Node& n = *nodes_[static_cast<std::size_t>(i)];
      if (!n.up || !n.deadline || *n.deadline > now_) continue;
      any = true;
      const bool comm = n.core->comm_up();
      execute(i, n.core->on_tick(now_), comm);
    }
    if (!any) return;
  }
}

void Cluster::execute(int i, core::Actions actions, bool comm_before) {
  Node& n = *nodes_[static_cast<std::size_t>(i)];
  for (auto& a : actions) {
    if (auto* s = std::get_if<core::Send>(&a)) {
      transmit(i, *s);
    } else if (auto* l = std::get_if<core::Log>(&a)) {
      trace(i, fmt::format("{}: {}", log::priority_word(l->priority), l->text));
    } else if (auto* e = std::get_if<core::MembershipEvent>(&a)) {
      if (e->kind == core::EventKind::kNodeDead) {
        ++deaths_;
        check_early_death(i, e->node, comm_before);
      }
    }
  }
  n.deadline = n.core ? n.core->next_deadline() : std::nullopt;
}

void Cluster::transmit(int i, const core::Send& send) {
  Node& n = *nodes_[static_cast<std::size_t>(i)];
  if (send.seq) n.last_seq_sent = std::max(n.last_seq_sent, *send.seq);
  wire::Message m = send.message;
  wire::ControlFields c;
  c.src = n.name;
  c.uuid = n.uuid;
  c.seq = send.seq;
  c.generation = send.generation;
  c.ts = static_cast<std::int64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(now_.time_since_epoch()).count());
  c.load_average = "0.00 0.00 0.00 1/100 1";
  c.ttl = 1 + size();
  wire::add_control_fields(m, c);
  auto bytes = n.classic ? wire::encode_classic(std::move(m), keys_.active())
                         : wire::encode_netstring(std::move(m), keys_.active());
  if (!bytes) {
    violation("encode failed: " + bytes.error().message);
    return;
  }
  for (int copy = 0; copy < std::max(send.copies, 1); ++copy) network_.broadcast(i, *bytes, now_);
}

void Cluster::deliver(const Datagram& d) {
  Node& a = *nodes_[static_cast<std::size_t>(d.to)];
  if (!a.up) return;
  // A replay aimed at a run of the receiver that has since ended would be
  // news to the new run, not a replay (the known limitation in core.h).
  if (d.adversarial && d.incarnation != a.incarnation) return;
  Payload& p = *d.payload;
  if (!p.checked) {
    p.checked = true;
    auto decoded = wire::decode(p.bytes);
    p.decoded = decoded.ok();
    if (!decoded) {
      p.error = decoded.error().message;
    } else if (auto verified = wire::verify(*decoded, keys_); !verified) {
      p.error = verified.error().message;
    } else {
      p.verified = std::move(verified->message);
    }
  }
  if (!p.verified) {
    if (!d.forged)
      violation(fmt::format("genuine datagram failed to {}: {}", p.decoded ? "verify" : "decode",
                            p.error));
    return;
  }
  const wire::Message& m = *p.verified;
  const messages::ClusterMessage cm = messages::decode(m);
  const std::string link = link_name(d.link);

  if (d.adversarial) {
    if (d.forged) {
      auto od = wire::decode(d.original);
      auto ov = od ? wire::verify(*od, keys_) : Result<wire::VerifiedMessage>(Error{"x"});
      if (!ov || !(ov->message == m)) {
        violation(fmt::format("forged datagram to {} passed verification", a.name));
        return;
      }
    }
    // Let due timers fire first, so the comparison sees only the packet.
    execute(d.to, a.core->on_tick(now_), a.core->comm_up());
    const core::Snapshot before = a.core->snapshot();
    const bool comm = a.core->comm_up();
    core::Actions actions = a.core->on_message(cm, link, now_);
    const core::Snapshot after = a.core->snapshot();
    if (!before.same_state(after))
      violation(fmt::format("{} {} datagram changed {}'s state (t={} src={} seq={} hg={}):{}",
                            d.forged ? "forged" : "replayed", link, a.name, m.type(),
                            m.get_or("src", "?"), m.get_or("seq", "-"), m.get_or("hg", "-"),
                            state_diff(before, after)));
    execute(d.to, std::move(actions), comm);
    return;
  }

  const bool comm = a.core->comm_up();
  execute(d.to, a.core->on_message(cm, link, now_), comm);
  if (!a.up) return;

  // Mirror the tracker and liveness rules (§5.8) for invariants 1 and 2.
  const std::string src = cm.header.src.value_or("");
  const int b = index_of(src);
  std::optional<std::uint64_t> seq, hg;
  if (!cm.header.unsequenced()) {
    seq = cm.header.seq;
    hg = cm.header.generation;
  }
  if (b >= 0 && b != d.to && seq && hg) {
    Mirror& mi = a.mirror[static_cast<std::size_t>(b)];
    const auto* status = std::get_if<messages::Status>(&cm.body);
    const bool is_status = status != nullptr;
    bool newest = false;
    if (!mi.has_seq) {
      mi = Mirror{true, *hg, *seq, mi.has_fresh, mi.fresh_at, mi.dt};
      newest = true;
    } else if (*hg > mi.generation && is_status) {
      mi.generation = *hg;
      mi.seq = *seq;
      newest = true;
    } else if (*hg == mi.generation && *seq > mi.seq) {
      mi.seq = *seq;
      newest = true;
    }
    if (newest && is_status) {
      mi.has_fresh = true;
      mi.fresh_at = now_;
      mi.dt = std::chrono::milliseconds(status->deadtime_ms.value_or(0));
    }
  }

  // Keep some datagrams the receiver has fully accounted for, to replay.
  if (rng_.chance(kCaptureChance)) {
    bool accounted = true;
    if (b >= 0 && b != d.to && seq && hg) {
      const auto snap = a.core->snapshot();
      const auto* ns = snap.node(src);
      accounted = ns && ns->generation == hg && ns->last_seq >= *seq;
    }
    if (accounted) {
      if (a.captures.size() >= kCaptures)
        a.captures.erase(a.captures.begin() +
                         static_cast<long>(rng_.uniform(0, a.captures.size() - 1)));
      a.captures.push_back(Capture{d.link, p.bytes, a.incarnation});
    }
  }
}

void Cluster::check_early_death(int a, const std::string& peer, bool comm_before) {
  const Node& n = *nodes_[static_cast<std::size_t>(a)];
  const int b = index_of(peer);
  if (b < 0) return;
  const Mirror& mi = n.mirror[static_cast<std::size_t>(b)];
  const MonoTime base = mi.has_fresh ? mi.fresh_at : n.started_at;
  const Duration interval =
      comm_before ? (mi.has_fresh ? mi.dt : params_.deadtime) : params_.initdead;
  if (now_ - base <= interval)
    violation(
        fmt::format("{} declared {} dead {:.6f} s after its last fresh status "
                    "(interval {:.3f} s)",
                    n.name, peer, seconds(now_ - base), seconds(interval)));
}

void Cluster::check_late_deaths() {
  for (const auto& np : nodes_) {
    const Node& n = *np;
    if (!n.up) continue;
    const bool comm = n.core->comm_up();
    for (std::size_t b = 0; b < nodes_.size(); ++b) {
      if (nodes_[b].get() == &n || n.core->is_dead(nodes_[b]->name)) continue;
      const Mirror& mi = n.mirror[b];
      const MonoTime base = mi.has_fresh ? mi.fresh_at : n.started_at;
      const Duration interval = comm ? (mi.has_fresh ? mi.dt : params_.deadtime) : params_.initdead;
      if (now_ > base + interval + kOneTick)
        violation(
            fmt::format("{} still has {} alive {:.6f} s after its last fresh status "
                        "(interval {:.3f} s)",
                        n.name, nodes_[b]->name, seconds(now_ - base), seconds(interval)));
    }
  }
}

bool Cluster::inject_replay(int to) {
  Node& a = *nodes_[static_cast<std::size_t>(to)];
  if (!a.up) return false;
  std::vector<const Capture*> usable;
  for (const auto& c : a.captures)
    if (c.incarnation == a.incarnation) usable.push_back(&c);
  if (usable.empty()) return false;
  const Capture& c = *usable[rng_.uniform(0, usable.size() - 1)];
  network_.inject(
      Datagram{-1, to, c.link, std::make_shared<Payload>(c.bytes), true, false, {}, a.incarnation},
      now_ + kOneTick);
  ++replays_;
  return true;
}

bool Cluster::inject_forgery(int to) {
  Node& a = *nodes_[static_cast<std::size_t>(to)];
  if (!a.up || a.captures.empty()) return false;
  const Capture& c = a.captures[rng_.uniform(0, a.captures.size() - 1)];
  std::string bytes = c.bytes;
  switch (rng_.uniform(0, 2)) {
    case 0: {  // flip one bit anywhere
      const std::size_t at = rng_.uniform(0, bytes.size() - 1);
      bytes[at] = static_cast<char>(bytes[at] ^ (1 << rng_.uniform(0, 7)));
      break;
    }
    case 1: {  // a plausible message, signed with a key the cluster does not have
      auto dec = wire::decode(c.bytes);
      if (!dec) return false;
      wire::Message m = dec->message;
      m.remove("auth");
      if (m.type() == "status") m.set("st", "active");
      if (auto s = wire::parse_hex(m.get_or("seq", ""))) m.set("seq", wire::format_hex(*s + 1000));
      m.set("src", nodes_[rng_.uniform(0, nodes_.size() - 1)]->name);
      auto enc = rng_.chance(0.5) ? wire::encode_classic(m, wrong_key_)
                                  : wire::encode_netstring(m, wrong_key_);
      if (!enc) return false;
      bytes = *enc;
      break;
    }
    default:  // truncated
      bytes.resize(rng_.uniform(0, bytes.size() - 1));
      break;
  }
  network_.inject(Datagram{-1, to, c.link, std::make_shared<Payload>(bytes), true, true, c.bytes,
                           a.incarnation},
                  now_ + kOneTick);
  ++forgeries_;
  return true;
}

void Cluster::check_converged(const std::string& what) {
  for (const auto& np : nodes_) {
    if (!np->up) continue;
    const auto snap = np->core->snapshot();
    if (!snap.comm_up) violation(fmt::format("{}: {} comm not up", what, np->name));
    for (const auto& peer : nodes_) {
      if (peer.get() == np.get() || !peer->up) continue;
      const auto* ns = snap.node(peer->name);
      if (ns->dead) {
        violation(fmt::format("{}: {} sees {} dead", what, np->name, peer->name));
        continue;
      }
      for (int l = 0; l < params_.links; ++l) {
        const auto it = std::find_if(ns->links.begin(), ns->links.end(),
                                     [&](const auto& x) { return x.name == link_name(l); });
        if (it == ns->links.end() || !it->up)
          violation(
              fmt::format("{}: {} sees link {}:{} down", what, np->name, peer->name, link_name(l)));
      }
    }
  }
}

bool Cluster::all_see_dead(int node) const {
  const std::string& name = nodes_[static_cast<std::size_t>(node)]->name;
  for (const auto& np : nodes_)
    if (np->up && np->name != name && !np->core->is_dead(name)) return false;
  return true;
}

void Cluster::violation(const std::string& text) {
  if (violations_.size() < 20)
    violations_.push_back(
        fmt::format("[t=+{:.6f}] {}", seconds(now_ - MonoTime(std::chrono::seconds(1000))), text));
}

void Cluster::trace(int i, const std::string& text) {
  if (trace_.size() >= kTraceLines) trace_.pop_front();
  trace_.push_back(fmt::format("[t=+{:.6f}] {} {}",
                               seconds(now_ - MonoTime(std::chrono::seconds(1000))),
                               nodes_[static_cast<std::size_t>(i)]->name, text));
}

std::string Cluster::report() const {
  std::string out = fmt::format("seed {}\nviolations:\n", seed_);
  for (const auto& v : violations_) out += "  " + v + "\n";
  out += "last log lines:\n";
  for (const auto& t : trace_) out += "  " + t + "\n";
  return out;
}

}  // namespace vigil::sim
