// One action at a time per resource (action_queue.h).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "resourced/action_queue.h"

using namespace vigil;
using namespace vigil::resourced;
using Place = vigil::proto::ResourcePlace;

namespace {

struct FakeLaunch {
  struct Started {
    Place place;
    Action action;
    ActionQueue::Completion done;
  };
  std::vector<Started> started;
  ActionQueue::Launch launch() {
    return [this](const Place& p, Action a, Duration, ActionQueue::Completion d) {
      started.push_back({p, a, std::move(d)});
    };
  }
  void finish(std::size_t i, bool ok = true) {
    ActionResult r;
    r.action = started.at(i).action;
    r.succeeded = ok;
    started.at(i).done(r);
  }
};

}  // namespace

TEST_CASE("queue: actions on different resources run concurrently") {
  FakeLaunch fake;
  ActionQueue q(fake.launch());
  q.submit({0, 0}, Action::kStart, [](const ActionResult&) {});
  q.submit({0, 1}, Action::kStart, [](const ActionResult&) {});
  CHECK(fake.started.size() == 2);
  CHECK(q.size() == 2);
}

TEST_CASE("queue: a second action on the same resource waits until the first completed") {
  FakeLaunch fake;
  ActionQueue q(fake.launch());
  std::vector<std::string> done;
  q.submit({1, 0}, Action::kStart, [&](const ActionResult&) { done.push_back("start"); });
  q.submit({1, 0}, Action::kStop, [&](const ActionResult&) { done.push_back("stop"); });
  REQUIRE(fake.started.size() == 1);
  CHECK(fake.started[0].action == Action::kStart);
  CHECK(q.depth({1, 0}) == 2);
  fake.finish(0);
  REQUIRE(fake.started.size() == 2);
  CHECK(fake.started[1].action == Action::kStop);
  fake.finish(1);
  CHECK(done == std::vector<std::string>{"start", "stop"});
  CHECK(q.size() == 0);
}

TEST_CASE("queue: a completion is reported before the next action on the resource starts") {
  FakeLaunch fake;
  ActionQueue q(fake.launch());
  std::size_t started_when_done = 99;
  q.submit({0, 0}, Action::kStart,
           [&](const ActionResult&) { started_when_done = fake.started.size(); });
  q.submit({0, 0}, Action::kStatus, [](const ActionResult&) {});
  fake.finish(0);
  CHECK(started_when_done == 1);
  CHECK(fake.started.size() == 2);
}

TEST_CASE("queue: a launch that completes at once does not stall the resource") {
  int launches = 0;
  ActionQueue q([&](const Place&, Action a, Duration, ActionQueue::Completion d) {
    ++launches;
    ActionResult r;
    r.action = a;
    d(r);
  });
  int done = 0;
  q.submit({0, 0}, Action::kStop, [&](const ActionResult&) { ++done; });
  q.submit({0, 0}, Action::kStop, [&](const ActionResult&) { ++done; });
  CHECK(launches == 2);
  CHECK(done == 2);
  CHECK(q.size() == 0);
}

TEST_CASE("queue: work submitted from a completion on the same resource runs after it") {
  FakeLaunch fake;
  ActionQueue q(fake.launch());
  q.submit({0, 0}, Action::kStart, [&](const ActionResult&) {
    q.submit({0, 0}, Action::kStatus, [](const ActionResult&) {});
  });
  fake.finish(0);
  REQUIRE(fake.started.size() == 2);
  CHECK(fake.started[1].action == Action::kStatus);
  CHECK(q.depth({0, 0}) == 1);
}

TEST_CASE("queue: an action with a launcher of its own waits in the same lane and runs there") {
  FakeLaunch fake;
  ActionQueue q(fake.launch());
  std::vector<std::string> done;
  int own_launches = 0;
  q.submit({2, 0}, Action::kStart, [&](const ActionResult&) { done.push_back("start"); });
  q.submit(
      {2, 0}, Action::kStatus, std::chrono::seconds(3),
      [&](const ActionResult& r) { done.push_back(r.running ? "check running" : "check"); },
      [&](const Place&, Action a, Duration timeout, ActionQueue::Completion d) {
        ++own_launches;
        CHECK(a == Action::kStatus);
        CHECK(timeout == std::chrono::seconds(3));
        ActionResult r;
        r.action = a;
        r.succeeded = true;
        r.running = true;
        d(r);  // completes at once, as a launcher may
      });
  q.submit({2, 0}, Action::kStop, [&](const ActionResult&) { done.push_back("stop"); });
  CHECK(own_launches == 0);  // the start still runs
  fake.finish(0);
  CHECK(own_launches == 1);
  REQUIRE(fake.started.size() == 2);  // the check never reached the queue's launcher
  CHECK(fake.started[1].action == Action::kStop);
  fake.finish(1);
  CHECK(done == std::vector<std::string>{"start", "check running", "stop"});
  CHECK(q.size() == 0);
}
