"""Resource health in a mixed cluster (issue 16): node1 is vigil with
vigil.cf's health_check on, node2 is the real heartbeat 3.0.6, haresources
`node1 192.0.2.5 httpsvc` on both. httpsvc's server killed behind vigil's
back on node1 is a confirmed failure after two failed checks; with
health_max_failures 1 it is not restarted in place but given to the peer
at once through the standby protocol (§6.6), which the real heartbeat
answers as it answers hb_standby: node2 serves the page. One run (the
restart/move figures of the vigil-only cluster are in
tests/bench/figures_health.py).

Times are printed (pytest -s) and asserted only against generous bounds.
"""
from __future__ import annotations

import json
import pathlib
import re
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "integration"))

from mixed_cluster import Probe  # noqa: E402
from test_health import kill_server  # noqa: E402
from test_interop_failover import mixed_pair, start_pair  # noqa: E402
from web_cluster import VIP  # noqa: E402

VIGIL_CF = """health_check on
health_interval 1
health_timeout 2
health_start_grace 1
health_fall 2
health_max_failures 1
health_failure_window 60
"""
# Two failed checks a second apart, the standby exchange with the real
# node and its IPaddr + httpsvc walk, plus this loaded machine's slack.
MOVE_BOUND = 25.0


def test_failing_service_on_vigil_node_moves_to_real_heartbeat(lab, tmp_path):
    with mixed_pair(lab, "node2", "crc") as (node1, node2), Probe(lab, tmp_path) as probe:
        (node1.node.config_dir / "vigil.cf").write_text(VIGIL_CF)
        start_pair(node1, node2, probe)
        time.sleep(2)  # past the start grace: node1 checks httpsvc

        mark1, mark2 = node1.log_mark(), node2.log_mark()
        t0 = time.monotonic()
        kill_server(node1.node)
        served = probe.wait_served_by("node2", MOVE_BOUND, after=t0)
        print(f"\n  httpsvc killed on vigil node1 -> served by real node2: {served - t0:.1f} s")

        node1.wait_for_log(re.escape(f"giving resource group {VIP} to the peer"), 5, start=mark1)
        node1.wait_for_log(re.escape(f"Releasing resource group: node1 {VIP} httpsvc"), 5,
                           start=mark1)
        node2.wait_for_log(r"standby: acquire \[\w+\] resources from node1", 5, start=mark2)
        node1.wait_for_log(r"Other node completed standby takeover of \w+ resources\.", 10,
                           start=mark1)
        # It stays there: node1 does not ask for it back by itself.
        time.sleep(3)
        assert probe.servers(served + 0.5, time.monotonic()) == ["node2"]
        assert not node1.vip_present()
        # vigilctl status still counts the failure that moved it.
        status = json.loads(node1.vigilctl("status", "--json").stdout)
        counts = {h["resource"]: h["fail_count"] for h in status["resource_health"]}
        assert counts == {"httpsvc": 1}, status["resource_health"]
