"""vigil on real corosync 3 (vigil.cf `membership corosync`), five nodes
in network namespaces, `token: 1000` (tests/integration/corosync_lab.py).
Not run by CI (tests/integration/test_corosync.py is CI's quick 3-node run).

  kill:      VIGIL_BENCH_RUNS (default 5; 0 skips it) fresh clusters;
             node1 holds the VIP, dies (link down, then every process
             killed); the time until node2 (its successor) serves the VIP.
             Prints min/median/max.
  partition: node1 node2 | node3 node4 node5 with node1 holding: how long
             until the minority released and the majority served, and
             whether the minority ever held the VIP again while cut off,
             and what each minority node logged: quorum lost, groups
             released and acquired after the cut.

Run as root from a build:
  VIGIL_BUILD_DIR=$PWD/build /usr/bin/python3 tests/bench/corosync_failover.py
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "integration"))

from corosync_lab import CorosyncCluster, vigil_nodes_on  # noqa: E402
from netlab import Lab, wait_until  # noqa: E402

NODES = ("node1", "node2", "node3", "node4", "node5")
VIP = "192.0.2.50"
TOKEN_MS = 1000
MINORITY = ("node1", "node2")


def holders(nodes, among=None):
    return {n for n, node in nodes.items()
            if (among is None or n in among) and node.vip_present(VIP)}


def cluster(lab, workdir):
    cs = CorosyncCluster(lab, workdir, NODES, token=TOKEN_MS)
    cs.start_all(timeout=60)
    nodes = vigil_nodes_on(cs, lab, workdir, NODES, f"node1 {VIP}/24/eth1\n")
    wait_until(lambda: holders(nodes) == {"node1"}, timeout=60, what="node1 serves")
    return cs, nodes


def kill_run(workdir):
    with Lab(hosts=NODES, client=False, logdir=workdir) as lab:
        cs, nodes = cluster(lab, workdir)
        t0 = time.monotonic()
        lab.link_down("node1", "eth1")
        nodes["node1"].kill9_all()
        cs.kill9("node1")
        wait_until(lambda: "node2" in holders(nodes, NODES[1:]), timeout=60, interval=0.01,
                   what="node2 serves")
        served = time.monotonic() - t0
        assert holders(nodes, NODES[1:]) == {"node2"}
        return served


def partition_run(workdir):
    with Lab(hosts=NODES, client=False, logdir=workdir) as lab:
        cs, nodes = cluster(lab, workdir)
        log_at = {n: nodes[n].log_size() for n in MINORITY}
        t0 = time.monotonic()
        for a in MINORITY:
            for b in ("node3", "node4", "node5"):
                lab.drop(a, "both", peer=b)
        wait_until(lambda: not holders(nodes, MINORITY), timeout=60, interval=0.01,
                   what="minority releases")
        released = time.monotonic() - t0
        wait_until(lambda: holders(nodes) == {"node3"}, timeout=60, interval=0.01,
                   what="node3 serves")
        served = time.monotonic() - t0
        minority_held = False
        end = time.monotonic() + 10
        while time.monotonic() < end:
            minority_held = minority_held or bool(holders(nodes, MINORITY))
            time.sleep(0.05)
        # What each minority node said and did after the cut
        did = {}
        for n in MINORITY:
            log = nodes[n].log(log_at[n])
            did[n] = {"quorum lost": "Cluster lost quorum." in log,
                      "released": log.count("Releasing resource group"),
                      "acquired": log.count("Acquiring resource group")}
        return released, served, minority_held, did


def main():
    runs = int(os.environ.get("VIGIL_BENCH_RUNS", "5"))
    kills = []
    for i in range(runs):
        with tempfile.TemporaryDirectory(prefix="vigil-cs-bench-") as d:
            kills.append(kill_run(d))
            print(f"kill run {i + 1}: node1 dead -> served on node2 in {kills[-1]:.3f}s",
                  flush=True)
    if kills:
        print(f"kill -> served at token {TOKEN_MS} ms, 5 nodes, {runs} runs: min "
              f"{min(kills):.3f}s median {statistics.median(kills):.3f}s max {max(kills):.3f}s")
    with tempfile.TemporaryDirectory(prefix="vigil-cs-bench-") as d:
        released, served, held, did = partition_run(d)
    print(f"partition 2|3 (node1 holding): minority released after {released:.3f}s, "
          f"node3 served after {served:.3f}s; minority held again while cut off: {held}; "
          f"after the cut: {did}")


if __name__ == "__main__":
    main()
