// What both nodes must agree on (heartbeatd/node/shared_config.h): the
// digest, the verdict about a peer, and the field on the wire.
#include <catch2/catch.hpp>

#include "heartbeatd/node/shared_config.h"

using namespace vigil;
using namespace vigil::node;
using namespace std::chrono_literals;

namespace {

conf::Config config() {
  conf::Config c;
  c.local_node = "node1";
  c.ha_cf.nodes = {"node1", "node2"};
  c.ha_cf.keepalive = 1000ms;
  c.ha_cf.deadtime = 30000ms;
  c.ha_cf.initdead = 120000ms;
  c.ha_cf.auto_failback = conf::AutoFailback::kOn;
  conf::ResourceGroup g;
  g.node = "node1";
  conf::Resource r;
  r.kind = conf::ResourceKind::kScript;
  r.text = r.name = "httpd";
  g.resources.push_back(r);
  c.groups.push_back(g);
  return c;
}

}  // namespace

TEST_CASE("shared config: the digest covers haresources and the shared timers only") {
  const conf::Config base = config();
  const std::string d = shared_config_digest(base);
  CHECK(d.size() == kSharedConfigDigestLength);

  conf::Config per_node = base;  // what may differ between the nodes
  per_node.local_node = "node2";
  per_node.ha_cf.logfile = "/var/log/ha.log";
  per_node.ha_cf.media.push_back(conf::Medium{});
  per_node.ha_cf.respawn.push_back(conf::RespawnClient{"nobody", "/bin/true", false, 3});
  CHECK(shared_config_digest(per_node) == d);

  conf::Config t = base;
  t.ha_cf.deadtime = 10000ms;
  CHECK(shared_config_digest(t) != d);
  conf::Config f = base;
  f.ha_cf.auto_failback = conf::AutoFailback::kOff;
  CHECK(shared_config_digest(f) != d);
  conf::Config h = base;
  h.groups.front().node = "node2";
  CHECK(shared_config_digest(h) != d);
}

TEST_CASE("shared config: a differing peer is reported once, and again when it matches") {
  PeerConfigCheck check("0123456789abcdef");
  const std::string same = "0123456789abcdef";
  const std::string other = "fedcba9876543210";
  auto first = check.observe("node2", &other);
  REQUIRE(first);
  CHECK(first->differs);
  CHECK(first->text.find("Configuration differs from node2's") == 0);
  CHECK_FALSE(check.observe("node2", &other));  // no repeat every keepalive
  REQUIRE(check.theirs("node2"));
  CHECK(*check.theirs("node2") == other);
  auto back = check.observe("node2", &same);
  REQUIRE(back);
  CHECK_FALSE(back->differs);
  CHECK(back->text == "Configuration now matches node2's");
  CHECK_FALSE(check.observe("node2", &same));
}

TEST_CASE("shared config: a matching peer says nothing; no field or a malformed one is ignored") {
  PeerConfigCheck check("0123456789abcdef");
  const std::string same = "0123456789abcdef";
  CHECK_FALSE(check.observe("node2", &same));
  CHECK_FALSE(check.observe("node3", nullptr));  // a heartbeat peer
  const std::string junk = "not-a-digest";
  CHECK_FALSE(check.observe("node3", &junk));
  CHECK(check.theirs("node3") == nullptr);
}
