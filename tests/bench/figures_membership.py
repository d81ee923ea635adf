"""Long and repeated runs of tests/integration/test_membership.py (not
run by CI, which keeps one quick run of each): 60 s at 10 % loss without
a false death, and the detection time of ten kill -9 at keepalive 100 ms /
deadtime 500 ms (min/median/max, the closing note's figures).
"""
from __future__ import annotations

import os
import statistics
import time

from figures_fixtures import build_dir, lab  # noqa: F401  (fixtures)
import test_membership as membership  # noqa: E402

RUNS = int(os.environ.get("VIGIL_FIGURE_RUNS", "10"))


def test_ten_percent_loss_for_60s_causes_no_false_death(lab, tmp_path):
    membership.ten_percent_loss_without_false_death(lab, tmp_path, 60)


def test_detection_times_over_ten_kills(lab, tmp_path):
    nodes = membership.make_nodes(lab, tmp_path, ["node1", "node2"], lambda n: ["bcast eth1"])
    nodes["node2"].start()
    times = []
    for _ in range(RUNS):
        offset1 = nodes["node1"].log_size()
        nodes["node1"].start()
        nodes["node1"].wait_for_log(r"Status update for node node2: status active", 10,
                                    start=offset1)
        offset2 = nodes["node2"].log_size()
        nodes["node2"].wait_for_log(r"Status update for node node1: status active", 10,
                                    start=max(0, offset2 - 4000))
        time.sleep(membership.STARTUP_DT_BUMP)
        offset2 = nodes["node2"].log_size()
        killed_at = time.monotonic()
        nodes["node1"].kill9()
        _, seen = nodes["node2"].wait_for_log(r"node node1: is dead", 5, start=offset2)
        times.append((seen - killed_at) * 1000)
    print("detection ms: min %.0f median %.0f max %.0f over %d kills" %
          (min(times), statistics.median(times), max(times), len(times)))
    assert max(times) < membership.DETECT_BOUND * 1000
