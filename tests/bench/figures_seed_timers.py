"""The seed tutorial's web cluster at the tutorial's own timers (keepalive
2, deadtime 30, warntime 10, initdead 120): crash of node1's heartbeatd to
the page served by node2 (about 30 s), then failback. CI runs the same
scenario with the same file cut to deadtime 4
(tests/integration/test_failover_matrix.py); this is its long run.
"""
from __future__ import annotations

from figures_fixtures import build_dir, lab  # noqa: F401  (fixtures)
import test_failover_matrix as matrix  # noqa: E402

cluster = matrix.cluster  # fixture


def test_seed_timers_crash_failover_and_failback(lab, cluster):
    matrix.seed_crash_failover_and_failback(lab, cluster, matrix.SEED_TIMERS)
