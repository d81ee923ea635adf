// The group walker (heartbeat-compat.md §3.4, §3.5): order, status-skip,
// rollback, one walk at a time.
#include <catch2/catch.hpp>

#include "harness.h"
#include "heartbeatd/ownership/group_walker.h"

using namespace vigil;
using namespace vigil::ownership;
using namespace vigil::ownership::test;

namespace {

conf::Config walker_config() {
  return seed_config("node1", conf::AutoFailback::kOn, {"node1 10.0.0.9 fs::/dev/sdb1 db"},
                     /*with_seed_group=*/false);
}

std::vector<ResourceRequest> requests(const Actions& a) {
  std::vector<ResourceRequest> out;
  for (const auto& x : a)
    if (auto* r = std::get_if<ResourceRequest>(&x)) out.push_back(*r);
  return out;
}

std::vector<std::string> texts(const Actions& a) {
  std::vector<std::string> out;
  for (const auto& x : a)
    if (auto* l = std::get_if<Log>(&x)) out.push_back(l->text);
  return out;
}

// Runs the current job to its end with `helpers`, returning every action.
std::optional<JobDone> finish(GroupWalker& w, Actions first, FakeHelpers& helpers, Actions& all) {
  all.insert(all.end(), first.begin(), first.end());
  auto pending = requests(first);
  while (!pending.empty()) {
    const auto r = pending.back();
    Actions out;
    auto done = w.on_result(r.request_id, helpers.answer(r), out);
    all.insert(all.end(), out.begin(), out.end());
    if (done) return done;
    pending = requests(out);
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("walker: a group starts left to right, status before each non-IP start") {
  const auto c = walker_config();
  GroupWalker w(c);
  FakeHelpers h;
  Actions first, all;
  w.enqueue(make_job(Direction::kStart, Purpose::kAcquireLocal, {0}), first);
  auto done = finish(w, first, h, all);
  REQUIRE(done);
  std::vector<std::pair<int, ResourceOp>> seen;
  for (const auto& r : h.seen) seen.emplace_back(r.position, r.op);
  CHECK(seen == std::vector<std::pair<int, ResourceOp>>{{0, ResourceOp::kStart},
                                                        {1, ResourceOp::kStatus},
                                                        {1, ResourceOp::kStart},
                                                        {2, ResourceOp::kStatus},
                                                        {2, ResourceOp::kStart}});
  CHECK(texts(all).front() == "Acquiring resource group: node1 10.0.0.9 fs::/dev/sdb1 db");
  CHECK(w.state(0) == GroupRunState::kRunning);
}

TEST_CASE("walker: IP entries go to ipd and the rest to resourced") {
  const auto c = walker_config();
  GroupWalker w(c);
  FakeHelpers h;
  Actions first, all;
  w.enqueue(make_job(Direction::kStart, Purpose::kAcquireLocal, {0}), first);
  finish(w, first, h, all);
  CHECK(h.seen[0].target == ResourceTarget::kIpd);
  CHECK(h.seen[1].target == ResourceTarget::kResourced);
  CHECK(h.seen[3].target == ResourceTarget::kResourced);
}

TEST_CASE("walker: a resource whose status says running is not started again") {
  const auto c = walker_config();
  GroupWalker w(c);
  FakeHelpers h;
  h.running.insert({0, 1});
  Actions first, all;
  w.enqueue(make_job(Direction::kStart, Purpose::kAcquireLocal, {0}), first);
  finish(w, first, h, all);
  int starts_of_fs = 0;
  for (const auto& r : h.seen)
    if (r.position == 1 && r.op == ResourceOp::kStart) ++starts_of_fs;
  CHECK(starts_of_fs == 0);
  CHECK(w.state(0) == GroupRunState::kRunning);
}

TEST_CASE("walker: a group stops right to left, every resource, no status first") {
  const auto c = walker_config();
  GroupWalker w(c);
  FakeHelpers h;
  Actions first, all;
  w.enqueue(make_job(Direction::kStop, Purpose::kShutdown, {0}), first);
  finish(w, first, h, all);
  std::vector<std::pair<int, ResourceOp>> seen;
  for (const auto& r : h.seen) seen.emplace_back(r.position, r.op);
  CHECK(seen == std::vector<std::pair<int, ResourceOp>>{
                    {2, ResourceOp::kStop}, {1, ResourceOp::kStop}, {0, ResourceOp::kStop}});
  CHECK(texts(all).front() == "Releasing resource group: node1 10.0.0.9 fs::/dev/sdb1 db");
  CHECK(w.state(0) == GroupRunState::kStopped);
}

TEST_CASE("walker: a failed start gives the group up and stops it right to left") {
  const auto c = walker_config();
  GroupWalker w(c);
  FakeHelpers h;
  h.fail_start.insert({0, 2});
  Actions first, all;
  w.enqueue(make_job(Direction::kStart, Purpose::kAcquireLocal, {0}), first);
  auto done = finish(w, first, h, all);
  REQUIRE(done);
  CHECK(done->failed == std::vector<std::size_t>{0});
  CHECK(in_order(texts(all), {"Acquiring resource group: node1 10.0.0.9 fs::/dev/sdb1 db",
                              "Giving up resources due to failure of db",
                              "Releasing resource group: node1 10.0.0.9 fs::/dev/sdb1 db"}));
  CHECK(h.running.empty());
  CHECK(w.state(0) == GroupRunState::kFailed);
  // The stops after the failure ran right to left from the failed resource.
  std::vector<int> stops;
  for (const auto& r : h.seen)
    if (r.op == ResourceOp::kStop) stops.push_back(r.position);
  CHECK(stops == std::vector<int>{2, 1, 0});
}

TEST_CASE("walker: a stop that still fails is logged and the rest of the group is stopped") {
  const auto c = walker_config();
  GroupWalker w(c);
  Actions first;
  w.enqueue(make_job(Direction::kStop, Purpose::kShutdown, {0}), first);
  auto r = requests(first).at(0);
  Actions out;
  CHECK_FALSE(w.on_result(r.request_id, ResourceOutcome::kFailed, out));
  CHECK(texts(out).at(0) == "Resource stop failed: db");
  auto next = requests(out);
  REQUIRE(next.size() == 1);
  CHECK(next[0].position == 1);
}

TEST_CASE("walker: jobs run one at a time, in the order they were queued") {
  auto c = seed_config("node1", conf::AutoFailback::kOn, {"node2 10.0.0.7 mail"});
  GroupWalker w(c);
  Actions out1, out2;
  w.enqueue(make_job(Direction::kStart, Purpose::kAcquireLocal, {0}), out1);
  w.enqueue(make_job(Direction::kStart, Purpose::kMachDown, {1}), out2);
  CHECK(requests(out1).size() == 1);
  CHECK(requests(out2).empty());
  CHECK(w.pending(1));
  FakeHelpers h;
  Actions all;
  auto done = finish(w, out1, h, all);
  REQUIRE(done);
  CHECK(done->job.purpose == Purpose::kAcquireLocal);
  Actions kicked;
  w.kick(kicked);
  REQUIRE(requests(kicked).size() == 1);
  CHECK(requests(kicked)[0].group == 1);
}

TEST_CASE("walker: an answer with an unknown request id is ignored") {
  const auto c = walker_config();
  GroupWalker w(c);
  Actions first, out;
  w.enqueue(make_job(Direction::kStart, Purpose::kAcquireLocal, {0}), first);
  CHECK_FALSE(w.on_result(9999, ResourceOutcome::kOk, out));
  CHECK(out.empty());
  CHECK(w.state(0) == GroupRunState::kStarting);
}
