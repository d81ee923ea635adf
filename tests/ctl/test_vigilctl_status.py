"""vigilctl status / cl_status / standby against real heartbeatd nodes in
network namespaces, through each node's control socket
(RUNTIME_DIR/control.sock; --runtime-dir points vigilctl at it).

The nodes' directories live in a 0755 directory under /tmp (not pytest's
0700 tmp_path) so that an unprivileged user can reach the socket file and
the daemon's own SO_PEERCRED check is what is tested.
"""
from __future__ import annotations

import json
import os
import pathlib
import shutil
import stat
import tempfile

import pytest

from netlab import wait_until
from vigil_node import BUILD, VigilNode, ha_cf

VIGILCTL = BUILD / "vigilctl" / "vigilctl"


@pytest.fixture
def workdir():
    path = pathlib.Path(tempfile.mkdtemp(prefix="vigil-ctl-"))
    os.chmod(path, 0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def make_nodes(lab, workdir, names):
    nodes = {}
    for name in names:
        text = ha_cf(names, ["bcast eth1"], logfile=str(workdir / f"{name}.ha-log"))
        node = VigilNode(lab, name, workdir, text, haresources="node1 192.0.2.50\n")
        for d in (node.dir, node.runtime_dir):
            os.chmod(d, 0o755)
        nodes[name] = node
    return nodes


def vigilctl(lab, node, *args, user=None, groups=None):
    """Runs vigilctl in node's host; `user`/`groups`: setpriv to that uid,
    primary group and supplementary groups (none when not given)."""
    argv = [str(VIGILCTL), "--runtime-dir", str(node.runtime_dir), *args]
    if user is not None:
        prim = groups[0] if groups else "nogroup"
        extra = ["--groups", ",".join(groups[1:])] if groups and len(groups) > 1 \
            else ["--clear-groups"]
        argv = ["setpriv", "--reuid", user, "--regid", prim, *extra, *argv]
    return lab.run(node.host, argv, check=False, timeout=15)


def status_json(lab, node):
    r = vigilctl(lab, node, "status", "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def both_active(lab, node, peer):
    doc = status_json(lab, node)
    by_name = {n["name"]: n for n in doc["nodes"]}
    p = by_name.get(peer)
    return (doc["local_status"] == "active" and p and p["status"] == "active"
            and any(l["name"] == "eth1" and l["status"] == "up" for l in p["links"]))


def test_status_and_cl_status_follow_membership(lab, workdir):
    nodes = make_nodes(lab, workdir, ["node1", "node2"])
    for n in nodes.values():
        n.start()
    node1 = nodes["node1"]
    wait_until(lambda: os.path.exists(node1.runtime_dir / "control.sock"), 10,
               what="node1's control socket")
    wait_until(lambda: both_active(lab, node1, "node2"), 20, what="node2 active with eth1 up")

    table = vigilctl(lab, node1, "status")
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert any(l.split()[:3] == ["node1", "normal", "active"] for l in lines), table.stdout
    assert any(l.split()[:3] == ["node2", "normal", "active"] and "eth1 up" in l
               for l in lines), table.stdout
    assert any(l.split()[:2] == ["192.0.2.50", "node1"] for l in lines), table.stdout

    doc = status_json(lab, node1)
    for key in ("local_node", "local_status", "rscstatus", "resource_management", "nodes",
                "groups", "counters"):
        assert key in doc, key
    assert doc["local_node"] == "node1"
    assert [n["name"] for n in doc["nodes"]] == ["node1", "node2"]
    assert set(doc["nodes"][1]) == {"name", "type", "status", "links", "config_digest",
                                    "config_matches"}
    # Both nodes load the same haresources and timers (vigilctl(8)).
    assert doc["nodes"][1]["config_matches"] is True
    assert doc["nodes"][1]["config_digest"] == doc["config_digest"]
    assert doc["config_mismatches"] == []
    assert doc["groups"][0]["key"] == "192.0.2.50"
    assert doc["groups"][0]["home_node"] == "node1"
    assert set(doc["groups"][0]) == {"key", "home_node", "owner", "state"}
    for c in ("accepted", "malformed", "unauthenticated", "replay_drops", "lost_packets"):
        assert isinstance(doc["counters"][c], int)
    assert doc["counters"]["accepted"] > 0

    r = vigilctl(lab, node1, "cl_status", "hbstatus")
    assert (r.returncode, r.stdout) == (0, "Heartbeat is running on this machine.\n")
    r = vigilctl(lab, node1, "cl_status", "listnodes")
    assert (r.returncode, r.stdout) == (0, "node1\nnode2\n")
    r = vigilctl(lab, node1, "cl_status", "nodestatus", "node2")
    assert (r.returncode, r.stdout) == (0, "active\n")
    r = vigilctl(lab, node1, "cl_status", "hblinkstatus", "node2", "eth1")
    assert (r.returncode, r.stdout) == (0, "up\n")
    r = vigilctl(lab, node1, "cl_status", "rscstatus")
    assert r.returncode == 0
    assert r.stdout.strip() in ("none", "local", "foreign", "all", "transition")
    r = vigilctl(lab, node1, "cl_status", "nodestatus")
    assert r.returncode == 11

    nodes["node2"].kill9()

    def node2_dead():
        r = vigilctl(lab, node1, "cl_status", "nodestatus", "node2")
        return r if r.stdout == "dead\n" else None

    r = wait_until(node2_dead, 15, what="cl_status nodestatus node2 = dead")
    assert r.returncode == 1

    node1.stop()
    r = vigilctl(lab, node1, "cl_status", "hbstatus")
    assert (r.returncode, r.stdout) == (1, "Heartbeat is stopped on this machine.\n")
    r = vigilctl(lab, node1, "status")
    assert r.returncode == 1
    assert "not running" in r.stderr


def test_only_root_and_haclient_may_use_the_control_socket(lab, workdir):
    nodes = make_nodes(lab, workdir, ["node1", "node2"])
    node1 = nodes["node1"]
    node1.start()
    sock = node1.runtime_dir / "control.sock"
    wait_until(lambda: sock.exists(), 10, what="node1's control socket")
    st = sock.stat()
    assert stat.S_IMODE(st.st_mode) == 0o660
    # Let anybody past the file permissions: heartbeatd's SO_PEERCRED check
    # must refuse on its own.
    os.chmod(sock, 0o666)

    r = vigilctl(lab, node1, "status", user="nobody")
    assert r.returncode == 1, r.stdout
    assert "not permitted" in r.stderr
    r = vigilctl(lab, node1, "standby", "all", user="nobody")
    assert r.returncode == 1
    assert "not permitted" in r.stderr
    r = vigilctl(lab, node1, "cl_status", "hbstatus", user="nobody")
    assert (r.returncode, r.stdout) == (
        0, "Heartbeat is apparently running on this machine, but refuses my connection\n")
    wait_until(lambda: "refusing connection from pid" in node1.log()
               + (workdir / "node1.ha-log").read_text(errors="replace"), 5,
               what="the refusal in node1's log")

    # haclient as the primary group, then as a supplementary group only
    # (read from /proc/<pid>/status by heartbeatd).
    for groups in (["haclient"], ["nogroup", "haclient"]):
        r = vigilctl(lab, node1, "status", user="nobody", groups=groups)
        assert r.returncode == 0, (groups, r.stderr)
        assert "node1" in r.stdout
        r = vigilctl(lab, node1, "standby", user="nobody", groups=groups)
        assert "not permitted" not in r.stderr, (groups, r.stderr)
