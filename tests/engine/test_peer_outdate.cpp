// heartbeatd/engine/peer_outdate.h: DRBD's fence-peer exchange, both sides,
// by plain calls with virtual time (issue 14).
#include <catch2/catch.hpp>

#include "conf/diagnostics.h"
#include "conf/haresources.h"
#include "heartbeatd/engine/peer_outdate.h"

using namespace vigil;
using namespace vigil::engine;
using namespace std::chrono_literals;

namespace {

conf::Config config_for(const std::string& local,
                        std::vector<std::string> nodes = {"node1", "node2"}) {
  conf::Config c;
  c.local_node = local;
  c.ha_cf.nodes = std::move(nodes);
  conf::Diagnostics diag;
  c.groups =
      conf::parse_haresources("node1 192.0.2.5 drbddisk::r0 Filesystem::/dev/drbd0::/srv::ext4\n",
                              "haresources", &c.ha_cf.nodes, diag);
  REQUIRE(diag.errors().empty());
  return c;
}

const MonoTime kT0{1000s};

core::MembershipEvent up(const std::string& node) {
  return core::MembershipEvent{core::EventKind::kNodeUp, node, {}, {}};
}
core::MembershipEvent dead(const std::string& node) {
  return core::MembershipEvent{core::EventKind::kNodeDead, node, {}, {}};
}
core::Deliver deliver(const std::string& from, messages::Body body) {
  messages::ClusterMessage m;
  m.header.type = std::string(messages::type_of(body));
  m.header.src = from;
  m.body = std::move(body);
  return core::Deliver{from, std::move(m)};
}

template <class T>
std::vector<T> only(const PeerOutdate::Actions& actions) {
  std::vector<T> out;
  for (const auto& a : actions)
    if (const auto* t = std::get_if<T>(&a)) out.push_back(*t);
  return out;
}

// The one message sent, of type T, with its dest.
template <class T>
std::pair<T, std::string> sent(const PeerOutdate::Actions& actions) {
  const auto sends = only<ownership::SendMessage>(actions);
  REQUIRE(sends.size() == 1);
  const auto* body = std::get_if<T>(&sends[0].body);
  REQUIRE(body != nullptr);
  return {*body, sends[0].dest};
}

OutdateAnswer the_answer(const PeerOutdate::Actions& actions) {
  const auto answers = only<OutdateAnswer>(actions);
  REQUIRE(answers.size() == 1);
  return answers[0];
}

proto::resourced::Reply drbdadm_exit(int code) {
  proto::resourced::Reply r;
  r.op = proto::resourced::Op::kStart;
  r.outcome = code == 0 ? proto::resourced::Outcome::kOk : proto::resourced::Outcome::kFailed;
  r.exit_status = code;
  return r;
}

}  // namespace

TEST_CASE("outdate-peer: the asker sends the request to the peer, dest set, and waits") {
  const auto c = config_for("node1");
  PeerOutdate o(c);
  o.on_membership(up("node2"));
  const auto a = o.ask(OutdatePeer{7, "r0", "", 5s}, kT0);
  auto [request, dest] = sent<messages::OutdatePeer>(a);
  CHECK(dest == "node2");
  CHECK(request.drbd == "r0");
  CHECK(request.xid.has_value());
  CHECK(only<OutdateAnswer>(a).empty());
  CHECK(o.next_deadline() == kT0 + 5s);
}

TEST_CASE("outdate-peer: the peer's 'outdated' answers 4 to the handler that asked") {
  const auto c = config_for("node1");
  PeerOutdate o(c);
  o.on_membership(up("node2"));
  auto [request, dest] = sent<messages::OutdatePeer>(o.ask(OutdatePeer{7, "r0", "", 5s}, kT0));
  const auto a =
      o.on_membership(deliver("node2", messages::OutdatePeerReply{request.xid, "r0", "outdated"}));
  CHECK(the_answer(a) == OutdateAnswer{7, OutdateResult::kOutdated, "node2 answered outdated"});
  CHECK(o.waiting() == 0);
  CHECK_FALSE(o.next_deadline());
}

TEST_CASE("outdate-peer: the peer's words map to DRBD's fence-peer codes") {
  CHECK(outdate_result("outdated") == OutdateResult::kOutdated);
  CHECK(outdate_result("inconsistent") == OutdateResult::kInconsistent);
  CHECK(outdate_result("primary") == OutdateResult::kPrimary);
  CHECK(outdate_result("unknown-resource") == OutdateResult::kRefused);
  CHECK(outdate_result("failed") == OutdateResult::kUnreachable);
  CHECK(outdate_result("garbage") == OutdateResult::kUnreachable);
  CHECK(static_cast<int>(OutdateResult::kOutdated) == 4);
}

TEST_CASE("outdate-peer: drbdadm outdate's exit codes map to reply words") {
  CHECK(outdate_word(0) == "outdated");
  CHECK(outdate_word(5) == "inconsistent");
  CHECK(outdate_word(17) == "primary");
  CHECK(outdate_word(20) == "failed");
  CHECK(outdate_word(-9) == "failed");
}

TEST_CASE("outdate-peer: no answer by the timeout is 5 (peer unreachable)") {
  const auto c = config_for("node1");
  PeerOutdate o(c);
  o.on_membership(up("node2"));
  auto [request, dest] = sent<messages::OutdatePeer>(o.ask(OutdatePeer{3, "r0", "", 2s}, kT0));
  CHECK(only<OutdateAnswer>(o.on_tick(kT0 + 1900ms)).empty());
  CHECK(the_answer(o.on_tick(kT0 + 2s)).result == OutdateResult::kUnreachable);
  // The late reply finds nobody waiting.
  CHECK(o.on_membership(deliver("node2", messages::OutdatePeerReply{request.xid, "r0", "outdated"}))
            .empty());
}

TEST_CASE("outdate-peer: the peer declared dead while asked answers 5 at once") {
  const auto c = config_for("node1");
  PeerOutdate o(c);
  o.on_membership(up("node2"));
  o.ask(OutdatePeer{3, "r0", "", 5s}, kT0);
  CHECK(the_answer(o.on_membership(dead("node2"))).result == OutdateResult::kUnreachable);
  CHECK(o.waiting() == 0);
}

TEST_CASE("outdate-peer: a peer not up (never heard, or dead) is 5 without asking") {
  const auto c = config_for("node1");
  PeerOutdate o(c);
  auto a = o.ask(OutdatePeer{1, "r0", "", 5s}, kT0);
  CHECK(the_answer(a).result == OutdateResult::kUnreachable);
  CHECK(only<ownership::SendMessage>(a).empty());
  o.on_membership(up("node2"));
  o.on_membership(dead("node2"));
  CHECK(the_answer(o.ask(OutdatePeer{2, "r0", "", 5s}, kT0)).result == OutdateResult::kUnreachable);
}

TEST_CASE("outdate-peer: a resource that is no drbddisk entry here is refused (1)") {
  const auto c = config_for("node1");
  PeerOutdate o(c);
  o.on_membership(up("node2"));
  const auto a = o.ask(OutdatePeer{1, "r9", "", 5s}, kT0);
  CHECK(the_answer(a).result == OutdateResult::kRefused);
  CHECK(only<ownership::SendMessage>(a).empty());
}

TEST_CASE("outdate-peer: DRBD's peer name picks the node; a stranger is refused") {
  const auto c = config_for("node1", {"node1", "node2", "node3"});
  PeerOutdate o(c);
  o.on_membership(up("node2"));
  o.on_membership(up("node3"));
  // Three nodes and no name: which peer is meant cannot be guessed.
  CHECK(the_answer(o.ask(OutdatePeer{1, "r0", "", 5s}, kT0)).result == OutdateResult::kRefused);
  CHECK(the_answer(o.ask(OutdatePeer{2, "r0", "nodeX", 5s}, kT0)).result ==
        OutdateResult::kRefused);
  CHECK(the_answer(o.ask(OutdatePeer{3, "r0", "node1", 5s}, kT0)).result ==
        OutdateResult::kRefused);  // ourselves
  // uname -n may be capitalised; ha.cf names are lower-cased.
  CHECK(sent<messages::OutdatePeer>(o.ask(OutdatePeer{4, "r0", "Node3", 5s}, kT0)).second ==
        "node3");
}

TEST_CASE("outdate-peer: the timeout is bounded by what the control socket waits") {
  const auto c = config_for("node1");
  PeerOutdate o(c);
  o.on_membership(up("node2"));
  o.ask(OutdatePeer{1, "r0", "", 600s}, kT0);
  CHECK(o.next_deadline() == kT0 + kMaxOutdateTimeout);
}

TEST_CASE("outdate-peer: the peer runs drbdadm outdate for its drbddisk entry and replies") {
  const auto c = config_for("node2");
  PeerOutdate o(c);
  const auto a = o.on_membership(deliver("node1", messages::OutdatePeer{41, "r0"}));
  const auto tasks = only<PeerOutdate::Task>(a);
  REQUIRE(tasks.size() == 1);
  CHECK(tasks[0].resource_index == 1);             // 192.0.2.5 is #0, drbddisk::r0 #1
  CHECK(only<ownership::SendMessage>(a).empty());  // nothing until drbdadm is done
  const auto r = drbdadm_exit(0);
  auto [reply, dest] = sent<messages::OutdatePeerReply>(o.on_task_done(tasks[0].token, &r));
  CHECK(dest == "node1");
  CHECK(reply.xid == 41u);
  CHECK(reply.drbd == "r0");
  CHECK(reply.result == "outdated");
}

namespace {

// node2's reply word when node1 asks and resourced answers `reply`
// (nullptr: resourced could not be reached).
std::string peer_reply_word(const proto::resourced::Reply* reply) {
  const auto c = config_for("node2");
  PeerOutdate o(c);
  const auto tasks =
      only<PeerOutdate::Task>(o.on_membership(deliver("node1", messages::OutdatePeer{5, "r0"})));
  REQUIRE(tasks.size() == 1);
  return sent<messages::OutdatePeerReply>(o.on_task_done(tasks[0].token, reply)).first.result;
}

}  // namespace

TEST_CASE("outdate-peer: a primary peer's drbdadm (exit 17) replies 'primary'") {
  const auto r = drbdadm_exit(17);
  CHECK(peer_reply_word(&r) == "primary");
}

TEST_CASE("outdate-peer: resourced unreachable replies 'failed'") {
  CHECK(peer_reply_word(nullptr) == "failed");
}

TEST_CASE("outdate-peer: the peer refuses a resource that is no drbddisk entry of its own") {
  const auto c = config_for("node2");
  PeerOutdate o(c);
  const auto a = o.on_membership(deliver("node1", messages::OutdatePeer{5, "../etc"}));
  CHECK(only<PeerOutdate::Task>(a).empty());
  CHECK(sent<messages::OutdatePeerReply>(a).first.result == "unknown-resource");
}

TEST_CASE("outdate-peer: a reply from another node than the one asked is ignored") {
  const auto c = config_for("node1", {"node1", "node2", "node3"});
  PeerOutdate o(c);
  o.on_membership(up("node2"));
  auto [request, dest] = sent<messages::OutdatePeer>(o.ask(OutdatePeer{1, "r0", "node2", 5s}, kT0));
  CHECK(
      only<OutdateAnswer>(o.on_membership(deliver(
                              "node3", messages::OutdatePeerReply{request.xid, "r0", "outdated"})))
          .empty());
  CHECK(o.waiting() == 1);
}
