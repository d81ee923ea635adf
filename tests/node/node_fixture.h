// Shared by the heartbeatd/node tests: a two-node configuration (sha1 key
// `testkey`, keepalive 100ms / deadtime 500ms) and an Outbox that keeps
// what the node sent.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "conf/config.h"
#include "heartbeatd/node/cluster_node.h"
#include "heartbeatd/state/node_uuid.h"
#include "tests/common/two_node_timers.h"

namespace vigil::testing {

using namespace std::chrono_literals;

inline conf::Config two_node_config(const std::string& local) {
  conf::Config c = testing::two_node_timers(local);
  c.authkeys.active_id = 1;
  conf::AuthKey key;
  key.id = 1;
  key.method = conf::AuthMethod::kSha1;
  key.key = SecretBytes("testkey");
  c.authkeys.keys.push_back(std::move(key));
  return c;
}

struct Wire : node::Outbox {
  std::deque<std::vector<std::byte>> sent;
  std::vector<std::pair<std::string, std::vector<std::byte>>> probes;
  std::vector<std::uint64_t> recorded;
  bool refuse_records = false;
  void send_all(std::span<const std::byte> d) override { sent.emplace_back(d.begin(), d.end()); }
  void send_probe(std::string_view node, std::span<const std::byte> d) override {
    probes.emplace_back(std::string(node), std::vector<std::byte>(d.begin(), d.end()));
  }
  bool record_sent(std::uint64_t seq) override {
    if (refuse_records) return false;
    recorded.push_back(seq);
    return true;
  }
  std::int64_t unix_time() override { return 1700000000; }
  std::optional<std::string> load_average() override { return "0.01 0.02 0.03 1/100 42"; }
};

inline state::NodeUuid uuid_of(std::uint8_t b) {
  state::NodeUuid u{};
  u.fill(b);
  return u;
}

}  // namespace vigil::testing
