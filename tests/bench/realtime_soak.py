"""The bench's realtime part: vigil at keepalive 2ms / deadtime 10ms (the
issue's "fastest" trial; --realtime-timers tries others) with a busy loop
on every core, first with ha.cf `realtime on` (SCHED_RR, memory locked:
heartbeatd/io/realtime.h), then `realtime off`. Two nodes, heartbeatd only. Counts what the nodes logged
while the hogs ran: false deaths ("is dead") and late-heartbeat warnings.
"""
from __future__ import annotations

import os
import pathlib
import re
import tempfile
import time

from netlab import Lab
from vigil_node import AUTH_CRC, VigilNode, ha_cf

DEFAULT_TIMERS = "2ms/10ms"


def timers(pair):
    """"KEEPALIVE/DEADTIME" (ha.cf units) -> ha_cf() keyword arguments;
    warntime midway."""
    keepalive, deadtime = pair.split("/")
    dead_ms = int(deadtime.removesuffix("ms"))
    return dict(keepalive=keepalive, deadtime=deadtime,
                warntime=f"{(dead_ms + int(keepalive.removesuffix('ms'))) // 2}ms",
                initdead="2")


def soak(lab, workdir, realtime, seconds, t):
    text = ha_cf(["node1", "node2"], ["bcast eth1"], extra=f"realtime {realtime}", **t)
    nodes = [VigilNode(lab, n, workdir / f"{realtime}-{t['keepalive']}", text, authkeys=AUTH_CRC)
             for n in ("node1", "node2")]
    hogs = []
    try:
        for n in nodes:
            n.make_traversable()
            n.start()
        for a, b in ((0, 1), (1, 0)):
            nodes[a].wait_for_log(rf"Status update for node {nodes[b].host}: status active", 30)
        time.sleep(6)  # past the start-up deadtime bump (§5.10)
        marks = [n.log_size() for n in nodes]
        for i in range(os.cpu_count() or 1):
            hogs.append(lab.spawn("client", ["/bin/sh", "-c", "while :; do :; done"],
                                  log_path=str(workdir / f"hog{i}.log")))
        time.sleep(seconds)
    finally:
        for h in hogs:
            lab.stop(h)
        texts = [n.log(m) for n, m in zip(nodes, marks)] if hogs else ["", ""]
        applied = [re.search(r"realtime[: ].*", n.log()) for n in nodes]
        for n in nodes:
            n.stop()
    return {
        "realtime": realtime, "seconds": seconds, "hogs": len(hogs), **t,
        # A false death ends when the peer's next heartbeat arrives: heartbeat's
        # CRIT "Late heartbeat ... (> deadtime)", once per false death (the
        # "is dead" line may be logged twice for one).
        "false_deaths": sum(len(re.findall(r"\(> deadtime\)", t)) for t in texts),
        "late_heartbeat_warnings": sum(len(re.findall(r"WARN: Late heartbeat", t))
                                       for t in texts),
        "applied": [m.group(0) if m else None for m in applied],
    }


def run(args, out):
    results = []
    with Lab(hosts=("node1", "node2"), client=True, logdir=str(out / "lab-realtime")) as lab:
        workdir = pathlib.Path(tempfile.mkdtemp(prefix="realtime-", dir=out))
        os.chmod(workdir, 0o755)
        for pair in getattr(args, "realtime_timers", DEFAULT_TIMERS).split(","):
            for realtime in ("on", "off"):
                t = timers(pair)
                print(f"realtime {realtime}: {pair} under {os.cpu_count()} hogs for "
                      f"{args.hog_seconds:.0f} s", flush=True)
                results.append(soak(lab, workdir, realtime, args.hog_seconds, t))
                print(f"  {results[-1]}", flush=True)
    return results


def table(results):
    lines = ["", "== realtime: a busy loop on every core"]
    for r in results:
        lines.append(f"{r['keepalive']}/{r['deadtime']} realtime {r['realtime']:<3} "
                     f"{r['seconds']:5.0f} s, {r['hogs']} hogs: "
                     f"{r['false_deaths']} false deaths, {r['late_heartbeat_warnings']} "
                     f"late-heartbeat warnings ({r['applied'][0] or 'nothing logged'})")
    return lines
