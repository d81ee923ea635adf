"""What the restart suites (tests/integration/test_restart_invisible.py,
tests/interop/test_interop_restart.py) share: the timers, one root helper
killed and restarted on its own, and the checks that nothing moved.

    marks = LogMarks.take(node1)          # log sizes now
    kill9_helper(node1, "ipd"); restart_helper(node1, "ipd")
    assert_helpers_did_nothing(node1, marks)   # no add/remove/start/stop since
    httpsvc_pid(node1)                    # the web server's PID, or None

Timers: keepalive 200 ms, deadtime 2 s, so the lease (half the deadtime)
is 1 s: a restart of heartbeatd must say Hello to the helpers within 1 s of
the kill, which a loaded machine still does with room to spare, and the
peer's 2 s deadtime leaves a full second between the helpers' release and
the peer's takeover.
"""
from __future__ import annotations

import dataclasses
import os
import re
import signal
import time

from vigil_node import HEARTBEAT_USER, IPD, RESOURCED, ha_cf

KEEPALIVE = "200ms"
DEADTIME_S = 2.0
DEADTIME = "2"
WARNTIME = "1"
INITDEAD = "4"
LEASE_S = DEADTIME_S / 2
# The peer's advertised dt is bumped by 2 s for the first 5 s after a start
# (§5.10); past it, a death is declared after the plain deadtime.
PAST_STARTUP_BUMP_S = 6.0

HELPER_BINARIES = {"ipd": IPD, "resourced": RESOURCED}

# What a helper logs when it changes something (ipd/server.cpp,
# resourced/server.cpp). Status requests and ListVips change nothing.
IPD_ACTIONS = re.compile(r"AddVip|RemoveVip|lease expired")
RESOURCED_ACTIONS = re.compile(r"request \d+: (start|stop) |lease expired")
# What a peer logs when it thinks node1 died, restarted or lost its groups.
PEER_REACTIONS = re.compile(
    r"node node1: is dead|Heartbeat restart on node node1|returning after partition|"
    r"Taking over resource group|Acquiring resource group|mach_down|"
    r"Releasing resource group|Link node1:\S+ dead")


def web_ha_cf(nodes=("node1", "node2")):
    return ha_cf(list(nodes), ["bcast eth1"], keepalive=KEEPALIVE, deadtime=DEADTIME,
                 warntime=WARNTIME, initdead=INITDEAD)


@dataclasses.dataclass
class LogMarks:
    heartbeatd: int
    ipd: int
    resourced: int

    @classmethod
    def take(cls, node):
        return cls(node.log_size(), _size(node.helper_log_path("ipd")),
                   _size(node.helper_log_path("resourced")))


def _size(path):
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def helper_log_since(node, name, offset):
    return node.helper_log(name).encode(errors="replace")[offset:].decode(errors="replace")


def wait_helper_log(node, name, pattern, timeout, start=0):
    rx = re.compile(pattern)
    deadline = time.monotonic() + timeout
    while True:
        m = rx.search(helper_log_since(node, name, start))
        if m:
            return m
        if time.monotonic() > deadline:
            raise AssertionError(f"{node.host} {name}: no /{pattern}/ within {timeout}s:\n"
                                 + node.helper_log(name)[-3000:])
        time.sleep(0.01)


def kill9_helper(node, name):
    p = node.helpers[name]
    if p.poll() is None:
        os.kill(p.pid, signal.SIGKILL)
        p.wait(timeout=5)


def restart_helper(node, name, heartbeat_user=HEARTBEAT_USER):
    """Starts helper `name` again, as start_helpers did, appending to its log."""
    argv = [str(HELPER_BINARIES[name]), *node.common_args(), "--heartbeat-user", heartbeat_user]
    node.helpers[name] = node.lab.spawn(node.host, argv,
                                        log_path=str(node.helper_log_path(name)))
    return node.helpers[name]


def assert_helpers_did_nothing(node, marks):
    for name, offset, rx in (("ipd", marks.ipd, IPD_ACTIONS),
                             ("resourced", marks.resourced, RESOURCED_ACTIONS)):
        text = helper_log_since(node, name, offset)
        bad = [line for line in text.splitlines() if rx.search(line)]
        assert not bad, f"{node.host} {name} acted:\n" + "\n".join(bad) + "\n---\n" + text[-3000:]


def httpsvc_pid(node):
    try:
        return int((node.runtime_dir / "httpsvc.pid").read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def generation(log_text):
    """The generations heartbeatd announced in `log_text`, in order."""
    return [int(g) for g in re.findall(r"Heartbeat generation: (\d+)", log_text)]
