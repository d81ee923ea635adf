"""The three implementations the bench compares, as one web cluster each on
the same netlab hosts (node1, node2 on eth0, the client), all with the same
LSB script `httpsvc` serving "served by <node>" on 192.0.2.5:80:

    vigil       ipd, resourced, heartbeatd; haresources `node1 192.0.2.5 httpsvc`
    heartbeat   the real heartbeat 3.0.6 (tests/interop/real_heartbeat.py)
    keepalived  keepalived 2.2.7, VRRPv3, node1 priority 150 / node2 100,
                preempting; notify_master starts httpsvc, notify_backup,
                notify_fault and notify_stop stop it

Every pair offers the same verbs on a node name: crash, restart, link_cut,
link_up, graceful_stop, start, standby, takeover, daemon_pids, plus
detection_marks(log) for what its own log says about when the peer was
declared dead. A crash is a machine's crash: every daemon of the node is
killed with -9, and the VIP and the web server, which a dead machine no
longer has, are removed (heartbeat and keepalived remove nothing when
killed).
"""
from __future__ import annotations

import datetime
import os
import pathlib
import re
import signal
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "integration"))
sys.path.insert(0, str(HERE.parent / "interop"))

from mixed_cluster import IFACE, RealWebNode, VigilWebNode  # noqa: E402
from netlab import wait_until  # noqa: E402
from real_heartbeat import RealHeartbeatNode  # noqa: E402
from vigil_node import ha_cf  # noqa: E402
from web_cluster import HTTPSVC, VIP  # noqa: E402

NODES = ("node1", "node2")


children = RealHeartbeatNode._children


def descendants(pid):
    out, stack = [], [pid]
    while stack:
        for c in children(stack.pop()):
            out.append(c)
            stack.append(c)
    return out


def comm(pid):
    try:
        return pathlib.Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def remove_vip_and_service(lab, node, pidfile_cmd):
    """What a crashed machine no longer has: the VIP and the web server."""
    lab.run(node, f"ip -4 addr del {VIP}/24 dev {IFACE} 2>/dev/null; {pidfile_cmd}; true",
            check=False)


class VigilPair:
    name = "vigil"

    def __init__(self, lab, workdir, timers, auth="crc", ha_log=False):
        """`ha_log`: each node also writes ha.cf's logfile (WORKDIR/ha-log-NODE),
        as heartbeat does, besides its stderr (the journal's stand-in)."""
        self.lab = lab
        self.ha_logs = {}
        self.nodes = {}
        for n in NODES:
            logfile = None
            if ha_log:
                logfile = self.ha_logs[n] = pathlib.Path(workdir) / f"ha-log-{n}"
            text = ha_cf(list(NODES), [f"bcast {IFACE}"], logfile=logfile, **timers)
            self.nodes[n] = VigilWebNode(lab, workdir, n, auth=auth, ha_cf_text=text)
        # After heartbeatd starts it advertises deadtime + 2 s for 5 s
        # (§5.10): a failure is timed only once that is over.
        self.settle = 6.0

    def boot(self):
        self.nodes["node1"].start()
        self.nodes["node1"].wait_for_log(r"Acquiring resource group", 30)
        self.nodes["node2"].start()
        for a, b in (("node1", "node2"), ("node2", "node1")):
            self.nodes[a].wait_for_log(rf"Status update for node {b}: status active", 30)

    def node(self, n):
        return self.nodes[n].node

    def crash(self, n):
        self.node(n).kill9_all()
        pidfile = self.node(n).runtime_dir / "httpsvc.pid"
        remove_vip_and_service(self.lab, n, f"[ -f {pidfile} ] && kill -9 $(cat {pidfile}); "
                               f"rm -f {pidfile}")

    def restart(self, n):
        self.node(n).start_all()

    def graceful_stop(self, n):
        self.node(n).stop()

    def start(self, n):
        self.node(n).start()

    def standby(self, n):
        self.nodes[n].standby()

    def takeover(self, n):
        self.nodes[n].takeover()

    def daemon_pids(self, n):
        node = self.node(n)
        procs = [node.proc, *node.helpers.values()]
        return {p.pid: comm(p.pid) for p in procs if p is not None and p.poll() is None}

    def log_mark(self, n):
        return self.node(n).log_size()

    STAMP = r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) "

    def marks(self, n, start):
        """Wall-clock stamps (epoch seconds) of the takeover's steps in
        node n's logs: declared dead, takeover begun, VIP added (ipd),
        start requested (resourced)."""
        out = {}
        node = self.node(n)
        texts = {"heartbeatd": node.log(start), "ipd": node.helper_log("ipd"),
                 "resourced": node.helper_log("resourced")}
        for key, source, pattern in (
                ("dead", "heartbeatd", r".*: is dead"),
                ("takeover", "heartbeatd", r".*Taking over resource group"),
                ("vip_added", "ipd", rf".*{re.escape(VIP)}"),
                ("start_requested", "resourced", r".*httpsvc.*start")):
            for m in re.finditer(self.STAMP + pattern, texts[source], re.M):
                out.setdefault(key, []).append(_epoch(m.group(1)))
        return out

    def destroy(self):
        for v in self.nodes.values():
            v.node.stop_all()


def _epoch(stamp):
    # vigil's stderr stamps are local time; the machine's zone applies.
    return datetime.datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S.%f").timestamp()


class HeartbeatPair:
    name = "heartbeat"

    def __init__(self, lab, workdir, timers, auth="crc"):
        self.lab = lab
        self.nodes = {n: RealWebNode(lab, workdir, n, auth=auth, timers=timers) for n in NODES}
        self.settle = 3.0

    def boot(self):
        self.nodes["node1"].boot()
        self.nodes["node2"].boot()
        for n in NODES:
            self.nodes[n].wait_for_log(r"Local status now set to: 'active'", 60)

    def crash(self, n):
        self.nodes[n].crash()

    def restart(self, n):
        self.nodes[n].restart()

    def graceful_stop(self, n):
        # heartbeat -k waits for the hand-over; the clock runs from its start.
        subprocess.Popen(["nsenter", "-t", str(self.nodes[n].init_pid), "-n", "-u", "-m", "-p",
                          "-i", "/etc/init.d/heartbeat", "stop"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self, n):
        # heartbeat -k may still be finishing: start only once it has.
        wait_until(lambda: not self.nodes[n].heartbeat_pids(), timeout=60,
                   what=f"{n}: heartbeat stopped")
        self.nodes[n].restart()

    def standby(self, n):
        self.nodes[n].standby()

    def takeover(self, n):
        self.nodes[n].takeover()

    def daemon_pids(self, n):
        return {p: comm(p) for p in self.nodes[n].heartbeat_pids()}

    def marks(self, n, start):
        return {}  # ha-log has one-second stamps: nothing finer than the probe

    def destroy(self):
        for v in self.nodes.values():
            v.destroy()


KEEPALIVED_CONF = """global_defs {{
    router_id {node}
    script_user root
    vrrp_version 3
    vrrp_garp_master_delay 0
}}
track_file standby {{
    file "{standby}"
    weight 1
}}
vrrp_instance web {{
    state BACKUP
    interface {iface}
    virtual_router_id 51
    priority {priority}
    advert_int {advert}
    virtual_ipaddress {{
        {vip}/24 dev {iface}
    }}
    track_file {{
        standby
    }}
    notify_master "{httpsvc} start"
    notify_backup "{httpsvc} stop"
    notify_fault "{httpsvc} stop"
    notify_stop "{httpsvc} stop"
}}
"""


class KeepalivedNode:
    """keepalived -P in its own PID and mount namespaces (the web server it
    starts lives and dies there, its pid file holds a namespace-local PID)."""

    def __init__(self, lab, workdir, name, priority, advert):
        self.lab = lab
        self.name = name
        self.dir = pathlib.Path(workdir) / f"keepalived-{name}"
        self.dir.mkdir(parents=True)
        docroot = self.dir / "www"
        docroot.mkdir()
        (docroot / "index.html").write_text(f"served by {name}\n")
        self.httpsvc = self.dir / "httpsvc"
        self.httpsvc.write_text(HTTPSVC.format(vip=VIP, rundir=self.dir, docroot=docroot))
        os.chmod(self.httpsvc, 0o755)
        self.standby_file = self.dir / "standby"
        self.standby_file.write_text("0\n")
        self.conf = self.dir / "keepalived.conf"
        self.conf.write_text(KEEPALIVED_CONF.format(
            node=name, standby=self.standby_file, iface=IFACE, priority=priority,
            advert=advert, vip=VIP, httpsvc=self.httpsvc))
        self.log_path = self.dir / "keepalived.log"
        self.proc = None

    def start(self):
        # A killed keepalived leaves its pid files naming PID 1 of its
        # namespace, which a new keepalived takes for itself: "daemon is
        # already running".
        for name in ("keepalived.pid", "vrrp.pid"):
            (self.dir / name).unlink(missing_ok=True)
        argv = ["keepalived", "-n", "-l", "-D", "-G", "-P", "-f", str(self.conf),
                "-p", str(self.dir / "keepalived.pid"), "-r", str(self.dir / "vrrp.pid")]
        self.proc = self.lab.spawn(self.name, argv, log_path=str(self.log_path), isolate=True)
        wait_until(lambda: self.main_pid(), timeout=10, what=f"{self.name}: keepalived")

    def main_pid(self):
        """keepalived's parent process (PID 1 of the node's namespace)."""
        if self.proc is None or self.proc.poll() is not None:
            return None
        kids = [p for p in children(self.proc.pid) if comm(p) == "keepalived"]
        return kids[0] if kids else None

    def pids(self):
        main = self.main_pid()
        if main is None:
            return {}
        return {p: comm(p) for p in [main, *descendants(main)] if comm(p) == "keepalived"}

    def kill9(self):
        if self.proc is not None:
            self.lab.stop(self.proc, signal.SIGKILL)

    def stop(self):
        main = self.main_pid()
        if main:
            os.kill(main, signal.SIGTERM)



class KeepalivedPair:
    name = "keepalived"

    def __init__(self, lab, workdir, advert):
        self.lab = lab
        self.nodes = {"node1": KeepalivedNode(lab, workdir, "node1", 150, advert),
                      "node2": KeepalivedNode(lab, workdir, "node2", 100, advert)}
        self.settle = 1.0

    def boot(self):
        self.nodes["node1"].start()
        self.nodes["node2"].start()

    def crash(self, n):
        self.nodes[n].kill9()  # the PID namespace goes, web server included
        remove_vip_and_service(self.lab, n, "true")

    def restart(self, n):
        self.nodes[n].start()

    def graceful_stop(self, n):
        self.nodes[n].stop()

    def start(self, n):
        if self.nodes[n].proc is not None:
            self.nodes[n].proc.wait(timeout=10)
        self.nodes[n].start()

    def standby(self, n):
        # keepalived's switchover idiom: a tracked file lowers the priority
        # below the peer's, and the peer preempts.
        self.nodes[n].standby_file.write_text("-100\n")

    def takeover(self, n):
        self.nodes[n].standby_file.write_text("0\n")

    def daemon_pids(self, n):
        return self.nodes[n].pids()

    def marks(self, n, start):
        return {}  # console log lines carry no stamp: the wire tells (VRRP adverts)

    def destroy(self):
        for v in self.nodes.values():
            v.kill9()
