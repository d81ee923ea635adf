"""The operator's view of a failover (issue 17), end to end in network
namespaces: node1 serves http://192.0.2.5/ (haresources `node1 192.0.2.5
httpsvc`), node1's heartbeatd is killed with -9, node2 takes over.

`vigilctl events --last-failover` on node2 must then list the takeover
step by step, in order (last heartbeat heard from node1, node1 declared
dead, the takeover, the group acquired, each resource step started and
finished, mach_down complete), and its durations must add up to the outage
the client measured, within one keepalive (when, before the crash, node1
was last heard) plus one probe interval (when, within its polling, the
client saw the page again).
"""
from __future__ import annotations

import json
import time

import pytest

from web_cluster import (VIP, fetch, make_web_node, start_serving_pair, wait_served_by,
                         web_workdir)

KEEPALIVE = 0.1  # vigil_node.ha_cf's default keepalive (100ms)
SERVE_BOUND = 0.5 + 1.0 + 1.5  # deadtime + 1 s, plus polling/startup slack


@pytest.fixture
def serving(lab):
    with web_workdir("vigil-observe-") as workdir:
        node1 = make_web_node(lab, workdir, "node1")
        node2 = make_web_node(lab, workdir, "node2")
        try:
            start_serving_pair(lab, node1, node2)
            time.sleep(6)  # past the start-up deadtime bump (§5.10)
            assert fetch(lab).strip() == "served by node1"
            yield node1, node2
        finally:
            node1.stop_all()
            node2.stop_all()


def outage_seen_by_client(lab, crash, timeout):
    """Polls the page until node2 serves it. Returns (seconds from the crash
    to the first probe that saw node2, the longest time between two probe
    starts)."""
    probes = []
    deadline = crash + timeout
    while time.monotonic() < deadline:
        probes.append(time.monotonic())
        if (fetch(lab) or "").strip() == "served by node2":
            seen = time.monotonic()
            gaps = [b - a for a, b in zip(probes, probes[1:])] or [seen - probes[0]]
            return seen - crash, max(max(gaps), seen - probes[-1])
        time.sleep(0.02)
    raise AssertionError(f"http://{VIP}/ not served by node2 within {timeout}s")


def test_last_failover_timeline_adds_up_to_the_outage(lab, serving):
    node1, node2 = serving
    crash = time.monotonic()
    node1.kill9()
    seen, probe_interval = outage_seen_by_client(lab, crash, SERVE_BOUND)
    node2.wait_for_log("mach_down takeover complete for node node1", 5)

    f = json.loads(node2.vigilctl("events", "--last-failover", "--json").stdout)
    text = node2.vigilctl("events", "--last-failover").stdout
    print(f"\nclient outage {seen * 1000:.0f} ms (probe interval {probe_interval * 1000:.0f} ms)")
    print(text)
    assert f["from_node"] == "node1"
    assert f["cause"] == "dead"
    assert f["complete"] is True

    ids = [e["event"] for e in f["entries"]]
    assert ids[0] == "heartbeat-last-heard"
    assert ids[-1] == "mach-down"
    for earlier, later in (("heartbeat-last-heard", "node-dead"), ("node-dead", "takeover"),
                           ("takeover", "group-acquire"), ("group-acquire", "step-started")):
        assert ids.index(earlier) < ids.index(later), ids
    steps = [(e["event"], e["text"]) for e in f["entries"] if e["event"].startswith("step-")]
    # haresources order: the address, then httpsvc's status and start (§3.4).
    assert steps == [("step-started", f"start {VIP}"), ("step-finished", f"start {VIP}"),
                     ("step-started", "status httpsvc"), ("step-finished", "status httpsvc"),
                     ("step-started", "start httpsvc"), ("step-finished", "start httpsvc")]
    assert [s["outcome"] for s in f["steps"]] == ["ok", "stopped", "ok"]

    # In order, and the durations add up to the total.
    stamps = [e["mono_us"] for e in f["entries"]]
    assert stamps == sorted(stamps)
    assert sum(e["since_previous_us"] for e in f["entries"]) == f["total_us"]
    # Each finished step's own duration lies within the timeline.
    for s in f["steps"]:
        assert 0 <= s["duration_us"] <= f["total_us"]

    total = f["total_us"] / 1e6
    assert abs(total - seen) <= KEEPALIVE + probe_interval, (total, seen, probe_interval)

    # The text form says the same, with the total in its first line.
    first = text.splitlines()[0]
    assert first.startswith("Last failover: resources taken over from node1 (declared dead)")
    assert "to done" in first
    # `vigilctl events` lists the same events among the others.
    listing = node2.vigilctl("events").stdout
    assert "node-dead" in listing and "mach_down takeover complete for node node1." in listing
