"""The bench's scale part: N vigil nodes (heartbeatd only) on one segment,
bcast, keepalive 100ms / deadtime 500ms, for N in 2, 8, 16, 32 (heartbeat v1
allows that many). For each N: the time from starting every node to every
node seeing every other one active; then kill -9 of the last node's
heartbeatd and how long each survivor took to log it dead (from the logs'
millisecond stamps; the bound is deadtime + keepalive); and the CPU each
heartbeatd used at rest.
"""
from __future__ import annotations

import os
import pathlib
import re
import statistics
import tempfile
import time

from bench import footprint
from netlab import Lab
from peers import _epoch
from vigil_node import AUTH_CRC, VigilNode, ha_cf

TIMERS = dict(keepalive="100ms", deadtime="500ms", warntime="300ms", initdead="2")
BOUND_S = 0.5 + 0.1
STAMP = r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) "


def active_peers(text):
    return set(re.findall(r"Status update for node (\S+): status active", text))


def one_size(n, out, rest_seconds):
    names = [f"node{i}" for i in range(1, n + 1)]
    with Lab(hosts=names, client=False, logdir=str(out / f"lab-scale-{n}")) as lab:
        workdir = pathlib.Path(tempfile.mkdtemp(prefix=f"scale-{n}-", dir=out))
        os.chmod(workdir, 0o755)
        text = ha_cf(names, ["bcast eth1"], **TIMERS)
        nodes = [VigilNode(lab, name, workdir, text, authkeys=AUTH_CRC) for name in names]
        try:
            for node in nodes:
                node.make_traversable()
            began = time.monotonic()
            for node in nodes:
                node.start()
            converged = None
            deadline = began + 60
            while time.monotonic() < deadline:
                if all(active_peers(node.log()) >= set(names) - {node.host} for node in nodes):
                    converged = time.monotonic() - began
                    break
                time.sleep(0.05)
            time.sleep(6)  # past the start-up deadtime bump (§5.10)
            cpu = footprint({node.proc.pid: node.host for node in nodes}, rest_seconds)
            per_node = [e["cpu_s_per_min"] for e in cpu["by_process"].values()]
            victim = nodes[-1]
            marks = [node.log_size() for node in nodes[:-1]]
            killed = time.time()
            victim.kill9()
            time.sleep(BOUND_S + 1.5)
            detection = []
            for node, mark in zip(nodes[:-1], marks):
                m = re.search(STAMP + rf".*node {victim.host}: is dead", node.log(mark), re.M)
                detection.append(_epoch(m.group(1)) - killed if m else None)
        finally:
            for node in nodes:
                node.stop()
    seen = [d for d in detection if d is not None]
    return {
        "nodes": n, "converged_s": converged,
        "cpu_s_per_min_per_node": {"median": statistics.median(per_node), "max": max(per_node)},
        "detection_s": {"median": statistics.median(seen) if seen else None,
                        "max": max(seen) if seen else None},
        "survivors": n - 1, "detected_within_bound": sum(d <= BOUND_S for d in seen),
        "missed": len(detection) - len(seen),
    }


def run(args, out):
    results = []
    for n in args.scale_sizes:
        print(f"scale: {n} nodes", flush=True)
        results.append(one_size(n, out, args.rest_seconds))
        print(f"  {results[-1]}", flush=True)
    return results


def table(results):
    lines = ["", "== scale: N vigil nodes on one segment, keepalive 100ms / deadtime 500ms",
             f"{'N':>3} {'converged':>10} {'kill->dead median/max':>22} "
             f"{'within 600 ms':>14} {'CPU-s/min per node median/max':>30}"]
    for r in results:
        conv = "-" if r["converged_s"] is None else f"{r['converged_s']:.2f} s"
        d = r["detection_s"]
        det = "-" if d["median"] is None else f"{d['median'] * 1000:.0f}/{d['max'] * 1000:.0f} ms"
        c = r["cpu_s_per_min_per_node"]
        lines.append(f"{r['nodes']:>3} {conv:>10} {det:>22} "
                     f"{r['detected_within_bound']:>6}/{r['survivors']:<7} "
                     f"{c['median']:>14.3f}/{c['max']:.3f}")
    return lines
