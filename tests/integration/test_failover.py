"""Seed-style failover end to end (the seed tutorial, scaled down): node1
and node2 each run ipd, resourced and heartbeatd; haresources is
`node1 192.0.2.5 httpsvc`, httpsvc a real LSB script serving a page that
names its node on 192.0.2.5:80; the client fetches http://192.0.2.5/.

Main scenario: kill -9 of node1's heartbeatd only. node1's helpers keep
running; their lease (half the deadtime) runs out and they release the
VIP and stop httpsvc on their own — no two holders — while node2 declares
node1 dead and takes the group over.

Second scenario: kill -9 of all three daemons. Nothing is left on node1 to
remove the VIP, yet node2 serves within the deadtime and a second: its
gratuitous ARP moves the client. When node1's daemons come back, later
than the deadtime, heartbeatd is a new generation and releases what it
finds running before it joins (ownership.h, "Leftovers"), so the returning
node and node2 never both keep the address.

Then node1's heartbeatd restarts and, with auto_failback on, gets the
group back. Times are printed (pytest -s) and asserted only against
generous bounds. The ten-run figures of these times are in
tests/bench/figures_failover.py (not run by CI).
"""
from __future__ import annotations

import datetime
import re
import time

import pytest

from netlab import wait_until
from web_cluster import (VIP, fetch, make_web_node, start_serving_pair, wait_served_by,
                         web_workdir)

DEADTIME = 0.5
SERVE_BOUND = DEADTIME + 1.0 + 1.5  # deadtime + 1 s, plus polling/startup slack


@pytest.fixture
def workdir():
    with web_workdir() as d:
        yield d


@pytest.fixture
def serving(lab, workdir):
    """node1 serving, node2 joined, both past the startup deadtime bump
    (§5.10); every daemon of both stopped at the end."""
    node1 = make_web_node(lab, workdir, "node1")
    node2 = make_web_node(lab, workdir, "node2")
    try:
        start_serving_pair(lab, node1, node2)
        time.sleep(6)
        assert fetch(lab).strip() == "served by node1"
        yield node1, node2
    finally:
        node1.stop_all()
        node2.stop_all()


def test_seed_failover_and_failback(lab, serving):
    node1, node2 = serving
    # Crash of node1's heartbeatd: its lease releases, node2 takes over.
    n2_offset = node2.log_size()
    node1.kill9()
    crash_to_served = wait_served_by(lab, "node2", SERVE_BOUND)
    print(f"\ncrash to served by node2: {crash_to_served * 1000:.0f} ms")
    for line in (f"Taking over resource group {VIP}",
                 f"Acquiring resource group: node1 {VIP} httpsvc",
                 "mach_down takeover complete for node node1."):
        node2.wait_for_log(re.escape(line), 5, start=n2_offset)
    first_step = dead_to_first_step(node2.log(n2_offset))
    print(f"node2: declared dead to first takeover step: {first_step * 1000:.0f} ms")
    # No two holders: node1's ipd removed the VIP when the lease ran out.
    out = lab.run("node1", ["ip", "-4", "-o", "addr", "show"]).stdout
    assert VIP not in out

    # node1's heartbeatd comes back: auto_failback on gives it the group.
    n2_offset = node2.log_size()
    restart = time.monotonic()
    node1.start()
    node2.wait_for_log(r"Releasing resource group: node1 192\.0\.2\.5 httpsvc", 20,
                       start=n2_offset)
    wait_until(lambda: (fetch(lab) or "").strip() == "served by node1", timeout=20,
               interval=0.02, what="failback to node1")
    print(f"restart to served by node1 (failback): {(time.monotonic() - restart) * 1000:.0f} ms")
    out = lab.run("node2", ["ip", "-4", "-o", "addr", "show"]).stdout
    assert VIP not in out


def test_every_vigil_process_killed_and_back_later(lab, serving):
    node1, node2 = serving
    n2_offset = node2.log_size()
    node1.kill9_all()
    crash_to_served = wait_served_by(lab, "node2", SERVE_BOUND)
    print(f"\nall of node1 killed, to served by node2: {crash_to_served * 1000:.0f} ms")
    for line in (f"Taking over resource group {VIP}",
                 "mach_down takeover complete for node node1."):
        node2.wait_for_log(re.escape(line), 5, start=n2_offset)
    # Nobody was left on node1 to remove the address (heartbeat's case
    # on every crash of its daemon; vigil's only when all three die).
    assert node1.vip_present(VIP)

    # node1's three daemons back after the peer declared it dead: a new
    # generation, whose leftovers are released before it joins.
    time.sleep(1)
    n1_offset, n2_offset = node1.log_size(), node2.log_size()
    node1.start_all()
    node1.wait_for_log(re.escape(f"Resource {VIP} is active, and should not be!"), 10,
                       start=n1_offset)
    node1.wait_for_log(re.escape("Leftover resources released."), 10, start=n1_offset)
    # auto_failback on: the group comes home through the standby exchange.
    node2.wait_for_log(re.escape(f"Releasing resource group: node1 {VIP} httpsvc"), 20,
                       start=n2_offset)
    wait_served_by(lab, "node1", 20)
    assert node1.vip_present(VIP)
    assert not node2.vip_present(VIP)
    # The leftovers were gone before node1 took its group again.
    log1 = node1.log(n1_offset)
    assert log1.index("Leftover resources released.") < \
        log1.index(f"Acquiring resource group: node1 {VIP} httpsvc")


STAMP = r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) .*"


def dead_to_first_step(log):
    """Seconds between node2's `node node1: is dead` line and its `Taking
    over resource group` line (the logs' millisecond stamps)."""
    def stamp(text):
        m = re.search(STAMP + re.escape(text), log, re.M)
        assert m, f"no {text!r} in node2's log"
        return datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f")
    return (stamp("Taking over resource group") - stamp("node node1: is dead")).total_seconds()
