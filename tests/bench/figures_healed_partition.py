"""Issue 14's healed partition, ten runs per pairing (CI runs one, vigil
only: tests/integration/test_healed_partition.py). healed_partition.py
says how the heartbeat path alone is cut for 5 s and healed; this prints,
per pairing, heal -> exactly one holder and heal -> that holder serving
the client steadily (min/median/max):

    vigil node1 + vigil node2
    vigil node1 + real heartbeat 3.0.6 node2 (the peer restarts itself, §6.8)
    real heartbeat node1 + vigil node2  (heartbeat as the home node)

As root, from a build:
    VIGIL_BUILD_DIR=$PWD/build /usr/bin/python3 -m pytest -s -p no:cacheprovider \
        tests/bench/figures_healed_partition.py
VIGIL_FIGURE_RUNS=N changes the number of runs (default 10).
"""
from __future__ import annotations

import os
import time

import pytest

from figures_fixtures import build_dir, lab  # noqa: F401  (fixtures)
from healed_partition import cut_and_heal  # noqa: E402
import test_interop_failover as failover  # noqa: E402
from mixed_cluster import Probe, summary  # noqa: E402

RUNS = int(os.environ.get("VIGIL_FIGURE_RUNS", "10"))


def settle(node1, node2, probe):
    """Back to node1 serving alone, both nodes up and past the exchange that
    follows a heal (a real peer restarts itself and rejoins)."""
    probe.wait_served_by("node1", 90)
    for a, b in ((node1, node2), (node2, node1)):
        deadline = time.monotonic() + 90
        while not a.running() or not b.running():
            if time.monotonic() > deadline:
                raise AssertionError("a node did not come back")
            time.sleep(0.5)
    time.sleep(12)  # heartbeat's restart: initdead, its 10 s request delay


@pytest.mark.parametrize("real_node", [None, "node2", "node1"],
                         ids=["vigil-vigil", "node2-real", "node1-real"])
def test_healed_partition_figures(lab, tmp_path, real_node):
    one, served, holders = [], [], []
    with failover.mixed_pair(lab, real_node, "crc") as (node1, node2), \
            Probe(lab, tmp_path) as probe:
        failover.start_pair(node1, node2, probe)
        for i in range(RUNS):
            r = cut_and_heal(lab, node1, node2, probe, cut=5.0, timeout=90.0)
            one.append(r.one_holder * 1000)
            # One holder AND the client served by it: the later of the two.
            served.append(max(r.served, r.one_holder) * 1000)
            holders.append(r.holder)
            print(f"  run {i + 1}: heal -> one holder {one[-1]:.0f} ms, -> served by "
                  f"{r.holder} {served[-1]:.0f} ms")
            if i + 1 < RUNS:
                settle(node1, node2, probe)
    label = real_node and f"real {real_node}" or "vigil only"
    print(f"[{label}] heal -> one holder:         {summary(one)}")
    print(f"[{label}] heal -> one holder serving: {summary(served)} (holders: "
          f"{', '.join(sorted(set(holders)))})")
