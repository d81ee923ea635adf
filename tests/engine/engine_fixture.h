// Shared by the engine tests: two nodes, keepalive 100ms / deadtime 500ms,
// auto_failback on, one group at home on node1: a VIP and a script.
#pragma once

#include <chrono>
#include <initializer_list>
#include <string>

#include "conf/config.h"
#include "conf/haresources.h"
#include "tests/common/two_node_timers.h"

namespace vigil::engine::test {

// Appends haresources line `line`: `node token...`.
inline void add_group(conf::Config& c, const std::string& node, int line,
                      std::initializer_list<const char*> tokens) {
  conf::ResourceGroup g;
  g.node = node;
  g.line = line;
  for (const char* token : tokens) g.resources.push_back(*conf::parse_resource(token));
  c.groups.push_back(std::move(g));
}

inline conf::Config seed_config(const std::string& local = "node1") {
  conf::Config c = testing::two_node_timers(local);
  c.ha_cf.auto_failback = conf::AutoFailback::kOn;
  add_group(c, "node1", 1, {"192.0.2.5", "httpsvc"});
  return c;
}

}  // namespace vigil::engine::test
