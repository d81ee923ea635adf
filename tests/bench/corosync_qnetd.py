"""Two vigil nodes on real corosync 3 split in half, `token: 1000`, in
network namespaces (tests/integration/corosync_lab.py). Not run by CI.

  qdevice:  votequorum without two_node, plus a quorum device: a
            corosync-qdevice per node (model net, algorithm ffsplit, TLS
            off) and corosync-qnetd on a third host. node1 | node2 are cut
            from each other (every packet between them dropped) while
            both still reach the qnetd host. ffsplit gives its vote to one
            half (an even split goes to the lowest node id, node1), so
            that half alone keeps quorum. Run twice per round: the VIP
            homed on the loser (node2: it must release and node1 serve)
            and on the winner (node1: it must keep serving). Prints which
            side kept quorum, holders at every sample (never two), when
            the loser released and the winner served, whether the loser
            acquired anything after the cut, and how often each vigil
            node logged a quorum loss (the winner: never).
  two_node: the contrast: `two_node: 1`, no quorum device. votequorum(5):
            each half of a split keeps quorum (wait_for_all only guards
            the start), so both vigil nodes hold the VIP: why a pair needs
            fencing or a quorum device. Printed, not asserted as good.

VIGIL_BENCH_RUNS=N (default 3) rounds of the qdevice split.
Run as root from a build:
  VIGIL_BUILD_DIR=$PWD/build /usr/bin/python3 tests/bench/corosync_qnetd.py
"""
from __future__ import annotations

import os
import pathlib
import statistics
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "integration"))

from corosync_lab import CorosyncCluster, vigil_nodes_on  # noqa: E402
from netlab import Lab, wait_until  # noqa: E402

NODES = ("node1", "node2")
ARBITER = "qnetd"
VIP = "192.0.2.50"
TOKEN_MS = 1000
# After the winner serves (or the deadline), keep sampling this long to
# see that the loser stays out.
WATCH_S = 10
DEADLINE_S = 90
ACQUIRE = "Acquiring resource group"


def holders(nodes):
    return {n for n, node in nodes.items() if node.vip_present(VIP)}


def split(lab, nodes, until):
    """Cuts node1 from node2 (both ways, nothing else) and samples the VIP's
    holders every ~50 ms until `until(samples)` has held for WATCH_S or
    DEADLINE_S passed. Returns [(seconds since the cut, holders)]."""
    log_at = {n: node.log_size() for n, node in nodes.items()}
    t0 = time.monotonic()
    lab.drop("node1", "both", peer="node2")
    samples, settled = [], None
    while time.monotonic() - t0 < DEADLINE_S:
        samples.append((time.monotonic() - t0, holders(nodes)))
        if settled is None and until(samples):
            settled = time.monotonic()
        if settled is not None and time.monotonic() - settled >= WATCH_S:
            break
        time.sleep(0.05)
    logs = {n: nodes[n].log(log_at[n]) for n in nodes}
    acquired = {n: logs[n].count(ACQUIRE) for n in nodes}
    quorum_lost = {n: logs[n].count("Cluster lost quorum.") for n in nodes}
    return samples, acquired, quorum_lost


def first(samples, predicate):
    return next((t for t, h in samples if predicate(h)), None)


def qdevice_run(workdir, home):
    with Lab(hosts=(*NODES, ARBITER), client=False, logdir=workdir) as lab:
        cs = CorosyncCluster(lab, workdir, NODES, token=TOKEN_MS, qnetd_host=ARBITER)
        cs.start_with_qdevice()
        nodes = vigil_nodes_on(cs, lab, workdir, NODES, f"{home} {VIP}/24/eth1\n")
        wait_until(lambda: holders(nodes) == {home}, timeout=60, what=f"{home} serves")
        samples, acquired, quorum_lost = split(
            lab, nodes, lambda s: s[-1][1] and "node2" not in s[-1][1]
            and not cs.quorate("node2"))
        quorate = {n: cs.quorate(n) for n in NODES}
        two = sum(1 for _, h in samples if len(h) > 1)
        none = sum(1 for _, h in samples if not h)
        result = {
            "home": home, "quorate": quorate, "samples": len(samples),
            "two_holders": two, "no_holder": none,
            "released": first(samples, lambda h: "node2" not in h) if home == "node2" else None,
            "served": first(samples, lambda h: h == {"node1"}),
            "end": samples[-1][1], "loser_acquired": acquired["node2"],
            "quorum_lost": quorum_lost,
        }
        assert quorate == {"node1": True, "node2": False}, quorate
        assert two == 0, f"{two} samples with two holders"
        assert result["end"] == {"node1"}, result["end"]
        assert acquired["node2"] == 0, nodes["node2"].log()[-3000:]
        return result


def two_node_run(workdir):
    with Lab(hosts=NODES, client=False, logdir=workdir) as lab:
        cs = CorosyncCluster(lab, workdir, NODES, token=TOKEN_MS, two_node=True)
        cs.start_all(timeout=60)
        nodes = vigil_nodes_on(cs, lab, workdir, NODES, f"node1 {VIP}/24/eth1\n")
        wait_until(lambda: holders(nodes) == {"node1"}, timeout=60, what="node1 serves")
        samples, acquired, quorum_lost = split(lab, nodes, lambda s: len(s[-1][1]) > 1)
        return {
            "quorate": {n: cs.quorate(n) for n in NODES},
            "both_from": first(samples, lambda h: len(h) > 1),
            "end": samples[-1][1], "node2_acquired": acquired["node2"],
            "quorum_lost": quorum_lost,
        }


def spread(xs):
    return (f"min {min(xs):.3f}s median {statistics.median(xs):.3f}s max {max(xs):.3f}s"
            if xs else "none")


def main():
    runs = int(os.environ.get("VIGIL_BENCH_RUNS", "3"))
    released, served = [], []
    for i in range(runs):
        for home in ("node2", "node1"):
            with tempfile.TemporaryDirectory(prefix="vigil-qnetd-bench-") as d:
                r = qdevice_run(d, home)
            print(f"qdevice run {i + 1}, VIP on {home}: quorate after the cut {r['quorate']}; "
                  f"{r['samples']} samples, two holders in {r['two_holders']}, none in "
                  f"{r['no_holder']}; loser released "
                  + (f"{r['released']:.3f}s" if r["released"] is not None else "n/a")
                  + f", node1 serving from {r['served']:.3f}s; node2 acquired after the cut: "
                  f"{r['loser_acquired']} group(s); vigil logged quorum lost "
                  f"{r['quorum_lost']} time(s)", flush=True)
            if home == "node2":
                released.append(r["released"])
                served.append(r["served"])
    print(f"qdevice split, VIP on the loser (node2), {runs} runs: released {spread(released)}; "
          f"served on node1 {spread(served)}")
    with tempfile.TemporaryDirectory(prefix="vigil-qnetd-bench-") as d:
        r = two_node_run(d)
    both = f"{r['both_from']:.3f}s" if r["both_from"] is not None else "never"
    print(f"two_node: 1, no qdevice: quorate after the cut {r['quorate']}; both nodes hold the "
          f"VIP from {both}; holders at the end {sorted(r['end'])}; node2 acquired after the "
          f"cut: {r['node2_acquired']} group(s); vigil logged quorum lost "
          f"{r['quorum_lost']} time(s)")


if __name__ == "__main__":
    main()
