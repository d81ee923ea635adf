"""rc.d event scripts and the notify hook during a failover, in network
namespaces (heartbeat-compat.md §6.9; vigil-vigil.cf(5)).

node1 holds `node1 192.0.2.5`; node2 has an rc.d/status and an rc.d/ifstat
script and a notify hook (vigil.cf) that each append what they received
to a file. node2's resourced is killed (-9) before node1's daemons die,
so the node's and its link's deaths happen while nothing can be run;
resourced comes back later and heartbeatd sends them again. Everything is then delivered, nothing twice
out of order: the hook's sequence numbers run 1, 2, 3 ... in event order
and the rc.d scripts saw the same events in the same order, with
heartbeat's HA_* variables.
"""
from __future__ import annotations

import os
import signal
import time

from netlab import wait_until
from vigil_node import RESOURCED, VigilNode, ha_cf

RECORD_RC = 'echo "rc $1 $HA_t src=$HA_src st=$HA_st old=$HA_OSTATUS node=$HA_node ' \
            'if=$HA_ifname host=$HA_CURHOST" >> {out}\n'
RECORD_HOOK = 'echo "hook $VIGIL_EVENT_SEQ $1 src=$HA_src st=$HA_st node=$HA_node ' \
              'if=$HA_ifname" >> {out}\n'


def script(path, body):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body)
    os.chmod(path, 0o755)


def lines(path, prefix):
    if not path.exists():
        return []
    return [line for line in path.read_text().splitlines() if line.startswith(prefix)]


def test_rc_scripts_and_notify_hook_see_a_failover_in_order_across_a_resourced_restart(
        lab, tmp_path):
    text = ha_cf(["node1", "node2"], ["bcast eth1"])
    haresources = "node1 192.0.2.5/24/eth1\n"
    node1 = VigilNode(lab, "node1", tmp_path, text, haresources)
    node2 = VigilNode(lab, "node2", tmp_path, text, haresources)
    out = tmp_path / "record"
    out.write_text("")
    os.chmod(out, 0o666)
    etc = node2.config_dir
    script(etc / "rc.d" / "status", RECORD_RC.format(out=out))
    script(etc / "rc.d" / "ifstat", RECORD_RC.format(out=out))
    script(etc / "notify.d" / "record", RECORD_HOOK.format(out=out))
    (etc / "vigil.cf").write_text("# test\nnotify_hook record\nnotify_retry_max 1\n")
    try:
        node1.start_all()
        node2.start_all()
        node2.wait_for_log(r"Status update for node node1: status active", 15)
        wait_until(lambda: any("st=active" in l for l in lines(out, "hook")), 10,
                   what="the hook saw node1 active")
        assert "rc.d event scripts in" in node2.helper_log("resourced")

        # resourced away, then the failover: heartbeatd keeps the events.
        resourced = node2.helpers["resourced"]
        os.kill(resourced.pid, signal.SIGKILL)
        resourced.wait(timeout=5)
        node1.kill9_all()
        node2.wait_for_log(r"node node1: is dead", 10)
        time.sleep(0.3)
        assert not any("st=dead" in l for l in lines(out, "hook"))

        node2.helpers["resourced"] = lab.spawn(
            "node2", [str(RESOURCED), *node2.common_args(), "--heartbeat-user", "hacluster"],
            log_path=str(node2.helper_log_path("resourced")) + ".2")
        wait_until(lambda: any("status src=node1 st=dead" in l for l in lines(out, "hook")),
                   30, what="the hook saw node1 dead after resourced came back")
        wait_until(lambda: any("ifstat src= st=dead node=node1" in l
                               for l in lines(out, "hook")), 10, what="the hook saw its link die")
        wait_until(lambda: any("rc status status src=node1 st=dead" in l
                               for l in lines(out, "rc")), 10, what="rc.d/status saw it")
    finally:
        node1.stop_all()
        node2.stop_all()

    hook = lines(out, "hook")
    rc = lines(out, "rc")
    print("\n".join(hook + rc))
    seqs = [int(l.split()[1]) for l in hook]
    assert seqs == list(range(1, len(seqs) + 1)), "delivered once each, in order"
    # The hook and the scripts saw the same events in the same order.
    hook_events = [(l.split()[2], l.split()[3], l.split()[4]) for l in hook]
    rc_events = [(l.split()[1], l.split()[3], l.split()[4]) for l in rc]
    scripted = [e for e in hook_events if e[0] in ("status", "ifstat")]
    common = min(len(rc_events), len(scripted))  # either may have run further
    assert rc_events[:common] == scripted[:common]
    # heartbeat's variables: the dead node's old status, this node's name.
    dead = next(l for l in rc if "st=dead" in l and "src=node1" in l)
    assert "old=active" in dead and "host=node2" in dead
    # node1 was active, then dead, and its link died with it (both after).
    active = hook_events.index(("status", "src=node1", "st=active"))
    assert hook_events.index(("status", "src=node1", "st=dead")) > active
    assert any(l.split()[2] == "ifstat" and "st=dead" in l and "node=node1" in l
               for l in hook[active:])
