#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/proto/status_fixture.h"
#include "vigilctl/status_render.h"

using namespace vigil;

TEST_CASE("vigilctl status: the table shows nodes with links and groups with owners") {
  const std::string expected =
      "Local node: node1 (active), holding local resources\n"
      "\n"
      "NODE         TYPE    STATUS  LINKS\n"
      "node1        normal  active  eth1 up, eth2 up\n"
      "node2        normal  up      eth1 dead, eth2 up\n"
      "192.0.2.254  ping    ping    192.0.2.254 up\n"
      "\n"
      "GROUP                  HOME   OWNER  STATE\n"
      "192.0.2.10             node1  node1  running\n"
      "IPaddr::192.0.2.11/24  node2  node2  stopped\n"
      "\n"
      "Packets: 100 accepted, 1 malformed, 2 unauthenticated, 3 replayed, 4 lost, "
      "5 retransmissions requested, 6 from unknown nodes\n";
  CHECK(ctl::render_status_table(testing::sample_status()) == expected);
}

TEST_CASE("vigilctl status: a peer whose configuration digest differs gets a warning line") {
  auto s = testing::sample_status();
  s.nodes[1].config_digest = "fedcba9876543210";
  const std::string text = ctl::render_status_table(s);
  CHECK_THAT(text, Catch::Contains("WARNING: node2's configuration differs from this node's "
                                   "(haresources or timers; digest 0123456789abcdef here, "
                                   "fedcba9876543210 there)"));
  const auto doc = nlohmann::json::parse(ctl::render_status_json(s));
  CHECK(doc["config_mismatches"] == nlohmann::json::array({"node2"}));
  CHECK(doc["nodes"][1]["config_matches"] == false);
  CHECK(doc["nodes"][0]["config_matches"].is_null());
}

TEST_CASE("vigilctl status: the table says when resource management is not active") {
  auto s = testing::sample_status();
  s.resource_management = false;
  CHECK_THAT(ctl::render_status_table(s),
             Catch::Contains("(resource management not active yet: owner and state unknown)\n"));
}

TEST_CASE("vigilctl status: the table says when there are no groups") {
  auto s = testing::sample_status();
  s.groups.clear();
  CHECK_THAT(ctl::render_status_table(s), Catch::Contains("No resource groups in haresources.\n"));
}

TEST_CASE("vigilctl status --json: the document has the documented fields in a fixed order") {
  auto s = testing::sample_status();
  s.nodes.resize(1);
  s.nodes[0].links.resize(1);
  s.groups.resize(1);
  const std::string expected = R"({
  "local_node": "node1",
  "local_status": "active",
  "rscstatus": "local",
  "resource_management": true,
  "nodes": [
    {
      "name": "node1",
      "type": "normal",
      "status": "active",
      "links": [
        {
          "name": "eth1",
          "status": "up"
        }
      ],
      "config_digest": null,
      "config_matches": null
    }
  ],
  "quorum": {
    "backend": "heartbeat",
    "quorate": true,
    "members": []
  },
  "config_digest": "0123456789abcdef",
  "config_mismatches": [],
  "groups": [
    {
      "key": "192.0.2.10",
      "home_node": "node1",
      "owner": "node1",
      "state": "running"
    }
  ],
  "counters": {
    "accepted": 100,
    "malformed": 1,
    "unauthenticated": 2,
    "replay_drops": 3,
    "lost_packets": 4,
    "rexmit_requests_sent": 5,
    "unknown_node_drops": 6,
    "unreadable": 7
  },
  "bad_packet_sources": [
    {
      "address": "192.0.2.99",
      "malformed": 1,
      "unauthenticated": 2,
      "unreadable": 0
    },
    {
      "address": "other",
      "malformed": 0,
      "unauthenticated": 0,
      "unreadable": 7
    }
  ]
}
)";
  CHECK(ctl::render_status_json(s) == expected);
}

TEST_CASE("vigilctl status --json: names needing escapes stay valid JSON") {
  auto s = testing::sample_status();
  s.groups[0].key = "Filesystem::/dev/sdb1::/data \"x\"\\";
  const auto doc = nlohmann::json::parse(ctl::render_status_json(s));
  CHECK(doc["groups"][0]["key"] == s.groups[0].key);
  CHECK(doc["nodes"][2]["type"] == "ping");
}
