// Every message on every medium (heartbeat-compat.md §5.1), and a failing
// link logged once, not at every keepalive.
#include <catch2/catch.hpp>

#include "common/log.h"
#include "heartbeatd/io/media_set.h"

using namespace vigil;
using namespace vigil::io;

namespace {

class FakeMedium final : public Medium {
 public:
  explicit FakeMedium(std::string link) : link_(std::move(link)) {}
  const std::string& link_name() const override { return link_; }
  Status send(std::span<const std::byte> message) override {
    if (fail) return Error{link_ + ": send failed"};
    sent.emplace_back(message.begin(), message.end());
    return ok_status();
  }
  int receive_fd() const override { return -1; }
  Result<std::optional<Datagram>> receive() override { return std::optional<Datagram>{}; }

  bool fail = false;
  std::vector<std::vector<std::byte>> sent;

 private:
  std::string link_;
};

struct Fixture {
  Fixture() {
    auto a = std::make_unique<FakeMedium>("eth1");
    auto b = std::make_unique<FakeMedium>("eth2");
    eth1 = a.get();
    eth2 = b.get();
    std::vector<std::unique_ptr<Medium>> v;
    v.push_back(std::move(a));
    v.push_back(std::move(b));
    set = std::make_unique<MediaSet>(std::move(v));
  }
  FakeMedium* eth1;
  FakeMedium* eth2;
  std::unique_ptr<MediaSet> set;
};

const std::byte kMessage[] = {std::byte{'h'}, std::byte{'b'}};

std::size_t count(const log::ScopedCapture& c, std::string_view needle) {
  std::size_t n = 0;
  for (const auto& e : c.events())
    if (e.text.find(needle) != std::string::npos) ++n;
  return n;
}

}  // namespace

TEST_CASE("media set: a message goes out on every medium") {
  Fixture f;
  CHECK(f.set->send_all(kMessage) == 2);
  CHECK(f.eth1->sent.size() == 1);
  CHECK(f.eth2->sent.size() == 1);
}

TEST_CASE("media set: a failing medium does not keep the others from sending") {
  Fixture f;
  f.eth1->fail = true;
  CHECK(f.set->send_all(kMessage) == 1);
  CHECK(f.eth2->sent.size() == 1);
}

TEST_CASE("media set: a failing link is logged once until it sends again") {
  Fixture f;
  log::ScopedCapture capture;
  f.eth1->fail = true;
  for (int i = 0; i < 5; ++i) (void)f.set->send_all(kMessage);
  CHECK(count(capture, "eth1: send failed") == 1);
  f.eth1->fail = false;
  (void)f.set->send_all(kMessage);
  CHECK(count(capture, "eth1: sending works again") == 1);
  f.eth1->fail = true;
  (void)f.set->send_all(kMessage);
  CHECK(count(capture, "eth1: send failed") == 2);
}
