#include "resourced/action_queue.h"

namespace vigil::resourced {

void ActionQueue::submit(const proto::ResourcePlace& place, Action action, Completion done) {
  submit(place, action, action_timeout(action), std::move(done));
}

void ActionQueue::submit(const proto::ResourcePlace& place, Action action, Duration timeout,
                         Completion done) {
  submit(place, action, timeout, std::move(done), {});
}

void ActionQueue::submit(const proto::ResourcePlace& place, Action action, Duration timeout,
                         Completion done, Launch how) {
  const Key key{place.group, place.position};
  Lane& lane = lanes_[key];
  lane.pending.push_back(Pending{action, timeout, std::move(done), std::move(how)});
  if (!lane.running) launch_front(key);
}

std::size_t ActionQueue::depth(const proto::ResourcePlace& place) const {
  auto it = lanes_.find(Key{place.group, place.position});
  return it == lanes_.end() ? 0 : it->second.pending.size();
}

std::size_t ActionQueue::size() const {
  std::size_t n = 0;
  for (const auto& [key, lane] : lanes_) n += lane.pending.size();
  return n;
}

void ActionQueue::launch_front(const Key& key) {
  Lane& lane = lanes_[key];
  lane.running = true;
  const Action action = lane.pending.front().action;
  const Duration timeout = lane.pending.front().timeout;
  // A copy: a launch that completes at once pops the entry that holds it.
  const Launch how = lane.pending.front().how ? lane.pending.front().how : launch_;
  // `how` may complete at once; nothing here touches `lane` afterwards.
  how(proto::ResourcePlace{key.first, key.second}, action, timeout,
      [this, key](const ActionResult& result) { on_done(key, result); });
}

void ActionQueue::on_done(const Key& key, const ActionResult& result) {
  auto it = lanes_.find(key);
  if (it == lanes_.end() || !it->second.running) return;
  Completion done = std::move(it->second.pending.front().done);
  it->second.pending.pop_front();
  it->second.running = false;
  // The completion runs before the next action starts, so replies keep the
  // order of the requests; it may submit more work on this place.
  if (done) done(result);
  it = lanes_.find(key);
  if (it == lanes_.end()) return;
  if (it->second.pending.empty())
    lanes_.erase(it);
  else if (!it->second.running)
    launch_front(key);
}

}  // namespace vigil::resourced
