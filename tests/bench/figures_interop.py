"""Long and repeated runs of the interop suites (tests/interop; not run by
CI, which keeps one quick run of each):

- the mixed web cluster's crash-to-served and failback times over RUNS
  crash/return cycles, for either orientation (real heartbeat 3.0.6 as
  node1 or as node2): README's "Failover, measured";
- 60 s of a real heartbeat node and a vigil node side by side at keepalive
  200 ms, crc and sha1, without a spurious event on either side.
"""
from __future__ import annotations

import os
import time

import pytest

from figures_fixtures import build_dir, lab  # noqa: F401  (fixtures)
import test_interop_failover as failover  # noqa: E402
import test_interop_membership as membership  # noqa: E402
from mixed_cluster import Probe, summary  # noqa: E402

RUNS = int(os.environ.get("VIGIL_FIGURE_RUNS", "10"))
pair = membership.pair  # fixture


def measure(lab, tmp_path, real_node, runs, auth="crc"):
    """crash-to-served and failback times (ms) over `runs` crash/return cycles."""
    crash, failback = [], []
    with failover.mixed_pair(lab, real_node, auth) as (node1, node2), \
            Probe(lab, tmp_path) as probe:
        failover.start_pair(node1, node2, probe)
        for i in range(runs):
            crash.append(failover.crash_node1(node1, node2, probe) * 1000)
            time.sleep(1)
            failback.append(failover.failback_node1(node1, node2, probe) * 1000)
            print(f"  run {i + 1}: crash-to-served {crash[-1]:.0f} ms, "
                  f"failback {failback[-1]:.0f} ms")
            time.sleep(6)  # the returning node past its startup dt bump (§5.10)
        print(f"[real {real_node}, {auth}] crash-to-served: {summary(crash)}")
        print(f"[real {real_node}, {auth}] failback:        {summary(failback)}")
    return crash, failback


@pytest.mark.parametrize("real_node", ["node1", "node2"], ids=["node1-real", "node2-real"])
def test_failover_figures(lab, tmp_path, real_node):
    crash, failback = measure(lab, tmp_path, real_node, RUNS)
    assert max(crash) < failover.CRASH_BOUND * 1000
    assert max(failback) < failover.FAILBACK_BOUND * 1000


@pytest.mark.parametrize("pair", membership.FAST, indirect=True, ids=["crc", "sha1"])
def test_sixty_seconds_side_by_side_without_spurious_events(pair):
    membership.side_by_side_without_spurious_events(pair, 60)
