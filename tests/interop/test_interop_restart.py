"""A restart of vigil's heartbeatd is invisible to a REAL heartbeat 3.0.6
peer (issue 5, "Restarts are invisible").

node1 = vigil (ipd, resourced, heartbeatd), holding `node1 192.0.2.5
httpsvc` and serving; node2 = Debian's heartbeat 3.0.6 with the same
haresources. While a client probes http://192.0.2.5/ every 10 ms, node1's
heartbeatd is killed with -9 and started again at once: it continues its
generation (no "Heartbeat restart on node node1", §5.8), learns from ipd and
resourced that it holds the group, and carries on. The real peer logs no
node death, no link death and no takeover; no fetch fails; node1's helpers
neither add, remove, start nor stop anything.

Timers: keepalive 200 ms, deadtime 2 s (tests/integration/restart_checks.py).
"""
from __future__ import annotations

import pathlib
import re
import sys
import time

import pytest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "integration"))

from real_heartbeat import RealHeartbeatNode  # noqa: E402
from restart_checks import (DEADTIME, INITDEAD, KEEPALIVE, LogMarks, WARNTIME,  # noqa: E402
                            assert_helpers_did_nothing, generation, httpsvc_pid,
                            wait_helper_log, web_ha_cf)
from vip_probe import VipProbe, describe, outages  # noqa: E402
from web_cluster import HTTPSVC, VIP, make_web_node, wait_served_by, web_workdir  # noqa: E402

AUTH = {
    "crc": "auth 1\n1 crc\n",
    "sha1": "auth 1\n1 sha1 interop-secret\n",
}
HARESOURCES = f"node1 {VIP} httpsvc\n"
# What the real peer prints when it believes node1 died, restarted or must
# be taken over (heartbeat-compat.md §5.8, §6.1, §6.4).
REAL_REACTIONS = re.compile(
    r"node node1: is dead|Heartbeat restart on node node1|returning after partition|"
    r"Link node1:\S+ dead|Taking over resource group|Acquiring resource group|mach_down|"
    r"Releasing resource group|attempted replay attack|failed authentication")


def real_ha_cf():
    # What an admin of a real heartbeat 3.0.6 node writes for v1 mode, with
    # the suite's timers and logs in the node's private /var/log.
    return (f"logfile /var/log/ha-log\nlogfacility none\nuse_logd no\ncrm no\n"
            f"keepalive {KEEPALIVE}\ndeadtime {DEADTIME}\nwarntime {WARNTIME}\n"
            f"initdead {INITDEAD}\nudpport 694\nbcast eth1\nauto_failback on\n"
            f"node node1\nnode node2\n")


@pytest.fixture(params=["crc", "sha1"])
def mixed_pair(lab, request):
    """node1 = vigil, active and serving; node2 = real heartbeat beside it,
    settled; torn down pass or fail."""
    method = request.param
    with web_workdir("vigil-interop-restart-") as workdir:
        vigil = make_web_node(lab, workdir, "node1", ha_cf_text=web_ha_cf(),
                              authkeys=AUTH[method])
        real = RealHeartbeatNode(workdir, lab.ns("node2"), "node2")
        real.write_config(real_ha_cf(), HARESOURCES, AUTH[method])
        real_run = real.dir / "httpsvc-run"
        real_run.mkdir()
        (real.dir / "www").mkdir()
        (real.dir / "www" / "index.html").write_text("served by node2\n")
        real.add_init_script("httpsvc", HTTPSVC.format(vip=VIP, rundir=real_run,
                                                       docroot=real.dir / "www"))
        try:
            vigil.start_all()
            vigil.wait_for_log(r"Acquiring resource group: node1 192\.0\.2\.5 httpsvc", 20)
            wait_served_by(lab, "node1", 20)
            real.boot()
            real.wait_for_log(r"Status update for node node1: status active", 30)
            vigil.wait_for_log(r"Status update for node node2: status active", 30)
            real.wait_for_log(r"Initial resource acquisition complete", 40)
            time.sleep(6)  # past both sides' startup dt bump (§5.10)
            yield lab, vigil, real
        finally:
            vigil.stop_all()
            real.destroy()


def test_heartbeatd_restart_is_invisible_to_a_real_heartbeat_peer(mixed_pair, tmp_path):
    lab, vigil, real = mixed_pair
    generations_before = generation(vigil.log())
    pid_before = httpsvc_pid(vigil)
    with VipProbe(lab, "client", tmp_path / "probe.txt") as probe:
        time.sleep(0.5)
        marks = LogMarks.take(vigil)
        real_offset = len(real.log())
        killed_at = time.monotonic()
        vigil.kill9()
        vigil.start()
        wait_helper_log(vigil, "ipd", r"said Hello", 5, start=marks.ipd)
        wait_helper_log(vigil, "resourced", r"said Hello", 5, start=marks.resourced)
        hello_at = time.monotonic()
        vigil.wait_for_log(r"Resource group 192\.0\.2\.5 found running at start; keeping it", 10,
                           start=marks.heartbeatd)
        vigil.wait_for_log(r"Status update for node node2: status active", 10,
                           start=marks.heartbeatd)
        # Past the real peer's deadtime (and the restarted node's dt bump):
        # a death would have been declared by now.
        time.sleep(2.0 + 2.0 + 2.0)
        probe.stop()

    samples = probe.samples()
    real_text = real.log()[real_offset:]
    print(f"\nkill to both Hellos seen <= {(hello_at - killed_at) * 1000:.0f} ms; "
          f"probe {describe(samples, killed_at - 0.5)}")
    print("the real peer logged meanwhile:\n  " + "\n  ".join(real_text.splitlines()))
    # A lone timed-out fetch between good ones is the loaded test machine,
    # not an outage (vip_probe.is_blip).
    bad = outages(samples, killed_at - 0.5)
    assert not bad, f"outages: {bad[:3]}"
    reactions = [line for line in real_text.splitlines() if REAL_REACTIONS.search(line)]
    assert not reactions, "the real peer reacted:\n" + "\n".join(reactions)
    # A resumed heartbeatd says `active` from its first status: no
    # init/active detour for the peer to log (and run rc.d/status for).
    assert "Status update for node node1" not in real_text, real_text
    assert_helpers_did_nothing(vigil, marks)
    assert httpsvc_pid(vigil) == pid_before
    new_log = vigil.log(marks.heartbeatd)
    assert generation(new_log) == [generations_before[-1]], new_log[-3000:]
    # The real peer still sees node1 active and holding its group.
    out = real.enter(["cl_status", "nodestatus", "node1"], check=False)
    assert out.stdout.strip() == "active", out
    out = lab.run("node2", ["ip", "-4", "-o", "addr", "show"]).stdout
    assert VIP not in out
