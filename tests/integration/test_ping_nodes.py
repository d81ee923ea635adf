"""Ping nodes between vigil nodes in network namespaces (heartbeat-compat.md
§8.1): a router host answers ping; heartbeatd, dropped to hacluster with no
capability, probes it over an unprivileged ICMP datagram socket, sees it up
(`status ping`), dead after deadping when node1 <-> router is blocked, and up
again when unblocked; the peer never loses it. vigilctl status shows it.

The router is a plain host on net 1: the kernel answers echo requests, so
nothing runs there. ping_group_range is per network namespace and starts
empty ("1 0") in a new one: each node's namespace opens it to heartbeatd's
group only, as the package does on a host (ping-nodes.md).
"""
from __future__ import annotations

import grp
import json
import time

import pytest

from vigil_node import VigilNode, ha_cf

HEARTBEAT_GROUP = "haclient"  # heartbeatd's group (hacluster's primary group)


def allow_ping(lab, host, gid):
    lab.run(host, ["sysctl", "-q", "-w", f"net.ipv4.ping_group_range={gid} {gid}"])


def make_node(lab, tmp_path, name, router):
    text = ha_cf(["node1", "node2"], ["bcast eth1", f"ping {router}"],
                 logfile=str(tmp_path / f"{name}.ha-log"), extra="deadping 1")
    return VigilNode(lab, name, tmp_path, text)


@pytest.mark.lab(hosts=("node1", "node2", "router"), client=False)
def test_ping_node_up_dead_after_deadping_and_back(lab, tmp_path):
    gid = grp.getgrnam(HEARTBEAT_GROUP).gr_gid
    router = lab.hosts["router"].addr
    nodes = {n: make_node(lab, tmp_path, n, router) for n in ("node1", "node2")}
    for name, node in nodes.items():
        allow_ping(lab, name, gid)
        node.start()
    for node in nodes.values():
        node.wait_for_log(rf"Link {router}:{router} up\.", 10)
        node.wait_for_log(rf"Status update for node {router}: status ping", 1)
        node.wait_for_log(r"Status update for node node\d: status active", 10)

    status = json.loads(nodes["node1"].vigilctl("status", "--json").stdout)
    ping = [n for n in status["nodes"] if n["name"] == router]
    assert ping == [{"name": router, "type": "ping", "status": "ping",
                     "links": [{"name": router, "status": "up"}],
                     "config_digest": None, "config_matches": None}]

    # Block node1 <-> router where the router is: node1's probes go unanswered.
    mark1 = nodes["node1"].log_size()
    mark2 = nodes["node2"].log_size()
    lab.drop("router", "both", peer="node1")
    nodes["node1"].wait_for_log(rf"node {router}: is dead", 5, start=mark1)
    nodes["node1"].wait_for_log(rf"Link {router}:{router} dead\.", 1, start=mark1)
    assert f"node {router}: is dead" not in nodes["node2"].log(mark2)
    table = nodes["node1"].vigilctl("status").stdout
    assert any(line.split()[:3] == [router, "ping", "dead"] for line in table.splitlines()), table

    lab.undrop("router")
    nodes["node1"].wait_for_log(rf"Status update for node {router}: status ping", 5, start=mark1)
    # The heartbeat link never moved: no cluster node was lost.
    for node in nodes.values():
        assert "is dead" not in node.log(mark1 if node is nodes["node1"] else mark2).replace(
            f"node {router}: is dead", "")


@pytest.mark.lab(hosts=("node1", "node2", "router"), client=False)
def test_ping_group_range_without_our_group_is_a_clear_error(lab, tmp_path):
    router = lab.hosts["router"].addr
    node = make_node(lab, tmp_path, "node1", router)
    proc = node.start()  # the new namespace's range is empty: "1 0"
    assert proc.wait(timeout=10) != 0
    node.wait_for_log(r"cannot open an ICMP datagram socket for the ping nodes: .*"
                      r"net\.ipv4\.ping_group_range \(now 1 0", 1)


@pytest.mark.lab(hosts=("node1", "node2", "router"), client=False, ipv6=True)
def test_ping6_and_ping_group_with_one_member_down(lab, tmp_path):
    # ping6 goes out on an ICMPv6 datagram socket (the same sysctl rules
    # it); a ping_group stays up while one of its members answers (§8.1).
    gid = grp.getgrnam(HEARTBEAT_GROUP).gr_gid
    router6 = lab.hosts["router"].addr6
    nobody = "192.0.2.99"  # on the LAN, answered by no host
    text = ha_cf(["node1", "node2"], ["bcast eth1", f"ping6 {router6}",
                                      f"ping_group uplinks {lab.hosts['router'].addr} {nobody}"],
                 logfile=str(tmp_path / "node1.ha-log"), extra="deadping 1")
    node = VigilNode(lab, "node1", tmp_path, text)
    allow_ping(lab, "node1", gid)
    node.start()
    node.wait_for_log(rf"Status update for node {router6}: status ping", 10)
    node.wait_for_log(r"Status update for node uplinks: status ping", 1)
    mark = node.log_size()
    # Without node2, comm comes up when initdead declares it dead; the ping
    # nodes keep answering past deadping.
    node.wait_for_log(r"node node2: is dead", 10)
    time.sleep(1.5)
    assert "uplinks: is dead" not in node.log(mark)
    assert f"{router6}: is dead" not in node.log(mark)
