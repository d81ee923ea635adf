"""ha.cf `watchdog` (heartbeat-compat.md §2.4, issue 14): resourced holds the
device and writes to it once per keep-alive of heartbeatd's loop
(resourced/watchdog_device.h). Never a real watchdog here: each node's
ha.cf names a regular file of the test, which grows by one byte per write.

  - both nodes healthy: both files keep growing;
  - kill -9 of node1's heartbeatd: node1's file stops growing within the
    stated bound (one keepalive, 100 ms, plus scheduling slack) while
    node2's keeps growing; then kill -9 of node1's ipd and resourced too:
    it never grows again;
  - graceful stop of node2 (§6.7): the last byte written is the magic
    'V' (the kernel disarms a real device on it).
"""
from __future__ import annotations

import re
import time

import pytest

from vigil_node import AUTH_SHA1, VigilNode, ha_cf

KEEPALIVE = 0.1
STOP_BOUND = KEEPALIVE + 0.4  # one keepalive, plus a loaded machine's slack


def size(path):
    return path.stat().st_size


def last_growth(path, watch_for):
    """Samples the file every 10 ms for `watch_for` seconds; returns the
    monotonic time of the last growth seen (None: it never grew)."""
    last, seen = size(path), None
    end = time.monotonic() + watch_for
    while time.monotonic() < end:
        now = size(path)
        if now != last:
            last, seen = now, time.monotonic()
        time.sleep(0.01)
    return seen


@pytest.mark.lab(hosts=("node1", "node2"), client=False)
def test_watchdog_written_only_while_vigil_lives(lab, tmp_path):
    nodes = {}
    devices = {}
    for h in ("node1", "node2"):
        devices[h] = tmp_path / f"{h}-watchdog"
        devices[h].write_bytes(b"")
        text = ha_cf(["node1", "node2"], ["bcast eth1"], extra=f"watchdog {devices[h]}")
        nodes[h] = VigilNode(lab, h, tmp_path, text, haresources="", authkeys=AUTH_SHA1)
    node1, node2 = nodes["node1"], nodes["node2"]
    try:
        for n in (node1, node2):
            n.start_all()
        node2.wait_for_log(r"Status update for node node1: status active", 15)
        for h in ("node1", "node2"):
            before = size(devices[h])
            time.sleep(0.5)
            assert size(devices[h]) > before, f"{h}'s watchdog is not written"
        assert "armed" in node1.helper_log("resourced")

        killed = time.monotonic()
        node1.kill9()
        grew = last_growth(devices["node1"], 1.5)
        stopped_after = (grew - killed) if grew else 0.0
        print(f"\nnode1 heartbeatd killed: last write {stopped_after * 1000:.0f} ms later")
        assert stopped_after <= STOP_BOUND
        before2 = size(devices["node2"])
        node1.kill9_all()
        assert last_growth(devices["node1"], 1.0) is None
        assert size(devices["node2"]) > before2, "the healthy node stopped writing"

        node2.stop_all()
        data = devices["node2"].read_bytes()
        assert data.endswith(b"V"), data[-10:]
        assert set(data[:-1]) == {ord("1")}
        assert re.search("disarmed", node2.helper_log("resourced"))
    finally:
        for n in (node1, node2):
            n.kill9_all()
