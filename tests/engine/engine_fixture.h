// Shared by the engine tests: two nodes, keepalive 100ms / deadtime 500ms,
// auto_failback on, one group at home on node1: a VIP and a script.
#pragma once

#include <chrono>
#include <string>

#include "conf/config.h"
#include "conf/haresources.h"
#include "tests/common/two_node_timers.h"

namespace vigil::engine::test {

inline conf::Config seed_config(const std::string& local = "node1") {
  using namespace std::chrono_literals;
  conf::Config c = testing::two_node_timers(local);
  c.ha_cf.auto_failback = conf::AutoFailback::kOn;
  conf::ResourceGroup g;
  g.node = "node1";
  g.line = 1;
  for (const char* token : {"192.0.2.5", "httpsvc"})
    g.resources.push_back(*conf::parse_resource(token));
  c.groups.push_back(std::move(g));
  return c;
}

}  // namespace vigil::engine::test
