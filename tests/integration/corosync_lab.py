"""Real corosync 3 under vigil nodes, on netlab hosts.

Each host gets a *node shell*: a process in the host's network namespace
that also holds a private mount namespace with its own tmpfs /run and
/dev/shm, so that corosync's pid file, libqb's shared-memory IPC rings and
its state never meet another node's (corosync/corosync#748 and
field-notes-2.md §1). corosync and heartbeatd of that host both run in that
mount namespace (nsenter), since heartbeatd reaches corosync through it.
corosync runs `-f` (foreground) with `sched_rr: no` (3.1.7 has no `-p`):
no realtime scheduling on the shared cores. Transport knet on net 1, no crypto (the heartbeat messages on the
CPG group are signed by authkeys as on UDP).

    cs = CorosyncCluster(lab, workdir, ("node1", "node2", "node3"), token=1000)
    cs.start_all()          # corosync on every host, waits for a quorate ring
    cs.kill9("node1")       # corosync of node1, by PID
    argv = cs.wrap("node1", [heartbeatd, ...])   # runs inside node1's shell

With `qnetd_host`, corosync.conf gets a quorum device (model net, ffsplit,
TLS off) and `start_with_qdevice()` also starts corosync-qnetd in that
host's own node shell and a corosync-qdevice in each node's shell, all in
the foreground and all owned by the lab (ended by PID at teardown).
"""
from __future__ import annotations

import os
import pathlib
import signal
import subprocess

from netlab import wait_until

COROSYNC = "/usr/sbin/corosync"
QUORUMTOOL = "/usr/sbin/corosync-quorumtool"
QDEVICE = "/usr/sbin/corosync-qdevice"
QNETD = "/usr/bin/corosync-qnetd"


def corosync_conf(lab, nodes, state_dir, token=1000, two_node=False, qnetd_addr=None):
    lines = ["totem {", "  version: 2", "  cluster_name: vigiltest", "  transport: knet",
             f"  token: {token}", "  crypto_cipher: none", "  crypto_hash: none", "}",
             "nodelist {"]
    for i, n in enumerate(nodes, start=1):
        lines += ["  node {", f"    name: {n}", f"    nodeid: {i}",
                  f"    ring0_addr: {lab.hosts[n].addr}", "  }"]
    lines += ["}", "quorum {", "  provider: corosync_votequorum"]
    if two_node:
        lines.append("  two_node: 1")
    if qnetd_addr:
        # A third vote from corosync-qnetd (corosync-qdevice(8)): ffsplit
        # gives it to exactly one partition of an even split; no TLS (no
        # NSS database to make), default timeouts.
        lines += ["  device {", "    model: net", "    votes: 1", "    net {",
                  f"      host: {qnetd_addr}", "      algorithm: ffsplit", "      tls: off",
                  "    }", "  }"]
    lines += ["}",
              # heartbeatd runs as hacluster: corosync's IPC lets it in as
              # packaging/corosync/uidgid.d/vigil does for the packages.
              "uidgid {", "  uid: hacluster", "  gid: haclient", "}",
              "logging {", "  to_stderr: yes", "  to_logfile: no", "  to_syslog: no",
              "  timestamp: on", "}",
              # corosync 3.1.7 has no `-p`: sched_rr off keeps it off
              # realtime scheduling on the shared cores
              "system {", f"  state_dir: {state_dir}", "  sched_rr: no", "}"]
    return "\n".join(lines) + "\n"


class CorosyncCluster:
    def __init__(self, lab, workdir, nodes, token=1000, two_node=False, qnetd_host=None):
        self.lab = lab
        self.nodes = tuple(nodes)
        self.dir = pathlib.Path(workdir) / "corosync"
        self.shells = {}
        self.procs = {}
        self.token = token
        self.two_node = two_node
        self.qnetd_host = qnetd_host
        qnetd_addr = lab.hosts[qnetd_host].addr if qnetd_host else None
        for n in self.nodes:
            d = self.dir / n
            (d / "state").mkdir(parents=True, exist_ok=True)
            (d / "corosync.conf").write_text(
                corosync_conf(lab, self.nodes, d / "state", token, two_node, qnetd_addr))

    def _shell(self, host):
        """The host's node shell: its PID is the mount namespace to enter."""
        if host in self.shells and self.shells[host].poll() is None:
            return self.shells[host]
        script = ("mount -t tmpfs -o mode=755 tmpfs /run && "
                  "mount -t tmpfs -o mode=1777 tmpfs /dev/shm && "
                  "touch /run/vigil-node-shell && exec sleep 86400")
        p = self.lab.spawn(host, ["unshare", "--mount", "--propagation", "private",
                                  "/bin/sh", "-c", script],
                           log_path=str(self.dir / f"{host}-shell.log"))
        wait_until(lambda: subprocess.run(
            ["nsenter", "-t", str(p.pid), "-m", "test", "-e", "/run/vigil-node-shell"]
        ).returncode == 0, timeout=5, what=f"{host}'s node shell")
        self.shells[host] = p
        return p

    def wrap(self, host, argv):
        """argv, run inside host's node shell (network + private mounts)."""
        return ["nsenter", "-t", str(self._shell(host).pid), "-m", "--", *argv]

    def start(self, host):
        conf = self.dir / host / "corosync.conf"
        self.procs[host] = self.lab.spawn(
            host, self.wrap(host, [COROSYNC, "-f", "-c", str(conf)]),
            log_path=str(self.dir / f"{host}-corosync.log"))
        return self.procs[host]

    def start_all(self, timeout=30):
        for n in self.nodes:
            self.start(n)
        for n in self.nodes:
            self.wait_quorate(n, timeout=timeout)

    def quorumtool(self, host):
        return self.lab.run(host, self.wrap(host, [QUORUMTOOL, "-s"]), check=False).stdout

    def quorate(self, host):
        out = self.quorumtool(host)
        return any(line.split()[:1] == ["Quorate:"] and line.split()[-1] == "Yes"
                   for line in out.splitlines())

    def wait_quorate(self, host, timeout=30):
        wait_until(lambda: self.quorate(host), timeout=timeout, interval=0.2,
                   what=f"corosync on {host} quorate")

    def start_qnetd(self):
        """corosync-qnetd on qnetd_host, in its own node shell (its lock
        file and socket in a private /run), foreground, TLS off. It never
        asks for realtime scheduling."""
        host = self.qnetd_host
        p = self.lab.spawn(host, self.wrap(host, [
            "/bin/sh", "-c", 'mkdir -p /run/corosync-qnetd && exec "$@"', "qnetd",
            QNETD, "-f", "-s", "off", "-l", self.lab.hosts[host].addr]),
            log_path=str(self.dir / f"{host}-qnetd.log"))
        self.procs[host] = p
        return p

    def start_qdevice(self, host):
        """corosync-qdevice of a node, in the node's shell: it reads
        quorum.device from its corosync over the private /run's IPC."""
        p = self.lab.spawn(host, self.wrap(host, [
            "/bin/sh", "-c", 'mkdir -p /run/corosync-qdevice && exec "$@"', "qdevice",
            QDEVICE, "-f", "-d"]), log_path=str(self.dir / f"{host}-qdevice.log"))
        self.procs[f"{host}-qdevice"] = p
        return p

    def total_votes(self, host):
        for line in self.quorumtool(host).splitlines():
            if line.split()[:2] == ["Total", "votes:"]:
                return int(line.split()[-1])
        return 0

    def start_with_qdevice(self, timeout=60):
        """corosync on every node, qnetd, then a qdevice per node; waits
        until every node counts the device's vote (nodes + 1)."""
        self.start_all(timeout=timeout)
        self.start_qnetd()
        for n in self.nodes:
            self.start_qdevice(n)
        for n in self.nodes:
            wait_until(lambda n=n: self.total_votes(n) == len(self.nodes) + 1,
                       timeout=timeout, interval=0.2, what=f"{n} counts the qdevice vote")

    def kill9(self, host):
        p = self.procs.get(host)
        if p and p.poll() is None:
            os.kill(p.pid, signal.SIGKILL)
            p.wait(timeout=5)

    def log(self, host):
        try:
            return (self.dir / f"{host}-corosync.log").read_text(errors="replace")
        except FileNotFoundError:
            return ""


def vigil_nodes_on(cs, lab, workdir, names, haresources, start=None):
    """One heartbeatd per corosync node, vigil.cf `membership corosync`,
    each command run inside its node's corosync mount namespace; those in
    `start` (default: all) started. ha.cf keeps a bcast line for
    heartbeat's parser (not opened)."""
    from vigil_node import VigilNode, ha_cf
    nodes = {}
    for name in names:
        node = VigilNode(lab, name, workdir,
                         ha_cf(names, ["bcast eth1"], keepalive="500ms", deadtime="2",
                               warntime="1", initdead="10", extra="realtime off"),
                         haresources=haresources)
        (node.config_dir / "vigil.cf").write_text("membership corosync\n")
        node.wrap = lambda argv, name=name: cs.wrap(name, argv)
        nodes[name] = node
    for name in names if start is None else start:
        nodes[name].start_all()
    return nodes
