"""ha.cf `respawn` programs under vigil, in a network namespace
(heartbeat-compat.md §2.4 respawn; resourced/respawn_supervisor.h): run by
resourced as the named user, restarted when they exit, stopped when
heartbeatd stops and when its lease runs out; heartbeat's ipfail is not
run: its line turns on the built-in one (heartbeatd/engine/ipfail.h)."""
from __future__ import annotations

import os
import signal
import time

from vigil_node import VigilNode, ha_cf


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purpose.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


def wait_until(pred, timeout, what):
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout}s: {what}")
        time.sleep(0.02)


def test_respawn_runs_restarts_and_stops_with_heartbeatd_and_its_lease(lab, tmp_path):
    work = tmp_path / "client"
    work.mkdir()
    marks = work / "marks"
    marks.write_text("")
    os.chmod(marks, 0o666)
    client = work / "client.sh"
    client.write_text(f'#!/bin/sh\necho "$$ $(id -u)" >> {marks}\nexec sleep 60\n')
    os.chmod(client, 0o755)
    extra = (f"respawn hacluster /usr/lib64/heartbeat/ipfail\n"
             f"respawn nobody {client}")
    node = VigilNode(lab, "node1", tmp_path,
                     ha_cf(["node1", "node2"], ["bcast eth1"], extra=extra))
    node.make_traversable()
    os.chmod(work, 0o755)

    def runs():
        return [line.split() for line in marks.read_text().splitlines()]

    node.start_all()
    wait_until(lambda: len(runs()) == 1, 10, "the client started")
    pid, uid = runs()[0]
    assert uid == str(65534), "runs as the user of the respawn line (nobody)"
    # The built-in ipfail, not a process: with no groups it stays off at comm
    # up with heartbeat's ipfail's reason (§8.2).
    node.wait_for_log(r"No managed resources", 10)

    # It exits (killed here): heartbeat's rules restart it.
    os.kill(int(pid), signal.SIGKILL)
    wait_until(lambda: len(runs()) == 2, 10, "the client was respawned")
    assert "Respawning client" in node.helper_log("resourced")
    second = int(runs()[1][0])
    assert alive(second)

    # heartbeatd stops (vigil stops): the client goes, and is not restarted.
    node.stop()
    wait_until(lambda: not alive(second), 10, "the client stopped with heartbeatd")
    assert "heartbeatd asked" in node.helper_log("resourced")
    time.sleep(0.3)
    assert len(runs()) == 2

    # heartbeatd back: started again; heartbeatd killed: its lease (half the
    # deadtime) runs out and resourced stops the client.
    node.start()
    wait_until(lambda: len(runs()) == 3, 10, "the client started again")
    third = int(runs()[2][0])
    node.kill9()
    wait_until(lambda: not alive(third), 10, "the client stopped when the lease ran out")
    assert "heartbeatd's lease expired" in node.helper_log("resourced")
    node.stop_all()
