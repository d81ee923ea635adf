"""rc.d event scripts under vigil against the real heartbeat 3.0.6 as the
oracle (heartbeat-compat.md §6.9): one real node and one vigil node, each
with an rc.d/status that records the HA_* environment it was run with.
Each node sees its peer die once; the two records are compared: vigil
runs the script for the same event (`status`, st=dead) with the same
message variables (HA_t, HA_src, HA_st, HA_OSTATUS) and heartbeat's
HA_CURHOST, and sets no variable heartbeat does not (heartbeat sets more:
every wire field, e.g. HA_seq, HA_ts; they are printed).
"""
from __future__ import annotations

import os
import pathlib
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "integration"))

from mixed_cluster import RealWebNode, VigilWebNode, use_eth0  # noqa: E402
from netlab import wait_until  # noqa: E402
from test_interop_failover import real_workdir  # noqa: E402
from web_cluster import web_workdir  # noqa: E402

# Records the environment once per (src, st); on the real node it then does
# what heartbeat's own rc.d/status does (mach_down on a dead peer).
RECORDER = """#!/bin/sh
env | grep '^HA_' | sort > {out}/status-$HA_src-$HA_st.env.tmp
mv {out}/status-$HA_src-$HA_st.env.tmp {out}/status-$HA_src-$HA_st.env
{tail}"""
REAL_TAIL = 'case $HA_st in dead) /usr/share/heartbeat/mach_down $HA_src;; esac\n'


def install(rc_d, out, tail=""):
    rc_d.mkdir(parents=True, exist_ok=True)
    (rc_d / "status").write_text(RECORDER.format(out=out, tail=tail))
    os.chmod(rc_d / "status", 0o755)


def read_env(path):
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


def test_status_script_of_a_dead_peer_sees_what_heartbeat_gives_it(lab, tmp_path):
    out = tmp_path / "records"
    out.mkdir()
    os.chmod(tmp_path, 0o755)
    os.chmod(out, 0o777)
    use_eth0(lab, "node1", "node2")
    with web_workdir() as webdir, real_workdir() as realdir:
        real = RealWebNode(lab, realdir, "node1")
        vig = VigilWebNode(lab, webdir, "node2")
        try:
            install(real.dir / "etc-ha.d" / "rc.d", out, REAL_TAIL)
            install(vig.node.config_dir / "rc.d", out)
            real.start()
            vig.start()
            vig.wait_for_log(r"Status update for node node1: status active", 40)
            real.wait_for_log(r"Status update for node node2: status active", 40)
            time.sleep(2)

            # node2 (vigil) dies: the real node runs rc.d/status st=dead.
            vig.node.kill9_all()
            wait_until(lambda: (out / "status-node2-dead.env").exists(), 20,
                       what="heartbeat ran rc.d/status for node2's death")

            # node2 back, then node1 (real) dies: vigil runs it.
            mark = len(vig.log())
            vig.start()
            vig.wait_for_log(r"Status update for node node1: status active", 40, start=mark)
            time.sleep(2)
            real.crash()
            wait_until(lambda: (out / "status-node1-dead.env").exists(), 20,
                       what="vigil ran rc.d/status for node1's death")
        finally:
            real.destroy()
            vig.destroy()

    heartbeat = read_env(out / "status-node2-dead.env")
    vigil = read_env(out / "status-node1-dead.env")
    print("\nheartbeat 3.0.6:", heartbeat, "\nvigil:", vigil)
    print("only heartbeat sets:", sorted(set(heartbeat) - set(vigil)))
    assert not set(vigil) - set(heartbeat), "vigil sets no variable heartbeat does not"
    for name in ("HA_t", "HA_st", "HA_OSTATUS"):
        assert vigil.get(name) == heartbeat.get(name), name
    assert heartbeat["HA_src"] == "node2" and vigil["HA_src"] == "node1"
    assert heartbeat["HA_CURHOST"] == "node1" and vigil["HA_CURHOST"] == "node2"
