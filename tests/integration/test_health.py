"""Resource health (issue 16) end to end: node1 and node2 run the seed's
web cluster (`node1 192.0.2.5 httpsvc`, a real LSB script) with vigil.cf's
health_check on: checks every 1 s, 2 failures in a row confirm one, the
3rd confirmed failure within 60 s gives the group to the peer.

- httpsvc's server killed behind vigil's back on node1 is restarted in
  place; the client's gap is printed (pytest -s). Killed twice more, the
  group moves to node2, the client is served by node2, and node1 does not
  take it back by itself.
- A check that hangs is killed at health_timeout and counts as a failure,
  while heartbeatd keeps answering (vigilctl status) and heartbeating.
- httpsvc broken on both nodes: node1 gives the group up once, node2 keeps
  it and says so once; no ping-pong.
- Maintenance on node2 freezes placement: node1's heartbeatd killed, node2
  does not take the group over (status says NOT TAKEN OVER) until
  `vigilctl maintenance off`, which takes it over at once
  (heartbeatd/ownership/maintenance.cpp).

Times are asserted only against generous bounds; the five-run figures are
tests/bench/figures_health.py (not run by CI).
"""
from __future__ import annotations

import os
import re
import signal
import time

import pytest

from netlab import wait_until
from web_cluster import VIP, fetch, make_web_node, start_serving_pair, wait_served_by, web_workdir

VIGIL_CF = """health_check on
health_interval 1
health_timeout 2
health_start_grace 1
health_fall 2
health_max_failures 3
health_failure_window 60
"""
# fall x interval + timeout + the script's start, plus polling slack.
RESTART_BOUND = 2 * 1 + 2 + 1 + 3
# httpsvc's status, made to hang (HANG file) or to say stopped (BROKEN
# file), as a broken service's check would.
STATUS_HOOK = """  status)
    if [ -e "{dir}/HANG" ]; then echo $$ > "{dir}/hung.pid"; exec sleep 60; fi
    if [ -e "{dir}/BROKEN" ]; then echo "httpsvc is broken"; exit 3; fi
"""


def health_node(lab, workdir, name):
    node = make_web_node(lab, workdir, name)
    (node.config_dir / "vigil.cf").write_text(VIGIL_CF)
    script = node.config_dir / "resource.d" / "httpsvc"
    script.write_text(script.read_text().replace(
        "  status)\n", STATUS_HOOK.format(dir=node.dir), 1))
    return node


def kill_server(node):
    """SIGKILL of node's web server by its pid file: behind vigil's back."""
    pid = int((node.runtime_dir / "httpsvc.pid").read_text().strip())
    os.kill(pid, signal.SIGKILL)
    return pid


def gap_after_kill(lab, node, served_by):
    """Kills node's server; returns seconds from the kill until the client
    is served by `served_by` again."""
    kill_server(node)
    t0 = time.monotonic()
    wait_until(lambda: fetch(lab) is None, timeout=2, interval=0.02, what="the page gone")
    wait_served_by(lab, served_by, RESTART_BOUND + 10)
    return time.monotonic() - t0


@pytest.fixture
def pair(lab):
    with web_workdir("vigil-health-") as workdir:
        node1 = health_node(lab, workdir, "node1")
        node2 = health_node(lab, workdir, "node2")
        try:
            start_serving_pair(lab, node1, node2)
            yield node1, node2
        finally:
            node1.stop_all()
            node2.stop_all()


def test_killed_server_is_restarted_then_moved_and_stays(lab, pair):
    node1, node2 = pair
    node1.wait_for_log(r"Resource group 192\.0\.2\.5|httpsvc", 5)
    time.sleep(2)  # past the start grace: checks running
    gap = gap_after_kill(lab, node1, "node1")
    print(f"\nkill -> served again (restart in place): {gap:.2f} s")
    assert gap < RESTART_BOUND + 3
    node1.wait_for_log(r"Resource httpsvc of group 192\.0\.2\.5 failed .*restarting it in place", 1)
    node1.wait_for_log(r"Resource group 192\.0\.2\.5 restarted in place in \d+ ms", 5)

    time.sleep(2)
    gap2 = gap_after_kill(lab, node1, "node1")
    print(f"kill -> served again (2nd restart): {gap2:.2f} s")
    time.sleep(2)
    gap3 = gap_after_kill(lab, node1, "node2")
    print(f"kill -> served by node2 (move): {gap3:.2f} s")
    node1.wait_for_log(r"giving resource group 192\.0\.2\.5 to the peer", 1)
    # It stays on node2: node1 does not take it back by itself.
    time.sleep(5)
    assert (fetch(lab) or "").strip() == "served by node2"
    assert not node1.vip_present(VIP)
    assert "health-give-up" not in node2.log()


def test_hung_check_is_killed_and_the_loop_goes_on(lab, pair):
    node1, node2 = pair
    time.sleep(2)
    hang = node1.dir / "HANG"
    hang.write_text("")
    start = node1.log_size()
    m, _ = node1.wait_for_log(r"failed its check \(1 of 2 before acting\): check timed out after "
                              r"\d+ ms; its process group was killed", 10, start=start)
    pid = int((node1.dir / "hung.pid").read_text())
    wait_until(lambda: not os.path.exists(f"/proc/{pid}"), timeout=2, what="the hung check gone")
    # While checks hang, heartbeatd answers at once and node2 sees it alive.
    t0 = time.monotonic()
    node1.vigilctl("status")
    assert time.monotonic() - t0 < 2
    hang.unlink()
    node1.wait_for_log(r"Resource httpsvc passes its check again", 10, start=start)
    assert "node1: is dead" not in node2.log()
    assert (fetch(lab) or "").strip() == "served by node1"


def test_broken_on_both_nodes_does_not_ping_pong(lab, pair):
    node1, node2 = pair
    time.sleep(2)
    (node1.dir / "BROKEN").write_text("")
    (node2.dir / "BROKEN").write_text("")
    node1.wait_for_log(r"giving resource group 192\.0\.2\.5 to the peer", 30)
    wait_served_by(lab, "node2", 15)
    node2.wait_for_log(r"stays on this node and is restarted in place", 60)
    node1.wait_for_log(r"standby message \[me\] from node2 not answered", 5)
    time.sleep(3)
    assert len(re.findall("giving resource group", node1.log())) == 1
    assert len(re.findall("giving resource group", node2.log())) <= 1
    assert len(re.findall("stays on this node", node2.log())) == 1
    # node2 keeps the group (its broken httpsvc is restarted in place over
    # and over, so the page itself comes and goes): the VIP stays there.
    assert node2.vip_present(VIP) and not node1.vip_present(VIP)


def test_maintenance_keeps_a_dead_peers_group_until_it_is_off(lab, pair):
    node1, node2 = pair
    time.sleep(5)  # past the start-up deadtime bump (§5.10)
    node2.vigilctl("maintenance", "on")
    start = node2.log_size()
    node1.kill9()  # its helpers release the group when their lease runs out
    node2.wait_for_log(r"node node1: is dead", 10, start=start)
    node2.wait_for_log(r"Resource group 192\.0\.2\.5 of dead node node1 NOT taken over", 5,
                       start=start)
    wait_until(lambda: not node1.vip_present(VIP), timeout=5, what="node1's lease released")
    time.sleep(2)
    assert not node2.vip_present(VIP)
    status = node2.vigilctl("status").stdout
    assert "*** MAINTENANCE ON for every group" in status
    assert "NOT TAKEN OVER: group 192.0.2.5 of dead node node1" in status

    t0 = time.monotonic()
    node2.vigilctl("maintenance", "off")
    wait_served_by(lab, "node2", 15)
    print(f"\nmaintenance off -> served by node2: {time.monotonic() - t0:.2f} s")
    node2.wait_for_log(r"Maintenance off: taking over what node1 held when it died\.", 1,
                       start=start)
    assert "NOT TAKEN OVER" not in node2.vigilctl("status").stdout
