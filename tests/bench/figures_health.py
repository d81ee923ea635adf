"""Five-run figures of resource health (issue 16): httpsvc's server killed
behind vigil's back on node1 -> the page served again after the restart in
place, and, killed three times within the window -> the page served by
node2 after the group moved. CI runs each once
(tests/integration/test_health.py); this repeats them RUNS times (a fresh
pair per move) and prints min/median/max.
"""
from __future__ import annotations

import os
import statistics
import time

from figures_fixtures import build_dir, lab  # noqa: F401  (fixtures)
import test_health as health  # noqa: E402

RUNS = int(os.environ.get("VIGIL_FIGURE_RUNS", "5"))


def summary(name, values):
    ms = sorted(v * 1000 for v in values)
    return (f"{name}: min {ms[0]:.0f} ms, median {statistics.median(ms):.0f} ms, "
            f"max {ms[-1]:.0f} ms over {len(ms)} runs")


def test_kill_to_served_for_restart_and_move(lab):
    restart, move = [], []
    for _ in range(RUNS):
        with health.web_workdir("vigil-health-bench-") as workdir:
            node1 = health.health_node(lab, workdir, "node1")
            node2 = health.health_node(lab, workdir, "node2")
            try:
                health.start_serving_pair(lab, node1, node2)
                time.sleep(2)
                restart.append(health.gap_after_kill(lab, node1, "node1"))
                time.sleep(2)
                health.gap_after_kill(lab, node1, "node1")
                time.sleep(2)
                move.append(health.gap_after_kill(lab, node1, "node2"))
            finally:
                node1.stop_all()
                node2.stop_all()
    print("\n" + summary("kill -> served again (restart in place)", restart))
    print(summary("kill -> served by node2 (group moved)", move))
