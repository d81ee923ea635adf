// The notify hook's spool and delivery (resourced/notify_spool.h,
// notify_delivery.h): ordered, at least once, across restarts.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include "../common/loop_helpers.h"
#include "common/event_loop.h"
#include "common/log.h"
#include "quiet_log.h"
#include "resourced/notify_delivery.h"
#include "resourced/notify_spool.h"
#include "temp_tree.h"

using namespace vigil;
using namespace vigil::resourced;
using namespace vigil::resourced::testing;
using namespace std::chrono_literals;
using proto::ClusterEvent;

namespace {

// A store in memory: what the directory holds, without a file system.
class MemoryStore final : public SpoolStore {
 public:
  Result<std::vector<std::uint64_t>> waiting() const override {
    std::vector<std::uint64_t> v;
    for (const auto& [seq, text] : files) v.push_back(seq);
    std::reverse(v.begin(), v.end());  // any order: recover() sorts
    return v;
  }
  std::optional<std::uint64_t> last_delivered() const override { return delivered_seq; }
  Status write(std::uint64_t seq, const std::string& text) override {
    if (fail_writes) return Error{"disk full"};
    files[seq] = text;
    return {};
  }
  Result<std::string> read(std::uint64_t seq) const override { return files.at(seq); }
  Status delivered(std::uint64_t seq) override {
    files.erase(seq);
    delivered_seq = seq;
    return {};
  }
  std::map<std::uint64_t, std::string> files;
  std::optional<std::uint64_t> delivered_seq;
  bool fail_writes = false;
};

}  // namespace

TEST_CASE("notify spool: events are numbered and handed out in order") {
  MemoryStore store;
  auto spool = NotifySpool::recover(store);
  REQUIRE(spool.ok());
  CHECK(*spool->append("a") == 1);
  CHECK(*spool->append("b") == 2);
  CHECK(spool->front() == 1);
  CHECK(*spool->read_front() == "a");
  REQUIRE(spool->pop_front().ok());
  CHECK(spool->front() == 2);
  CHECK(store.delivered_seq == 1);
}

TEST_CASE("notify spool: a restart resumes with the oldest waiting event, numbers keep growing") {
  MemoryStore store;
  store.files = {{7, "g"}, {5, "e"}, {6, "f"}};
  store.delivered_seq = 4;
  auto spool = NotifySpool::recover(store);
  REQUIRE(spool.ok());
  CHECK(spool->front() == 5);
  CHECK(spool->size() == 3);
  CHECK(spool->next_seq() == 8);
}

TEST_CASE("notify spool: after everything was delivered, numbers continue past the last one") {
  MemoryStore store;
  store.delivered_seq = 41;
  auto spool = NotifySpool::recover(store);
  REQUIRE(spool.ok());
  CHECK_FALSE(spool->front());
  CHECK(*spool->append("x") == 42);
}

TEST_CASE("notify spool: an event that cannot be written is not queued") {
  MemoryStore store;
  store.fail_writes = true;
  auto spool = NotifySpool::recover(store);
  REQUIRE(spool.ok());
  CHECK_FALSE(spool->append("x").ok());
  CHECK(spool->size() == 0);
  CHECK(spool->next_seq() == 1);
}

TEST_CASE("notify retry: the wait doubles from the base up to notify_retry_max") {
  CHECK(notify_retry_delay(1, 60000ms) == 1000ms);
  CHECK(notify_retry_delay(2, 60000ms) == 2000ms);
  CHECK(notify_retry_delay(3, 60000ms) == 4000ms);
  CHECK(notify_retry_delay(7, 60000ms) == 60000ms);
  CHECK(notify_retry_delay(100, 60000ms) == 60000ms);
}

TEST_CASE("spool directory: what was written survives reopening, a half-written file does not") {
  TempTree tree;
  const std::string dir = tree.path("spool");
  {
    auto store = DirectorySpoolStore::open(dir);
    REQUIRE(store.ok());
    REQUIRE(store->write(1, "one\n").ok());
    REQUIRE(store->write(2, "two\n").ok());
    REQUIRE(store->write(3, "VIGIL_EVENT_SEQ=3\n").ok());
    REQUIRE(store->delivered(3).ok());
  }
  tree.file("spool/.tmp-00000000000000000004", "half");
  auto store = DirectorySpoolStore::open(dir);
  REQUIRE(store.ok());
  auto waiting = store->waiting();
  REQUIRE(waiting.ok());
  std::sort(waiting->begin(), waiting->end());
  CHECK(*waiting == std::vector<std::uint64_t>{1, 2});
  CHECK(store->last_delivered() == 3);
  CHECK(*store->read(2) == "two\n");
  CHECK_FALSE(std::filesystem::exists(tree.path("spool/.tmp-00000000000000000004")));
}

TEST_CASE("spool directory: one that others may read, or a symlink, is refused") {
  TempTree tree;
  tree.mkdir("open");
  ::chmod(tree.path("open").c_str(), 0755);
  CHECK_FALSE(DirectorySpoolStore::open(tree.path("open")).ok());
  tree.mkdir("real");
  ::chmod(tree.path("real").c_str(), 0700);
  std::filesystem::create_directory_symlink(tree.path("real"), tree.path("link"));
  CHECK_FALSE(DirectorySpoolStore::open(tree.path("link")).ok());
  CHECK(DirectorySpoolStore::open(tree.path("real")).ok());
}

TEST_CASE("spooled event text: the variables the hook gets, one a line") {
  CHECK(spooled_event_text(3, ClusterEvent::kStatus, {{"src", "node2"}, {"st", "dead"}},
                           1700000000123) ==
        "VIGIL_EVENT_SEQ=3\nVIGIL_EVENT=status\nVIGIL_EVENT_TIME=1700000000.123\n"
        "HA_src=node2\nHA_st=dead\n");
}

namespace {

// A hook that appends "SEQ EVENT HA_src" to OUT, and fails while the file
// FAIL holds a number above 0 (decremented per failure).
struct HookTree {
  TempTree tree;
  std::string hook;
  HookTree() {
    quiet_log();
    hook =
        tree.script("notify.d/hook",
                    "F=" + tree.path("fail") +
                        "\n"
                        "if [ -f $F ] && [ \"$(cat $F)\" -gt 0 ]; then echo $(( $(cat $F) - 1 )) "
                        "> $F; exit 1; fi\n"
                        "echo \"$VIGIL_EVENT_SEQ $1 $HA_src\" >> " +
                        tree.path("out") + "\n");
  }
  NotifyOptions options() const {
    NotifyOptions o;
    o.hook_path = hook;
    o.environment = {"PATH=/usr/bin:/bin"};
    o.timeout = 10s;
    o.retry_base = 20ms;
    o.retry_max = 40ms;
    return o;
  }
  std::string out() const {
    return std::filesystem::exists(tree.path("out")) ? tree.read("out") : std::string();
  }
};

}  // namespace

TEST_CASE("notify hook: events are delivered one at a time, in order") {
  HookTree h;
  EventLoop loop;
  auto d = NotifyDelivery::open(loop, h.options(), h.tree.path("spool"));
  REQUIRE(d.ok());
  for (const char* node : {"node2", "node3", "node4"})
    REQUIRE((*d)->enqueue(ClusterEvent::kStatus, {{"src", node}}, 0).ok());
  REQUIRE(test::run_until(loop, [&] { return (*d)->waiting() == 0; }));
  CHECK(h.out() == "1 status node2\n2 status node3\n3 status node4\n");
}

TEST_CASE("notify hook: a failing hook is retried with the same event; later ones wait") {
  HookTree h;
  h.tree.file("fail", "2\n");
  EventLoop loop;
  auto d = NotifyDelivery::open(loop, h.options(), h.tree.path("spool"));
  REQUIRE(d.ok());
  REQUIRE((*d)->enqueue(ClusterEvent::kIfstat, {{"src", "a"}}, 0).ok());
  REQUIRE((*d)->enqueue(ClusterEvent::kIfstat, {{"src", "b"}}, 0).ok());
  REQUIRE(test::run_until(loop, [&] { return (*d)->waiting() == 0; }));
  CHECK(h.out() == "1 ifstat a\n2 ifstat b\n");
  CHECK(h.tree.read("fail") == "0\n");
}

TEST_CASE(
    "notify hook: what a stopped resourced left in the spool is delivered by the next, "
    "first and in order") {
  HookTree h;
  h.tree.file("fail", "1000\n");  // the first run never gets one through
  {
    EventLoop loop;
    auto d = NotifyDelivery::open(loop, h.options(), h.tree.path("spool"));
    REQUIRE(d.ok());
    REQUIRE((*d)->enqueue(ClusterEvent::kStatus, {{"src", "x"}}, 0).ok());
    REQUIRE((*d)->enqueue(ClusterEvent::kStatus, {{"src", "y"}}, 0).ok());
    REQUIRE(test::run_until(loop, [&] { return (*d)->failures() >= 1; }));
  }  // "resourced" stops
  h.tree.file("fail", "0\n");
  EventLoop loop;
  auto d = NotifyDelivery::open(loop, h.options(), h.tree.path("spool"));
  REQUIRE(d.ok());
  REQUIRE((*d)->enqueue(ClusterEvent::kStatus, {{"src", "z"}}, 0).ok());
  REQUIRE(test::run_until(loop, [&] { return (*d)->waiting() == 0; }));
  CHECK(h.out() == "1 status x\n2 status y\n3 status z\n");
}
