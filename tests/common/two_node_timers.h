// The two-node cluster every heartbeatd test starts from: node1 and node2,
// keepalive 100ms / deadtime 500ms, warntime 300ms, initdead 1s. Fixtures
// add their own groups, policy and keys.
#pragma once

#include <chrono>
#include <string>

#include "conf/config.h"

namespace vigil::testing {

inline conf::Config two_node_timers(const std::string& local) {
  using namespace std::chrono_literals;
  conf::Config c;
  c.local_node = local;
  c.ha_cf.nodes = {"node1", "node2"};
  c.ha_cf.keepalive = 100ms;
  c.ha_cf.deadtime = 500ms;
  c.ha_cf.warntime = 300ms;
  c.ha_cf.initdead = 1000ms;
  return c;
}

}  // namespace vigil::testing
