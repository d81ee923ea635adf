"""Ten-run figures of the vigil-only web cluster (issue 5; README's
"Failover, measured"): kill -9 of node1's heartbeatd to the page served by
node2, node1's heartbeatd back to the page served by node1, and node2's
`is dead` to its first takeover step (log stamps). CI runs one such cycle
(tests/integration/test_failover.py); this repeats it RUNS times with the
same assertions and prints min/median/max.
"""
from __future__ import annotations

import os
import statistics
import time

from figures_fixtures import build_dir, lab  # noqa: F401  (fixtures)
import test_failover as failover  # noqa: E402

workdir = failover.workdir  # fixture
RUNS = int(os.environ.get("VIGIL_FIGURE_RUNS", "10"))


def summary(name, values):
    ms = sorted(v * 1000 for v in values)
    return (f"{name}: min {ms[0]:.0f} ms, median {statistics.median(ms):.0f} ms, "
            f"max {ms[-1]:.0f} ms over {len(ms)} runs")


def test_crash_to_served_and_failback_times_over_ten_runs(lab, workdir):
    """The figures of issue 5 (vigil-only, keepalive 100ms / deadtime
    500ms): kill -9 of node1's heartbeatd to the page served by node2, and
    node1's heartbeatd restart to the page served by node1 again."""
    node1 = failover.make_web_node(lab, workdir, "node1")
    node2 = failover.make_web_node(lab, workdir, "node2")
    crash, failback, first_step = [], [], []
    try:
        failover.start_serving_pair(lab, node1, node2)
        for _ in range(RUNS):
            # A fresh heartbeatd advertises deadtime + 2 s for 5 s (§5.10):
            # crash it only once that is over, as in production.
            time.sleep(5.5)
            assert failover.fetch(lab).strip() == "served by node1"
            n2_offset = node2.log_size()
            node1.kill9()
            crash.append(failover.wait_served_by(lab, "node2", failover.SERVE_BOUND))
            first_step.append(failover.dead_to_first_step(node2.log(n2_offset)))
            # node1's lease has run out: nothing of the group is left there.
            assert not node1.vip_present(failover.VIP)
            began = time.monotonic()
            node1.start()
            failover.wait_served_by(lab, "node1", 20)
            failback.append(time.monotonic() - began)
            assert not node2.vip_present(failover.VIP)
    finally:
        node1.stop_all()
        node2.stop_all()
    print("\n" + summary("vigil-only crash to served by node2", crash))
    print(summary("vigil-only restart to served by node1 (failback)", failback))
    print(summary("node2: declared dead to first takeover step (log stamps)", first_step))
