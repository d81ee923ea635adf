// Shared by the engine tests: two nodes, keepalive 100ms / deadtime 500ms,
// auto_failback on, one group at home on node1: a VIP and a script.
#pragma once

#include <chrono>
#include <string>

#include "conf/config.h"
#include "conf/haresources.h"

namespace vigil::engine::test {

inline conf::Config seed_config(const std::string& local = "node1") {
  using namespace std::chrono_literals;
  conf::Config c;
  c.local_node = local;
  c.ha_cf.nodes = {"node1", "node2"};
  c.ha_cf.keepalive = 100ms;
  c.ha_cf.deadtime = 500ms;
  c.ha_cf.warntime = 300ms;
  c.ha_cf.initdead = 1000ms;
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
