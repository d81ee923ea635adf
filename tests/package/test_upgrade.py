"""Upgrades move nothing: two freshly booted Debian 12 systems on one bridge
run the previous release (previous_release.py: a commit of this repository,
packaged as it was), node1 holds the VIP 10.0.0.100 and a client on the same
bridge pings it every 20 ms. Then, with apt as an admin would:

1. node1, the active node, is upgraded to this tree's .deb while node2 stays
   on the previous release. The package restarts node1's three daemons; the
   old heartbeatd does not know the upgrade marker, so it is restarted with
   SIGKILL (packaging/tools/restart-after-upgrade).
2. node1 reinstalls the same .deb: now the running heartbeatd knows the
   marker and exits keeping its groups.
3. node2, the standby, is upgraded too.

After each step: the daemons run the installed binaries, node1's heartbeatd
continued its generation (peers saw no restart), node2 logged no death, no
restart of node1 and no takeover, node1 still holds the group and node2
none, and the client lost no reply: the VIP never left node1, whose kernel
answers for it whatever the daemons do. The longest gap between two replies
is printed and must stay under 1 s (scheduling on a loaded machine; a VIP
that moved would lose replies for at least the lease, 3 s here).

Timers: keepalive 500ms, deadtime 6 s, so the helpers' lease is 3 s: each
restart must be back within it, which the design requires of any restart
of heartbeatd alone.
"""

import re
import signal
import subprocess
import threading
import time

import pytest

from conftest import SOURCE_ROOT
from machine import Machine, Switch, _run
from previous_release import previous_release_deb

VIP = "10.0.0.100"
SERVICES = ["vigil-heartbeatd.service", "vigil-resourced.service", "vigil-ipd.service"]
# What node2 logs if node1 looked dead or rebooted, or if it took a group.
MOVES = ["node-dead", "node-restart", "takeover", "local-acquired"]
MAX_REPLY_GAP_MS = 1000


class Prober:
    """A client on the switch (a network namespace of its own, 10.0.0.50)
    pinging the VIP every 20 ms."""

    def __init__(self, switch):
        self.switch = switch
        self.netns = f"{switch.netns}-client"
        self.ping = None
        self.output = ""

    def __enter__(self):
        _run(["ip", "netns", "add", self.netns])
        try:
            ns = ["ip", "-n", self.netns]
            _run(ns + ["link", "set", "lo", "up"])
            _run(ns + ["link", "add", "eth1", "type", "veth", "peer", "name", "eth1p"])
            _run(ns + ["addr", "add", "10.0.0.50/24", "dev", "eth1"])
            _run(ns + ["link", "set", "eth1", "up"])
            self.switch.plug(self.netns, "eth1p", "p-client")
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def start(self):
        # Replies are timestamped here, as they are read: ping -D is
        # iputils' only (the machine may have inetutils' ping).
        self.replies = {}
        self.lines = []
        self.ping = subprocess.Popen(
            ["ip", "netns", "exec", self.netns, "ping", "-n", "-i", "0.02", VIP],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.ping.stdout:
            self.lines.append(line)
            m = re.search(r"bytes from [\d.]+: icmp_seq=(\d+)", line)
            if m:
                self.replies.setdefault(int(m[1]), time.monotonic())

    def stop(self):
        """Stops pinging; returns (replies, lost, longest gap in ms)."""
        self.ping.send_signal(signal.SIGINT)
        self.ping.wait(timeout=30)
        self.reader.join(timeout=30)
        self.ping = None
        self.output = "".join(self.lines)
        replies = self.replies
        assert replies, "no reply at all:\n" + self.output[-2000:]
        lost = [seq for seq in range(min(replies), max(replies) + 1) if seq not in replies]
        stamps = sorted(replies.values())
        gap = max((b - a for a, b in zip(stamps, stamps[1:])), default=0.0)
        return len(replies), lost, gap * 1000

    def close(self):
        if self.ping is not None:
            self.ping.kill()
            self.ping.wait(timeout=10)
            self.ping = None
        if self.netns is not None:
            _run(["ip", "netns", "del", self.netns], check=False)
            self.netns = None


def vip_present(machine):
    out = machine.run(["ip", "-o", "-4", "addr", "show", "dev", "eth1"]).stdout
    return f" {VIP}/" in out


def status(machine):
    return machine.unit_property("vigil-heartbeatd.service", "StatusText")


def journal(machine, since, *match):
    return machine.run(["journalctl", "-q", "-o", "cat", "--no-pager", "--since", since, *match],
                       check=False).stdout


def clock(machine):
    return machine.run(["date", "+%Y-%m-%d %H:%M:%S"]).stdout.strip()


def main_pids(machine):
    return {s: machine.unit_property(s, "MainPID") for s in SERVICES}


def installed_version(machine):
    return machine.run(["dpkg-query", "-W", "-f", "${Version}", "vigil"]).stdout


@pytest.fixture(scope="module")
def cluster(deb):
    old = previous_release_deb(SOURCE_ROOT)
    with Switch() as switch, \
            Machine(old, "node1", "10.0.0.1", "node2", "10.0.0.2", switch,
                    upgrade_to=deb) as node1, \
            Machine(old, "node2", "10.0.0.2", "node1", "10.0.0.1", switch,
                    upgrade_to=deb) as node2, \
            Prober(switch) as prober:
        new = {}
        for m in (node1, node2):
            m.install_deb()
            new[m.hostname] = m.upgrade_inside
            m.install_example_config(initdead="12", deadtime="6", keepalive="500ms",
                                     warntime="3")
        for m in (node1, node2):
            m.run(["systemctl", "start", "vigil.target"], timeout=120)
        yield node1, node2, prober, new, old


def steady(node1, node2):
    """node1 holds the group, node2 is its active standby."""
    assert node1.wait_for(lambda: "peers: node2 active" in status(node1), timeout=60), \
        status(node1)
    assert node2.wait_for(lambda: "peers: node1 active" in status(node2), timeout=60), \
        status(node2)
    assert node1.wait_for(lambda: status(node1).endswith("groups held: 1 of 1"), timeout=60), \
        status(node1)
    assert node2.wait_for(lambda: status(node2).endswith("groups held: 0 of 1"), timeout=30), \
        status(node2)
    assert vip_present(node1) and not vip_present(node2)


def upgrade_moves_nothing(upgraded, other, node1, node2, prober, inside, reinstall=False):
    """Installs `inside` on `upgraded` while the client pings; checks that
    nothing moved. Returns what `upgraded`'s journal logged meanwhile."""
    steady(node1, node2)
    before = main_pids(upgraded)
    since = {m.hostname: clock(m) for m in (node1, node2)}
    time.sleep(1)  # journalctl --since counts whole seconds
    prober.start()
    time.sleep(1)
    started = time.monotonic()
    done = upgraded.install_package(inside, reinstall=reinstall)
    took = time.monotonic() - started
    # Back to steady before the probe stops, so that a late move shows.
    try:
        steady(node1, node2)
    except AssertionError as e:
        raise AssertionError(f"{e}\napt:\n{done.stdout}\n{done.stderr}\n{upgraded.hostname}:\n"
                             + journal(upgraded, since[upgraded.hostname])) from None
    time.sleep(1)
    replies, lost, gap = prober.stop()
    print(f"{upgraded.hostname}: apt took {took:.1f} s; client: {replies} replies, "
          f"{len(lost)} lost, longest gap {gap:.0f} ms")
    after = main_pids(upgraded)
    for service in SERVICES:
        assert upgraded.unit_property(service, "ActiveState") == "active", service
        assert after[service] != before[service], f"{service} was not restarted\n{done.stdout}"
    upgraded_log = journal(upgraded, since[upgraded.hostname])
    other_log = journal(other, since[other.hostname], "-u", "vigil-heartbeatd")
    for event in MOVES:
        assert journal(other, since[other.hostname], f"VIGIL_EVENT={event}") == "", \
            f"{other.hostname} logged {event}:\n{other_log}"
    # heartbeatd's graceful stop (which hands the groups over) never ran;
    # the helpers' stops log the same event and keep what they hold.
    assert journal(upgraded, since[upgraded.hostname], "VIGIL_EVENT=daemon-stopping",
                   "VIGIL_DAEMON=heartbeatd") == "", \
        upgraded_log
    assert "(continued after a short restart)" in upgraded_log, upgraded_log
    assert not lost, f"replies lost for icmp_seq {lost[:20]}...\n{upgraded_log}\n----\n{other_log}"
    assert gap < MAX_REPLY_GAP_MS, f"longest gap {gap:.0f} ms\n{upgraded_log}"
    return upgraded_log


def test_the_previous_release_forms_the_cluster(cluster, version):
    node1, node2, _, _, old = cluster
    steady(node1, node2)
    for m in (node1, node2):
        assert installed_version(m) != version and "~git" in installed_version(m)
    print(f"both nodes run {installed_version(node1)} ({old.name}); node1 holds {VIP}")


def test_upgrading_the_active_node_moves_nothing(cluster, version):
    node1, node2, prober, new, _ = cluster
    log = upgrade_moves_nothing(node1, node2, node1, node2, prober, new["node1"])
    assert installed_version(node1) == version
    assert "predates the upgrade-restart marker: restarting it with SIGKILL" in log, log
    hb = node1.run(["heartbeatd", "--version"]).stdout
    assert version in hb and "upgrade-restart-marker" in hb, hb
    # The drop-in that made systemd stop the old heartbeatd with SIGKILL is gone.
    assert node1.unit_property("vigil-heartbeatd.service", "KillSignal") == "15"


def test_reinstalling_on_the_active_node_restarts_heartbeatd_with_the_marker(cluster):
    node1, node2, prober, new, _ = cluster
    log = upgrade_moves_nothing(node1, node2, node1, node2, prober, new["node1"],
                                reinstall=True)
    assert "restarting for a package upgrade; keeping the groups" in log, log
    assert "predates" not in log, log
    assert "Heartbeat shutdown complete" not in log, log
    assert node1.run(["ls", "/run/vigil"]).stdout.split().count(
        "heartbeatd.upgrade-restart") == 0


def test_upgrading_the_standby_node_moves_nothing(cluster, version):
    node1, node2, prober, new, _ = cluster
    upgrade_moves_nothing(node2, node1, node1, node2, prober, new["node2"])
    assert installed_version(node2) == version
