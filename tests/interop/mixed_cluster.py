"""A mixed web cluster for the interop failover suite: real heartbeat 3.0.6
nodes (Debian's package, run as in real-heartbeat-lab.md) and vigil nodes
side by side, all with haresources `node1 192.0.2.5 httpsvc`, and a client
probe that records who serves http://192.0.2.5/ every 20 ms.

    from mixed_cluster import Probe, RealWebNode, VigilWebNode, timers

    real = RealWebNode(lab, realdir, "node1", auth="crc")   # not started
    vig = VigilWebNode(lab, webdir, "node2", auth="crc")
    real.boot(); vig.start()
    with Probe(lab, tmp_path) as probe:
        probe.wait_served_by("node1", timeout=30)           # monotonic time
        real.crash()          # kill -9 of heartbeat + what a dead machine loses
        probe.wait_served_by("node2", timeout=10, after=t)

Both node kinds offer the same verbs (boot/start, crash, restart, standby,
takeover, graceful_stop, log, wait_for_log, log_mark), so a scenario is
written once and run with either node being the real one.

The real node's directory must not lie under the vigil nodes' web workdir:
web_cluster.kill_web_servers kills the PIDs named by every `httpsvc.pid`
under that workdir, and the real node's pid file holds a PID of the node's
own PID namespace.
"""
from __future__ import annotations

import os
import pathlib
import re
import signal
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "integration"))

from real_heartbeat import RealHeartbeatNode  # noqa: E402
from vigil_node import BUILD, ha_cf  # noqa: E402
from web_cluster import VIP, install_httpsvc, make_web_node  # noqa: E402

AUTH = {
    "crc": "auth 1\n1 crc\n",
    "sha1": "auth 1\n1 sha1 interop-web-secret\n",
}
VIGILCTL = BUILD / "vigilctl" / "vigilctl"
HARESOURCES = f"node1 {VIP} httpsvc\n"
# The nodes' cluster interface. Debian's resource-agents 4.12 IPaddr
# defaults its `nic` to eth0 and refuses a VIP whose calculated interface is
# another one ("Invalid parameter value: nic [eth0] Calculated nic: [eth1]"),
# so with haresources' plain `192.0.2.5` the nodes need the classic eth0:
# use_eth0() renames netlab's eth1 on the node hosts.
IFACE = "eth0"
# The figures' timers (issue 5): heartbeat accepts ms units.
FAST = dict(keepalive="100ms", deadtime="500ms", warntime="300ms", initdead="2")


def real_ha_cf(keepalive, deadtime, warntime, initdead):
    """What an admin of a real heartbeat 3.0.6 node writes for v1 mode, logs
    kept in the node's private /var/log."""
    return (f"logfile /var/log/ha-log\nlogfacility none\nuse_logd no\ncrm no\n"
            f"keepalive {keepalive}\ndeadtime {deadtime}\nwarntime {warntime}\n"
            f"initdead {initdead}\nudpport 694\nbcast {IFACE}\nauto_failback on\n"
            f"node node1\nnode node2\n")


def vigil_ha_cf_from_real(text):
    """The real node's ha.cf as a vigil node of the same machine reads it.
    Only the logfile line goes: in vigil's process it would name the test
    machine's own /var/log/ha-log (the real node's /var/log is private to
    its mount namespace); vigil logs to its stderr, kept by the test."""
    return "".join(line + "\n" for line in text.splitlines()
                   if not line.startswith("logfile"))


def use_eth0(lab, *hosts):
    """Renames each host's netlab interface eth1 to eth0 (see IFACE). The
    lab still knows it by its switch port, so link_down/link_up work."""
    for host in hosts:
        ns = lab.ns(host)
        for cmd in (["link", "set", "eth1", "down"], ["link", "set", "eth1", "name", IFACE],
                    ["link", "set", IFACE, "up"]):
            subprocess.run(["ip", "-n", ns, *cmd], check=True)


class RealWebNode(RealHeartbeatNode):
    """A real heartbeat node serving the page "served by <name>" through
    httpsvc, installed in its /etc/ha.d/resource.d; the VIP is heartbeat's
    own IPaddr (resource-agents)."""

    kind = "real"

    def __init__(self, lab, workdir, name, auth="crc", timers=FAST):
        super().__init__(workdir, lab.ns(name), name)
        self.lab = lab
        self.name = name
        self.write_config(real_ha_cf(**timers), HARESOURCES, AUTH[auth])
        docroot = self.dir / "www"
        docroot.mkdir()
        (docroot / "index.html").write_text(f"served by {name}\n")
        os.chmod(self.dir, 0o755)
        # /run is the node's private /run: the pid file holds a node-local PID.
        install_httpsvc(self.dir / "etc-ha.d", "/run", docroot)

    # -- verbs shared with VigilWebNode --------------------------------------

    def start(self):
        if self.init_pid is None:
            self.boot()
        else:
            super().start()

    def restart(self):
        super().start()

    def crash(self):
        """kill -9 of every heartbeat process. A crashed machine also loses
        its addresses and its services; heartbeat itself removes nothing
        (real-heartbeat-lab.md: the VIP stays configured on a killed node),
        so the test removes the stale VIP with `ip addr del` and ends the web
        server, as the dead machine would have neither."""
        self.kill9()
        self.enter(["sh", "-c", f"ip -4 addr del {VIP}/24 dev {IFACE} 2>/dev/null; "
                    "[ -f /run/httpsvc.pid ] && kill -9 $(cat /run/httpsvc.pid); "
                    "rm -f /run/httpsvc.pid; true"], check=False)

    def standby(self, cls=None):
        self.enter(["/usr/share/heartbeat/hb_standby", *([cls] if cls else [])])

    def takeover(self, cls=None):
        self.enter(["/usr/share/heartbeat/hb_takeover", *([cls] if cls else [])])

    def graceful_stop(self):
        self.stop()

    def running(self):
        return bool(self.heartbeat_pids())

    def log_mark(self):
        return len(self.log())

    def wait_for_log(self, pattern, timeout, start=0):
        """As RealHeartbeatNode.wait_for_log; also returns when it was seen."""
        m = super().wait_for_log(pattern, timeout, start)
        return m, time.monotonic()

    def vip_present(self):
        out = self.lab.run(self.name, ["ip", "-4", "-o", "addr", "show"]).stdout
        return f" {VIP}/" in out

    def destroy(self):
        super().destroy()


class VigilWebNode:
    """A vigil node (ipd, resourced, heartbeatd) of the same web cluster."""

    kind = "vigil"

    def __init__(self, lab, workdir, name, auth="crc", timers=FAST, ha_cf_text=None):
        self.lab = lab
        self.name = name
        text = ha_cf_text if ha_cf_text is not None else \
            ha_cf(["node1", "node2"], [f"bcast {IFACE}"], **timers)
        self.node = make_web_node(lab, workdir, name, text, HARESOURCES, AUTH[auth])

    def start(self):
        if not self.node.helpers or any(p.poll() is not None for p in self.node.helpers.values()):
            self.node.start_all()
        else:
            self.node.start()

    def restart(self):
        self.node.start()

    def crash(self):
        """kill -9 of heartbeatd only: its helpers' lease runs out and they
        release the VIP and stop httpsvc by themselves."""
        self.node.kill9()

    def vigilctl(self, *args):
        argv = [str(VIGILCTL), "--runtime-dir", str(self.node.runtime_dir),
                "--config-dir", str(self.node.config_dir), "--node-name", self.name, *args]
        return self.lab.run(self.name, argv, check=True)

    def standby(self, cls=None):
        self.vigilctl("standby", *([cls] if cls else []))

    def takeover(self, cls=None):
        self.vigilctl("takeover", *([cls] if cls else []))

    def graceful_stop(self):
        self.node.stop()

    def running(self):
        return self.node.proc is not None and self.node.proc.poll() is None

    def log(self, start=0):
        return self.node.log(start)

    def log_mark(self):
        return self.node.log_size()

    def wait_for_log(self, pattern, timeout, start=0):
        return self.node.wait_for_log(pattern, timeout, start)

    def vip_present(self):
        out = self.lab.run(self.name, ["ip", "-4", "-o", "addr", "show"]).stdout
        return f" {VIP}/" in out

    def destroy(self):
        self.node.stop_all()


# --------------------------------------------------------------- the client

PROBE_INTERVAL = 0.02


def _probe_main(out_path, interval):
    """Runs in the client namespace: every `interval` s one GET of the VIP
    (connect timeout 0.1 s, so a dead address costs at most ~0.1 s of
    resolution); one line per try: `<start> <end> <node or ->` (monotonic)."""
    import http.client
    rx = re.compile(r"served by (\S+)")
    with open(out_path, "w", buffering=1) as out:
        while True:
            t = time.monotonic()
            who = "-"
            try:
                c = http.client.HTTPConnection(VIP, 80, timeout=0.1)
                c.connect()
                c.sock.settimeout(1.0)
                c.request("GET", "/")
                body = c.getresponse().read().decode(errors="replace")
                c.close()
                m = rx.search(body)
                who = m.group(1) if m else "?"
            except (OSError, http.client.HTTPException):
                pass
            out.write(f"{t:.4f} {time.monotonic():.4f} {who}\n")
            delay = t + interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)


class Probe:
    """The client's view, recorded every 20 ms by one long-lived process in
    the client namespace (CLOCK_MONOTONIC is shared by every namespace, so
    its times compare with the test's)."""

    def __init__(self, lab, workdir, interval=PROBE_INTERVAL):
        self.lab = lab
        self.path = pathlib.Path(workdir) / f"probe-{os.getpid()}-{id(self)}.txt"
        self.interval = interval
        self.proc = None

    def __enter__(self):
        self.proc = self.lab.spawn("client", ["/usr/bin/python3", str(pathlib.Path(__file__)),
                                              "--probe", str(self.path), str(self.interval)])
        return self

    def __exit__(self, *exc):
        if self.proc is not None:
            self.lab.stop(self.proc)
            self.proc = None

    def samples(self, after=0.0):
        """(end time, node or "-") of every try started at or after `after`:
        a page counts as seen when its answer was complete."""
        try:
            text = self.path.read_text()
        except FileNotFoundError:
            return []
        out = []
        for line in text.splitlines():
            parts = line.split()
            if len(parts) != 3:
                continue  # the line being written
            if float(parts[0]) >= after:
                out.append((float(parts[1]), parts[2]))
        return out

    def wait_served_by(self, name, timeout, after=None):
        """Monotonic time at which the first try started at or after
        `after` (default now) completed with the page of `name`."""
        after = time.monotonic() if after is None else after
        deadline = time.monotonic() + timeout
        while True:
            for t, who in self.samples(after):
                if who == name:
                    return t
            if time.monotonic() > deadline:
                tail = self.samples(after)[-10:]
                raise AssertionError(f"http://{VIP}/ not served by {name} within {timeout}s "
                                     f"(last tries: {tail})")
            time.sleep(0.02)

    def current(self):
        s = self.samples(time.monotonic() - 1.0)
        return s[-1][1] if s else None

    def gaps(self, start, end):
        """Intervals within [start, end] in which no try succeeded:
        (from the last success before, to the next success), longest first."""
        ok = [t for t, who in self.samples(start) if t <= end and who not in ("-", "?")]
        gaps = [(b - a, a, b) for a, b in zip(ok, ok[1:])]
        return sorted(gaps, reverse=True)

    def servers(self, start, end):
        """Every node that served in [start, end], in order of first appearance."""
        seen = []
        for t, who in self.samples(start):
            if t <= end and who not in ("-", "?") and who not in seen:
                seen.append(who)
        return seen


def median(values):
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def summary(values_ms):
    return (f"min {min(values_ms):.0f} / median {median(values_ms):.0f} / "
            f"max {max(values_ms):.0f} ms (n={len(values_ms)})")


if __name__ == "__main__" and len(sys.argv) == 4 and sys.argv[1] == "--probe":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    _probe_main(sys.argv[2], float(sys.argv[3]))
