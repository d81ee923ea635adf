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

vigil-exporter, scraped over HTTP from the client during the same kind of
failover, reads heartbeatd's read-only socket: the takeover counter and the
last takeover's duration change; a peer heartbeatd does not admit gets
vigil_up 0, and a standby sent on the read-only socket is refused even from
root.
"""
from __future__ import annotations

import json
import os
import pwd
import re
import time

import pytest

from netlab import wait_until
from vigil_node import VIGILCTL
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
    # `vigilctl status` says so in its first lines.
    glance = node2.vigilctl("status").stdout.splitlines()
    print("\n".join(glance[:6]))
    assert glance[0] == "Health: degraded, 1 problem", glance
    assert glance[1].startswith("  ! node node1 is dead (since "), glance
    assert glance[2] == "Groups:"
    assert glance[3].startswith(f"  {VIP}: held here (node2), running, since "), glance
    # `vigilctl events` lists the same events among the others.
    listing = node2.vigilctl("events").stdout
    assert "node-dead" in listing and "mach_down takeover complete for node node1." in listing


EXPORTER = VIGILCTL.parent.parent / "exporter" / "vigil-exporter"
HACLUSTER_UID = pwd.getpwnam("hacluster").pw_uid
NOBODY = 65534  # nobody / nogroup


def scrape(lab, url):
    r = lab.run("client", ["curl", "-s", "--max-time", "5", url], check=False)
    assert r.returncode == 0, r.stderr
    return r.stdout


def sample(text, series):
    """The value of `series` (name with labels, exactly as written), or None."""
    m = re.search(r"^" + re.escape(series) + r" (\S+)$", text, re.M)
    return float(m.group(1)) if m else None


def start_exporter(lab, node, uid, port):
    """vigil-exporter in node's host, as `uid` with only group nogroup (no
    haclient), reading heartbeatd's read-only socket."""
    argv = ["setpriv", f"--reuid={uid}", f"--regid={NOBODY}", "--clear-groups", str(EXPORTER),
            "--listen", f"{lab.hosts[node.host].addr}:{port}",
            "--status-socket", str(node.runtime_dir / "status.sock")]
    proc = lab.spawn(node.host, argv, log_path=str(node.dir / f"exporter-{port}.log"))
    url = f"http://{lab.hosts[node.host].addr}:{port}/metrics"
    wait_until(lambda: lab.run("client", ["curl", "-s", "--max-time", "1", url],
                               check=False).returncode == 0, timeout=5, what=f"{url} answers")
    return url


def test_exporter_scraped_during_failover_reads_only(lab, serving):
    node1, node2 = serving
    # The package gives status.sock to haclient-ro; here: to nogroup, so the
    # file lets both exporters in and heartbeatd's own check decides.
    status_sock = node2.runtime_dir / "status.sock"
    os.chown(status_sock, 0, NOBODY)
    # heartbeatd's own user: may read (a reader), never command.
    url = start_exporter(lab, node2, HACLUSTER_UID, 9874)
    # Anybody else: refused by heartbeatd on SO_PEERCRED.
    refused_url = start_exporter(lab, node2, NOBODY, 9875)

    before = scrape(lab, url)
    assert sample(before, "vigil_up") == 1
    assert sample(before, 'vigil_takeovers_total{cause="peer_dead"}') == 0
    assert sample(before, 'vigil_node_status{node="node1",status="active"}') == 1
    assert "vigil_last_takeover_duration_seconds" not in before
    refused = scrape(lab, refused_url)
    assert sample(refused, "vigil_up") == 0
    assert "vigil_node_status" not in refused
    node2.wait_for_log(r"control socket: refusing connection from pid \d+ uid 65534", 5)

    # Nobody moves resources through the read-only socket, not even root.
    alias = node2.dir / "ro-alias"
    alias.mkdir()
    (alias / "control.sock").symlink_to(status_sock)
    r = lab.run(node2.host, [str(VIGILCTL), "--runtime-dir", str(alias), "--config-dir",
                             str(node2.config_dir), "--node-name", node2.node_name, "standby"],
                check=False)
    assert r.returncode == 1, r.stdout + r.stderr
    node2.wait_for_log(r"control socket: refusing standby from pid \d+ uid 0", 5)
    assert (fetch(lab) or "").strip() == "served by node1"  # nothing moved

    # The failover shows in the next scrape.
    crash = time.monotonic()
    node1.kill9()
    outage_seen_by_client(lab, crash, SERVE_BOUND)
    node2.wait_for_log("mach_down takeover complete for node node1", 5)
    after = scrape(lab, url)
    print("\n" + after)
    assert sample(after, 'vigil_takeovers_total{cause="peer_dead"}') == 1
    assert sample(after, 'vigil_node_status{node="node1",status="dead"}') == 1
    assert sample(after, 'vigil_group_held{group="192.0.2.5",home_node="node1"}') == 1
    duration = sample(after, 'vigil_last_takeover_duration_seconds{from_node="node1"}')
    assert duration is not None and 0 < duration < SERVE_BOUND
    # The same text as vigilctl metrics, but for vigil_up and the moving parts.
    assert "# TYPE vigil_last_takeover_step_duration_seconds gauge" in after
    assert 'vigil_last_takeover_step_duration_seconds{group="192.0.2.5",step="start httpsvc"}' \
        in after
