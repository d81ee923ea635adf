"""Router loss, five runs (issue 13): node1 serving, node1 <-> router
blocked while the heartbeat link stays up, until the client is served by
node2 (ipfail, §8.2); then unblocked until it is served by node1 again
(auto_failback on). CI runs one such cycle, with the isolated-node and
both-lose-the-router cases (tests/integration/test_ipfail.py); this repeats
the router-loss cycle RUNS times with the same ha.cf and prints
min/median/max. Expected: about deadping (1 s) + 2 x keepalive (0.2 s) +
the standby walk.

The mixed pairings (real heartbeat 3.0.6 running its own ipfail beside
vigil's built-in one, the real node as node1 and then as node2) repeat the
cycle of tests/interop/test_interop_ipfail.py RUNS times each. With the
real node serving, its ipfail's give-up can find its heartbeat in
transition and wait for vigil's stable report (heartbeatd/engine/ipfail.h):
those runs take about 10 s more.
"""
from __future__ import annotations

import grp
import os
import statistics
import time

from figures_fixtures import build_dir, lab  # noqa: F401  (fixtures)
import pytest
import test_interop_ipfail as mixed  # noqa: E402
import test_ipfail as ipfail  # noqa: E402
from mixed_cluster import Probe  # noqa: E402
from web_cluster import make_web_node, start_serving_pair, wait_served_by, web_workdir

RUNS = int(os.environ.get("VIGIL_FIGURE_RUNS", "5"))


def summary(name, values):
    ms = sorted(v * 1000 for v in values)
    return (f"{name}: min {ms[0]:.0f} ms, median {statistics.median(ms):.0f} ms, "
            f"max {ms[-1]:.0f} ms over {len(ms)} runs")


@pytest.mark.lab(hosts=("node1", "node2", "router"))
def test_router_loss_to_served_by_node2_over_five_runs(lab):
    gid = grp.getgrnam(ipfail.HEARTBEAT_GROUP).gr_gid
    router = lab.hosts["router"].addr
    moved, back = [], []
    with web_workdir("vigil-router-loss-") as workdir:
        nodes = [make_web_node(lab, workdir, n, ipfail.ipfail_ha_cf(router))
                 for n in ("node1", "node2")]
        for n in ("node1", "node2"):
            lab.run(n, ["sysctl", "-q", "-w", f"net.ipv4.ping_group_range={gid} {gid}"])
        try:
            start_serving_pair(lab, *nodes)
            for _ in range(RUNS):
                time.sleep(3)  # both see the router, counts exchanged
                t0 = time.monotonic()
                lab.drop("router", "both", peer="node1")
                wait_served_by(lab, "node2", 15)
                moved.append(time.monotonic() - t0)
                t0 = time.monotonic()
                lab.undrop("router")
                wait_served_by(lab, "node1", 15)
                back.append(time.monotonic() - t0)
        finally:
            for node in nodes:
                node.stop_all()
    print("\n" + summary("vigil-only router lost by node1 to served by node2", moved))
    print(summary("vigil-only router back to served by node1 (auto_failback on)", back))


@pytest.mark.parametrize("real_name", ["node1", "node2"])
@pytest.mark.lab(hosts=("node1", "node2", "router"))
def test_mixed_router_loss_to_served_by_node2_over_five_runs(lab, tmp_path, real_name):
    router = lab.hosts["router"].addr
    moved, back = [], []
    with mixed.mixed_pair(lab, real_name, mixed.ipfail_ha_cf(router)) as (node1, node2), \
            Probe(lab, tmp_path) as probe:
        mixed.start_serving(probe, node1, node2)
        for _ in range(RUNS):
            mixed.wait_quiet((node1, node2))
            t0 = time.monotonic()
            lab.drop("router", "both", peer="node1")
            moved.append(probe.wait_served_by("node2", 40, after=t0) - t0)
            t0 = time.monotonic()
            lab.undrop("router")
            back.append(probe.wait_served_by("node1", 40, after=t0) - t0)
    pairing = f"{node1.kind} node1 / {node2.kind} node2"
    print("\n" + summary(f"{pairing}: router lost by node1 to served by node2", moved))
    print(summary(f"{pairing}: router back to served by node1 (auto_failback on)", back))
