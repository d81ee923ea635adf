"""DRBD's resource fencing through vigil (issue 14) end to end: DRBD's
fence-peer handler (build/vigilctl/drbd-fence-peer, installed as
/usr/libexec/vigil/drbd-fence-peer) on node1 asks node1's heartbeatd, which
asks node2's heartbeatd (a vigil-outdate-peer message), whose resourced
runs `drbdadm outdate r0`; the handler exits with DRBD's fence-peer code.

No DRBD here: each node's resourced is given a stub drbdadm (--drbdadm)
that records its arguments and exits with what the test wrote, and
haresources' drbddisk::r0 is a stub resource script in the node's own
resource.d (the real one promotes DRBD). The handler runs as DRBD runs it:
root, DRBD_RESOURCE and DRBD_PEER in its environment, `-t SECONDS`.

One run, three behaviours:
  1. node2 reachable: node2's stub records `outdate r0`, node1's none; the
     handler exits 4 (peer outdated).
  2. a resource that is no drbddisk entry of haresources: exit 1, nothing run.
  3. node2 cut off: the handler exits 5 (peer unreachable) once node2 is
     declared dead, well before its own timeout; node2's stub ran nothing.
"""
from __future__ import annotations

import os
import re
import time

import pytest

from vigil_node import AUTH_SHA1, BUILD, VigilNode, ha_cf

VIP = "192.0.2.5"
HANDLER = BUILD / "vigilctl" / "drbd-fence-peer"

DRBDADM = """#!/bin/sh
# vigil test stand-in for drbd-utils' drbdadm: records, then exits as told.
echo "$*" >> "{dir}/drbdadm.calls"
exit "$(cat "{dir}/drbdadm.exit" 2>/dev/null || echo 0)"
"""

DRBDDISK = """#!/bin/sh
# vigil test stand-in for heartbeat's resource.d/drbddisk.
state="{dir}/drbddisk.$1"
case "$2" in
start) touch "$state" ;;
stop) rm -f "$state" ;;
status) if [ -e "$state" ]; then echo running; else echo stopped; fi ;;
esac
exit 0
"""


def stub(path, text):
    path.write_text(text)
    os.chmod(path, 0o755)


def fence_peer(lab, node, resource, timeout=5):
    """Runs the handler on `node` as DRBD would; returns (exit code, stderr, seconds)."""
    argv = ["env", f"DRBD_RESOURCE={resource}", "DRBD_PEER=node2", str(HANDLER),
            "--runtime-dir", str(node.runtime_dir), "-t", str(timeout)]
    t = time.monotonic()
    r = lab.run(node.host, argv, check=False, timeout=timeout + 10)
    return r.returncode, r.stderr, time.monotonic() - t


def calls(node):
    p = node.dir / "drbdadm.calls"
    return p.read_text().splitlines() if p.exists() else []


@pytest.mark.lab(hosts=("node1", "node2"), client=False)
def test_fence_peer_outdates_the_peer(lab, tmp_path):
    text = ha_cf(["node1", "node2"], ["bcast eth1"])
    nodes = {h: VigilNode(lab, h, tmp_path, text,
                          haresources=f"node1 drbddisk::r0 {VIP}\n", authkeys=AUTH_SHA1)
             for h in ("node1", "node2")}
    node1, node2 = nodes["node1"], nodes["node2"]
    for n in nodes.values():
        (n.config_dir / "resource.d").mkdir()
        stub(n.config_dir / "resource.d" / "drbddisk", DRBDDISK.format(dir=n.dir))
        stub(n.dir / "drbdadm", DRBDADM.format(dir=n.dir))
    try:
        for n in (node1, node2):
            n.start_all(resourced_args=["--drbdadm", str(n.dir / "drbdadm")])
        node1.wait_for_log(re.escape(f"Acquiring resource group: node1 drbddisk::r0 {VIP}"), 15)
        node2.wait_for_log(r"Status update for node node1: status active", 15)
        node1.wait_for_log(r"Status update for node node2: status (up|active)", 15)

        code, err, took = fence_peer(lab, node1, "r0")
        assert code == 4, err
        assert calls(node2) == ["outdate r0"]
        assert calls(node1) == []
        node2.wait_for_log(re.escape("DRBD fence-peer: node1 asks to outdate r0"), 5)
        print(f"\npeer outdated in {took * 1000:.0f} ms")

        code, err, _ = fence_peer(lab, node1, "r9")
        assert code == 1, err
        assert "not a drbddisk::r9 entry" in err
        assert calls(node2) == ["outdate r0"]

        lab.link_down("node2", "eth1")
        code, err, took = fence_peer(lab, node1, "r0", timeout=20)
        assert code == 5, err
        assert took < 10, f"answered only after {took:.1f} s: the dead peer was not noticed"
        assert calls(node2) == ["outdate r0"]
        print(f"unreachable peer answered in {took:.1f} s")
    finally:
        for n in (node1, node2):
            n.kill9_all()
