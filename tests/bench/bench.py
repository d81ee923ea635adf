"""vigil's bench: failover beside heartbeat 3.0.6 and keepalived 2.2.7, in
network namespaces, from the client's view. Run it with tests/bench/run.sh
(root, fresh Debian 12: it installs and builds what it needs).

    tests/bench/run.sh [--quick] [--out DIR] [--runs N] [--hog-seconds S]
                       [--realtime-timers 2ms/10ms,5ms/20ms] [--scale-sizes 2,8,16,32]
                       [--flood-seconds S] [--flood-rate PPS] [--flood-threads N]
                       [failover] [realtime] [footprint] [scale] [flood]

Parts (all by default):
  failover   node1 and node2 on one segment, the client probing
             http://192.0.2.5/ every 10 ms; for each implementation and
             timer setting: crash of node1 (every daemon killed -9, VIP and
             web server gone) -> page served by node2; node1 back -> served
             by node1 (failback); link cut; graceful stop; standby; takeover
             back. Also from tcpdump in the client namespace: the event to
             node2's first gratuitous ARP, and (vigil, from its millisecond
             log stamps; keepalived, from node2's first VRRP advert) the
             detection to that ARP.
  footprint  CPU seconds per minute and PSS of each implementation's
             daemons on node1, at rest, at each timer setting (measured in
             the failover part's clusters before the probe starts).
  realtime   vigil at keepalive 2ms / deadtime 10ms with a busy loop on
             every core, `realtime on` and then `realtime off`: false
             deaths ("is dead" lines) and late-heartbeat warnings.
  flood      junk from the LAN at node1 while the client probes, vigil
             and then heartbeat (flood.py): log written, false deaths,
             heartbeat delay, probes missed.
  scale      N vigil nodes (heartbeatd only) on one segment: time to a full
             membership, a kill detected within deadtime + keepalive, CPU per
             node at rest, at keepalive 100ms.

Timer settings: "seed" is heartbeat's tutorial scaled to keepalive 100ms /
deadtime 500ms (keepalived: advert_int 0.1); "fast" is each one's fastest:
vigil 10ms/40ms, keepalived advert_int 0.01 (VRRPv3's centisecond floor);
heartbeat has none faster than its 250 ms timer tick allows, so it runs the
seed only. The machine is shared: compare the implementations measured in
the same run, not against other runs.

Output: a table on stdout, DIR/bench.json, DIR/failover.png (the client's
view of one crash: which node answered each probe).
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import peers  # noqa: E402
from mixed_cluster import use_eth0  # noqa: E402
from netlab import Lab  # noqa: E402
from vip_probe import VipProbe  # noqa: E402
from web_cluster import VIP  # noqa: E402

TIMERS = {
    "seed": dict(keepalive="100ms", deadtime="500ms", warntime="300ms", initdead="2"),
    "fast": dict(keepalive="10ms", deadtime="40ms", warntime="30ms", initdead="2"),
}
KEEPALIVED_ADVERT = {"seed": "0.1", "fast": "0.01"}
IMPLEMENTATIONS = ("vigil", "heartbeat", "keepalived")
SCENARIOS = ("crash", "failback", "link cut", "graceful stop", "standby", "takeover")
CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(msg):
    print(msg, flush=True)


# --------------------------------------------------------------- the probe

class ProbeReader:
    """The probe's samples, read incrementally: (start, end, server or None)."""

    def __init__(self, path):
        self.path = pathlib.Path(path)
        self.offset = 0
        self.samples = []

    def poll(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                data = f.read()
        except FileNotFoundError:
            return self.samples
        end = data.rfind(b"\n") + 1
        self.offset += end
        for line in data[:end].decode(errors="replace").splitlines():
            parts = line.split(" ", 3)
            if len(parts) < 3:
                continue
            m = re.match(r"served by (\S+)", parts[3] if len(parts) > 3 else "")
            who = m.group(1) if parts[2] == "ok" and m else None
            self.samples.append((float(parts[0]), float(parts[1]), who))
        return self.samples

    def served(self, node, after, timeout):
        """End time of the first fetch started at or after `after` that
        `node` answered (the client has the page), or None at the timeout."""
        deadline = time.monotonic() + timeout
        while True:
            ends = [e for s, e, who in self.poll() if s >= after and who == node]
            if ends:
                return min(ends)
            if time.monotonic() > deadline:
                return None
            time.sleep(0.02)

    def window(self, since, until):
        return [(s, e, who) for s, e, who in self.poll() if since <= s <= until]


# --------------------------------------------------------------- the wire

def mac_of(lab, host):
    out = lab.run(host, ["ip", "-o", "link", "show", peers.IFACE]).stdout
    return re.search(r"link/ether (\S+)", out).group(1)


def wire_events(lab, pcap):
    """(epoch time, kind, source MAC or address) of every gratuitous ARP
    for the VIP and every VRRP advert in the client's capture."""
    out = lab.run("client", ["tcpdump", "-nn", "-tt", "-e", "-r", pcap], check=False).stdout
    events = []
    for line in out.splitlines():
        m = re.match(r"(\d+\.\d+) (\S+) > \S+, ethertype (\S+)", line)
        if not m:
            continue
        t, src, etype = float(m.group(1)), m.group(2), m.group(3)
        if etype == "ARP" and re.search(rf"who-has {re.escape(VIP)} (\(\S+\) )?tell "
                                        rf"{re.escape(VIP)},|Reply {re.escape(VIP)} is-at", line):
            events.append((t, "garp", src))
        elif "VRRP" in line and "Advertisement" in line:
            events.append((t, "vrrp", src))
    return events


def first_after(events, kind, src, t):
    times = [e for e, k, s in events if k == kind and s == src and e >= t]
    return min(times) if times else None


# --------------------------------------------------------------- footprint

def proc_cpu_ticks(pid):
    try:
        fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])  # utime + stime


def proc_pss_kib(pid):
    try:
        text = pathlib.Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    m = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
    return int(m.group(1)) if m else None


def footprint(pids, seconds):
    """CPU seconds per minute and PSS (MiB) of `pids` ({pid: name}) over
    `seconds` at rest, in total and per process name."""
    before = {p: proc_cpu_ticks(p) for p in pids}
    time.sleep(seconds)
    after = {p: proc_cpu_ticks(p) for p in pids}
    per = {}
    for p, name in pids.items():
        if before[p] is None or after[p] is None:
            continue
        entry = per.setdefault(name, {"processes": 0, "cpu_s_per_min": 0.0, "pss_mib": 0.0})
        entry["processes"] += 1
        entry["cpu_s_per_min"] += (after[p] - before[p]) / CLK_TCK * 60 / seconds
        entry["pss_mib"] += (proc_pss_kib(p) or 0) / 1024
    total = {"processes": sum(e["processes"] for e in per.values()),
             "cpu_s_per_min": sum(e["cpu_s_per_min"] for e in per.values()),
             "pss_mib": sum(e["pss_mib"] for e in per.values())}
    return {"total": total, "by_process": per, "seconds": seconds}


# --------------------------------------------------------------- failover

def make_pair(kind, lab, workdir, timers):
    if kind == "vigil":
        return peers.VigilPair(lab, workdir, TIMERS[timers])
    if kind == "heartbeat":
        return peers.HeartbeatPair(lab, workdir, TIMERS[timers])
    return peers.KeepalivedPair(lab, workdir, KEEPALIVED_ADVERT[timers])


class Phase:
    """One implementation at one timer setting: its measurements."""

    def __init__(self, kind, timers, lab, workdir, args):
        self.kind, self.timers, self.lab, self.args = kind, timers, lab, args
        self.workdir = workdir
        self.results = {s: [] for s in SCENARIOS}
        self.failures = []
        self.garp = []          # event -> node2's first gratuitous ARP, s
        self.detect_to_garp = []
        self.vigil_steps = []   # detection -> takeover/VIP/start, from stamps
        self.timeline = None
        self.footprint = None
        self.first_crash = None  # (t0, served) of the first crash, for the picture
        self.pair_marks = {}    # vigil: node2's log stamps (peers.VigilPair.marks)

    def event(self, scenario, action, target, timeout, record=True):
        """Runs action, waits for `target` to serve; returns (t0, wall0, served)."""
        settle = self.pair.settle
        time.sleep(settle)
        t0, w0 = time.monotonic(), time.time()
        action()
        served = self.probe.served(target, t0, timeout)
        if served is None:
            self.failures.append(f"{scenario}: not served by {target} within {timeout} s")
            log(f"  {self.kind}/{self.timers} {scenario}: NOT served by {target} within "
                f"{timeout} s")
            return t0, w0, None
        if record:
            self.results[scenario].append(served - t0)
            log(f"  {self.kind}/{self.timers} {scenario}: {(served - t0) * 1000:.0f} ms")
        return t0, w0, served

    def to_node2(self, scenario, action):
        timeout = 60 if self.kind == "heartbeat" else 20
        t0, w0, served = self.event(scenario, action, "node2", timeout)
        self.node2_events.append((scenario, t0, w0, served))
        return t0, served

    def back(self, scenario, action, record):
        timeout = 120 if self.kind == "heartbeat" else 30
        _, _, served = self.event(scenario, action, "node1", timeout, record)
        if served is None:
            raise RuntimeError(f"{self.kind}: node1 never served again after {scenario}")

    def run(self):
        workdir = pathlib.Path(tempfile.mkdtemp(prefix=f"{self.kind}-{self.timers}-",
                                                dir=self.workdir))
        os.chmod(workdir, 0o755)
        self.pair = make_pair(self.kind, self.lab, workdir, self.timers)
        self.node2_events = []
        pcap = str(workdir / "client.pcap")
        try:
            self.pair.boot()
            time.sleep(self.pair.settle + 2)
            self.footprint = footprint(self.pair.daemon_pids("node1"), self.args.rest_seconds)
            log(f"  {self.kind}/{self.timers} at rest on node1: "
                f"{self.footprint['total']['cpu_s_per_min']:.3f} CPU-s/min, "
                f"{self.footprint['total']['pss_mib']:.1f} MiB PSS")
            with self.lab.capture("client", "eth1", "arp or ip proto 112", path=pcap), \
                    VipProbe(self.lab, "client", workdir / "probe.txt", interval=0.01,
                             timeout=0.9) as probe:
                self.probe = ProbeReader(probe.path)
                self.probe.served("node1", 0, 60)
                self.scenarios()
        except Exception as e:  # one implementation's failure must not end the bench
            self.failures.append(f"{type(e).__name__}: {e}")
            log(f"  {self.kind}/{self.timers}: {type(e).__name__}: {e}")
        finally:
            self.pair.destroy()
            self.lab.run("node1", f"ip -4 addr del {VIP}/24 dev {peers.IFACE}", check=False)
            self.lab.run("node2", f"ip -4 addr del {VIP}/24 dev {peers.IFACE}", check=False)
        if self.first_crash:
            # Read once the probe has ended: fetches started in the outage
            # finish (fail) only at their timeout.
            t0, served = self.first_crash
            self.timeline = [(s - t0, who) for s, _, who in
                             self.probe.window(t0 - 0.3, served + 0.5)]
        if os.path.exists(pcap):
            self.wire(pcap)

    def scenarios(self):
        pair, lab = self.pair, self.lab
        for rep in range(self.args.runs):
            t0, served = self.to_node2("crash", lambda: pair.crash("node1"))
            if rep == 0 and served is not None:
                self.first_crash = (t0, served)
            self.back("failback", lambda: pair.restart("node1"), record=True)
            self.to_node2("graceful stop", lambda: pair.graceful_stop("node1"))
            self.back("start", lambda: pair.start("node1"), record=False)
            self.to_node2("standby", lambda: pair.standby("node1"))
            self.back("takeover", lambda: pair.takeover("node1"), record=True)
            self.to_node2("link cut", lambda: lab.link_down("node1", "eth1"))
            self.back("link heal", lambda: lab.link_up("node1", "eth1"), record=False)

    def wire(self, pcap):
        events = wire_events(self.lab, pcap)
        node2_mac = mac_of(self.lab, "node2")
        for scenario, t0, w0, served in self.node2_events:
            if scenario not in ("crash", "link cut"):
                continue
            garp = first_after(events, "garp", node2_mac, w0)
            if garp is None:
                continue
            self.garp.append(garp - w0)
            if self.kind == "keepalived":
                detected = first_after(events, "vrrp", node2_mac, w0)
            elif self.kind == "vigil":
                dead = [t for t in self.pair_marks.get("dead", []) if t >= w0 - 0.002]
                detected = min(dead) if dead else None
            else:
                detected = None
            if detected is not None:
                self.detect_to_garp.append(garp - detected)

    def summary(self):
        return {
            "implementation": self.kind, "timers": self.timers,
            "settings": (KEEPALIVED_ADVERT[self.timers] + " s adverts"
                         if self.kind == "keepalived" else
                         f"keepalive {TIMERS[self.timers]['keepalive']} / "
                         f"deadtime {TIMERS[self.timers]['deadtime']}"),
            "seconds": self.results, "event_to_garp_s": self.garp,
            "detection_to_garp_s": self.detect_to_garp, "vigil_steps_s": self.vigil_steps,
            "footprint_node1_at_rest": self.footprint, "failures": self.failures,
            "timeline_first_crash": self.timeline,
        }


class VigilPhase(Phase):
    """vigil also reports, from its millisecond stamps, what follows the
    detection on node2: takeover begun, VIP added (ipd), start requested."""

    def scenarios(self):
        mark = self.pair.log_mark("node2")
        super().scenarios()
        self.pair_marks = self.pair.marks("node2", mark)
        m = self.pair_marks
        for scenario, t0, w0, served in self.node2_events:
            if scenario != "crash":
                continue
            dead = [t for t in m.get("dead", []) if t >= w0 - 0.002]
            if not dead:
                continue
            d = min(dead)
            steps = {"declared dead after the crash": d - w0}
            for key in ("takeover", "vip_added", "start_requested"):
                later = [t for t in m.get(key, []) if t >= d - 0.0005]
                if later:
                    steps[f"{key} after detection"] = min(later) - d
            if served is not None:
                steps["served after detection"] = (served - t0) - (d - w0)
            self.vigil_steps.append(steps)


def run_failover(args, out):
    phases = []
    with Lab(hosts=("node1", "node2"), client=True, logdir=str(out / "lab")) as lab:
        use_eth0(lab, "node1", "node2")
        for timers in ("seed", "fast"):
            for kind in IMPLEMENTATIONS:
                if kind not in args.impl or (kind == "heartbeat" and timers == "fast"):
                    continue
                log(f"{kind} at {timers} timers")
                cls = VigilPhase if kind == "vigil" else Phase
                phase = cls(kind, timers, lab, out, args)
                phase.run()
                phases.append(phase)
    return [p.summary() for p in phases]


# --------------------------------------------------------------- statistics

def mmm(values):
    if not values:
        return None
    return {"min": min(values), "median": statistics.median(values), "max": max(values),
            "n": len(values)}


def fmt_ms(v):
    return "-" if v is None else f"{v * 1000:.0f}"


def failover_table(summaries):
    lines = []
    by = {(s["implementation"], s["timers"]): s for s in summaries}
    for timers in ("seed", "fast"):
        present = [k for k in IMPLEMENTATIONS if (k, timers) in by]
        if not present:
            continue
        lines.append("")
        lines.append(f"== {timers}: " + "; ".join(f"{k} {by[(k, timers)]['settings']}"
                                                 for k in present))
        head = f"{'ms, min/median/max':<22}" + "".join(f"{k:>22}" for k in present)
        peers_ = [k for k in present if k != "vigil"]
        if "vigil" in present:
            head += "".join(f"{'vigil/' + k:>17}" for k in peers_)
        lines.append(head)
        rows = list(SCENARIOS) + ["event -> GARP", "detection -> GARP"]
        for row in rows:
            cells, medians = [], {}
            for k in present:
                s = by[(k, timers)]
                values = (s["event_to_garp_s"] if row == "event -> GARP" else
                          s["detection_to_garp_s"] if row == "detection -> GARP" else
                          s["seconds"].get(row, []))
                st = mmm(values)
                medians[k] = st and st["median"]
                cells.append("-" if st is None else
                             f"{fmt_ms(st['min'])}/{fmt_ms(st['median'])}/{fmt_ms(st['max'])}")
            line = f"{row:<22}" + "".join(f"{c:>22}" for c in cells)
            if "vigil" in present:
                for k in peers_:
                    v, p = medians.get("vigil"), medians.get(k)
                    # A ratio to less than a millisecond says nothing.
                    ok = v is not None and p is not None and p >= 0.001
                    line += f"{(f'{v / p:.2f}' if ok else '-'):>17}"
            lines.append(line)
        for k in present:
            for f in by[(k, timers)]["failures"]:
                lines.append(f"  ! {k}: {f}")
    return lines


def footprint_table(summaries):
    lines = ["", "== at rest on node1 (active): CPU-s/min, PSS MiB, processes"]
    for s in summaries:
        fp = s["footprint_node1_at_rest"]
        if not fp:
            continue
        t = fp["total"]
        parts = ", ".join(f"{n} {e['cpu_s_per_min']:.3f}/{e['pss_mib']:.1f}"
                          for n, e in sorted(fp["by_process"].items()))
        lines.append(f"{s['implementation']:<11} {s['settings']:<34} "
                     f"{t['cpu_s_per_min']:6.3f} {t['pss_mib']:6.1f} {t['processes']:3d}"
                     f"   ({parts})")
    return lines


def vigil_steps_table(summaries):
    lines = []
    for s in summaries:
        if s["implementation"] != "vigil" or not s["vigil_steps_s"]:
            continue
        lines.append("")
        lines.append(f"== vigil {s['settings']}: crash, node2's log stamps (ms, median "
                     f"of {len(s['vigil_steps_s'])})")
        keys = s["vigil_steps_s"][0].keys()
        for key in keys:
            values = [st[key] for st in s["vigil_steps_s"] if key in st]
            lines.append(f"  {key:<34} {statistics.median(values) * 1000:7.1f}")
    return lines


# --------------------------------------------------------------- the picture

def draw(summaries, path):
    """The client's view of node1's crash, one panel per implementation:
    every probe as a dot at the node that answered it, or at "no answer"."""
    series = [s for s in summaries if s["timeline_first_crash"] and s["timers"] == "seed"]
    series += [s for s in summaries if s["timeline_first_crash"] and s["timers"] == "fast"]
    if not series or not shutil.which("gnuplot"):
        return None
    datadir = pathlib.Path(tempfile.mkdtemp(prefix="bench-plot-"))
    xmax = max(max(t for t, _ in s["timeline_first_crash"]) for s in series)
    script = [
        f"set terminal pngcairo size 1100,{170 * len(series) + 90} font 'DejaVu Sans,10'",
        f"set output '{path}'",
        f"set multiplot layout {len(series)},1 title \"The client's view of node1's crash "
        "(kill -9 of every daemon, VIP and web server gone): who answered each probe "
        "(every 10 ms)\" font ',12'",
        f"set xrange [-0.3:{xmax:.2f}]", "set yrange [-0.5:2.5]",
        "set ytics ('no answer' 0, 'node1' 1, 'node2' 2)", "set grid xtics",
        "set lmargin 12", "unset key",
    ]
    for i, s in enumerate(series):
        data = datadir / f"{i}.dat"
        with open(data, "w") as f:
            for t, who in s["timeline_first_crash"]:
                y = {"node1": 1, "node2": 2}.get(who, 0)
                f.write(f"{t:.4f} {y}\n")
        label = f"{s['implementation']}, {s['settings']}"
        if s["seconds"]["crash"]:
            label += f": node2 serves {s['seconds']['crash'][0] * 1000:.0f} ms after the crash"
        script += [f"set title \"{label}\"",
                   "set xlabel 'seconds since the crash'" if i == len(series) - 1
                   else "unset xlabel",
                   "set arrow 1 from 0,-0.5 to 0,2.5 nohead lc rgb 'red' dt 2"]
        script.append(f"plot '{data}' using 1:2:2 with points pt 7 ps 0.5 "
                      "lc palette z notitle")
    script += ["unset multiplot"]
    prelude = ["set palette defined (0 '#d62728', 1 '#1f77b4', 2 '#2ca02c')",
               "set cbrange [0:2]", "unset colorbox"]
    subprocess.run(["gnuplot"], input="\n".join(prelude + script) + "\n", text=True,
                   check=True)
    shutil.rmtree(datadir, ignore_errors=True)
    return path


# --------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("parts", nargs="*", metavar="part",
                    help="failover, footprint, realtime, scale, flood (default: all)")
    ap.add_argument("--impl", action="append", choices=IMPLEMENTATIONS,
                    help="failover/footprint: only these implementations (repeatable)")
    ap.add_argument("--quick", action="store_true", help="one run each, short soaks")
    ap.add_argument("--no-install", action="store_true", help="(run.sh's; ignored here)")
    ap.add_argument("--runs", type=int, help="runs of each scenario (default 5, quick 1)")
    ap.add_argument("--hog-seconds", type=float,
                    help="realtime part: seconds under CPU hogs (default 600, quick 30)")
    ap.add_argument("--realtime-timers", default="2ms/10ms",
                    help="realtime part: KEEPALIVE/DEADTIME pairs, comma-separated")
    ap.add_argument("--scale-sizes", default="2,8,16,32",
                    help="scale part: node counts, comma-separated")
    ap.add_argument("--flood-seconds", type=float, help="flood part: seconds (default 10)")
    ap.add_argument("--flood-rate", type=int, help="flood part: packets/s cap (default none)")
    ap.add_argument("--flood-threads", type=int, help="flood part: sending sockets (default 1)")
    ap.add_argument("--out", help="output directory (default /tmp/vigil-bench-<time>)")
    args = ap.parse_args(argv)
    known = {"failover", "footprint", "realtime", "scale", "flood"}
    parts = set(args.parts) or known
    if parts - known:
        ap.error(f"unknown part(s): {', '.join(sorted(parts - known))}")
    args.impl = args.impl or list(IMPLEMENTATIONS)
    args.runs = args.runs or (1 if args.quick else 5)
    args.hog_seconds = args.hog_seconds or (30 if args.quick else 600)
    args.rest_seconds = 15 if args.quick else 60
    args.scale_sizes = [int(x) for x in args.scale_sizes.split(",")]
    out = pathlib.Path(args.out or f"/tmp/vigil-bench-{time.strftime('%Y%m%d-%H%M%S')}")
    out.mkdir(parents=True, exist_ok=True)
    os.chmod(out, 0o755)
    report = {"started": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "quick": args.quick,
              "runs": args.runs, "cpus": os.cpu_count()}
    lines = []
    if parts & {"failover", "footprint"}:
        summaries = run_failover(args, out)
        report["failover"] = summaries
        lines += failover_table(summaries) + vigil_steps_table(summaries)
        lines += footprint_table(summaries)
        png = draw(summaries, out / "failover.png")
        if png:
            lines.append(f"\npicture: {png}")
    if "realtime" in parts:
        import realtime_soak
        report["realtime"] = realtime_soak.run(args, out)
        lines += realtime_soak.table(report["realtime"])
    if "scale" in parts:
        import scale
        report["scale"] = scale.run(args, out)
        lines += scale.table(report["scale"])
    if "flood" in parts:
        import flood
        report["flood"] = flood.run(args, out)
        lines += flood.report(report["flood"])
    (out / "bench.json").write_text(json.dumps(report, indent=1, default=str))
    lines.append(f"json: {out / 'bench.json'}")
    (out / "table.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
