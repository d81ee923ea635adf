"""Two vigil nodes tell each other a digest of what must match (haresources
and the timers, heartbeatd/node/shared_config.h) in their status messages,
and warn, in the log and in `vigilctl status`, when a peer's differs."""
from __future__ import annotations

import json

from vigil_node import VigilNode, ha_cf


def test_a_peer_with_other_timers_is_reported_and_a_match_clears_it(lab, tmp_path):
    names = ["node1", "node2"]
    nodes = {n: VigilNode(lab, n, tmp_path, ha_cf(names, ["bcast eth1"], initdead="2"))
             for n in names}
    # node2's initdead differs: a timer both must share.
    nodes["node2"].write_config(ha_cf(names, ["bcast eth1"], initdead="3"), "",
                                "auth 1\n1 sha1 vigil-test-key\n")
    for n in nodes.values():
        n.start()
    nodes["node1"].wait_for_log(r"Configuration differs from node2's", 15)
    nodes["node2"].wait_for_log(r"Configuration differs from node1's", 15)

    text = nodes["node1"].vigilctl("status").stdout
    assert "WARNING: node2's configuration differs from this node's" in text, text
    status = json.loads(nodes["node1"].vigilctl("status", "--json").stdout)
    assert status["config_mismatches"] == ["node2"]
    peer = next(n for n in status["nodes"] if n["name"] == "node2")
    assert peer["config_matches"] is False
    assert peer["config_digest"] != status["config_digest"]

    # node2 comes back with the same configuration: node1 says so.
    nodes["node2"].stop()
    nodes["node2"].write_config(ha_cf(names, ["bcast eth1"], initdead="2"), "",
                                "auth 1\n1 sha1 vigil-test-key\n")
    nodes["node2"].start()
    nodes["node1"].wait_for_log(r"Configuration now matches node2's", 15)
    status = json.loads(nodes["node1"].vigilctl("status", "--json").stdout)
    assert status["config_mismatches"] == []
    peer = next(n for n in status["nodes"] if n["name"] == "node2")
    assert peer["config_matches"] is True


def test_configuration_errors_at_start_are_logged_one_per_line(lab, tmp_path):
    node = VigilNode(lab, "node1", tmp_path,
                     ha_cf(["node1", "node2"], ["bcast eth1"], keepalive="x", initdead="y"))
    proc = node.start()
    assert proc.wait(timeout=10) == 6  # LSB "not configured"
    log = node.log()
    assert "\\x0a" not in log, log
    lines = [line for line in log.splitlines() if "ha.cf:" in line and "invalid time" in line]
    assert len(lines) == 2, log
