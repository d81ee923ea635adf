"""The built-in ipfail and the isolated node in network namespaces
(heartbeat-compat.md §8.2; heartbeatd/engine/ipfail.h, isolation.h).

A router host on the LAN answers ping (the kernel does; nothing runs
there). node1 serves the seed's web group (`node1 192.0.2.5 httpsvc`),
both nodes run heartbeat's ha.cf with `ping <router>` and `respawn
hacluster /usr/lib/heartbeat/ipfail`, auto_failback on. One run of each:

1. node1 <-> router blocked (nftables in the router's namespace: node1's
   echo requests go unanswered, the heartbeat link stays up): ipfail moves
   the group to node2, and the client is served by node2.
2. Unblocked: the counts are equal again, auto_failback on: back to node1.
3. Both nodes lose the router: the counts stay equal, nothing moves.
4. node1's only interface cut (pulled cable): node1 has lost node2 and the
   router, knows it is the isolated one and releases the group; node2
   serves. When the cable is back there is one holder at once (sampled).

Times are printed (pytest -s); router-loss figures over several runs are
tests/bench/figures_router_loss.py's job.
"""
from __future__ import annotations

import grp
import re
import time

import pytest

from netlab import wait_until
from vigil_node import ha_cf
from web_cluster import VIP, fetch, make_web_node, start_serving_pair, wait_served_by, web_workdir

HEARTBEAT_GROUP = "haclient"


def ipfail_ha_cf(router):
    return ha_cf(["node1", "node2"], ["bcast eth1", f"ping {router}"],
                 extra="deadping 1\nrespawn hacluster /usr/lib/heartbeat/ipfail")


def make_pair(lab, workdir, text):
    """node1 and node2 with `text` as ha.cf, ICMP open to heartbeatd's group."""
    gid = grp.getgrnam(HEARTBEAT_GROUP).gr_gid
    nodes = {n: make_web_node(lab, workdir, n, text) for n in ("node1", "node2")}
    for name in nodes:
        lab.run(name, ["sysctl", "-q", "-w", f"net.ipv4.ping_group_range={gid} {gid}"])
    return nodes


def served_by(lab):
    return (fetch(lab) or "").strip()


def holders(nodes):
    return [name for name, node in nodes.items() if node.vip_present(VIP)]


@pytest.mark.lab(hosts=("node1", "node2", "router"))
def test_ipfail_moves_on_router_loss_and_isolated_node_releases(lab):
    router = lab.hosts["router"].addr
    with web_workdir("vigil-ipfail-") as workdir:
        nodes = make_pair(lab, workdir, ipfail_ha_cf(router))
        node1, node2 = nodes["node1"], nodes["node2"]
        try:
            start_serving_pair(lab, node1, node2)
            for node in nodes.values():
                node.wait_for_log(rf"Status update for node {re.escape(router)}: status ping", 10)
            # The built-in ipfail is on, and the respawn line no longer warns.
            node1.wait_for_log(r"ipfail: built in, watching 1 ping node\(s\) with node2", 10)
            assert "heartbeat's ipfail is a client" not in node1.log()
            # The two ipfails compared their counts once the later one joined.
            node2.wait_for_log(r"Ping node count is balanced\.", 10)
            time.sleep(1)

            # 1. node1 loses the router only.
            mark1, mark2 = node1.log_size(), node2.log_size()
            t0 = time.monotonic()
            lab.drop("router", "both", peer="node1")
            took = wait_served_by(lab, "node2", 15)
            print(f"\nrouter lost by node1 -> served by node2: {time.monotonic() - t0:.2f} s")
            node1.wait_for_log(r"Giving up because we were told that we have less ping nodes\.",
                               1, start=mark1)
            node2.wait_for_log(r"Telling other node that we have more visible ping nodes\.", 1,
                               start=mark2)
            assert "is dead" not in node2.log(mark2)  # the heartbeat link never moved
            assert took < 15

            # 2. Back: equal counts, auto_failback on: the group goes home.
            mark2 = node2.log_size()
            t0 = time.monotonic()
            lab.undrop("router")
            wait_served_by(lab, "node1", 15)
            print(f"router back -> served by node1: {time.monotonic() - t0:.2f} s")
            node2.wait_for_log(r"Giving up foreign resources \(auto_failback\)\.", 1, start=mark2)

            # 3. Both lose the router: nothing moves.
            wait_until(lambda: holders(nodes) == ["node1"], timeout=5, what="node1 alone holds")
            mark1, mark2 = node1.log_size(), node2.log_size()
            lab.drop("router", "both")
            for node, mark in ((node1, mark1), (node2, mark2)):
                node.wait_for_log(rf"node {re.escape(router)}: is dead", 5, start=mark)
            time.sleep(2)
            assert served_by(lab) == "served by node1"
            assert holders(nodes) == ["node1"]
            for node, mark in ((node1, mark1), (node2, mark2)):
                assert "giveup() called" not in node.log(mark)
            lab.undrop("router")
            for node, mark in ((node1, mark1), (node2, mark2)):
                node.wait_for_log(rf"Status update for node {re.escape(router)}: status ping", 5,
                                  start=mark)
            time.sleep(1)

            # 4. node1's cable pulled: it is the isolated one and releases.
            mark1 = node1.log_size()
            t0 = time.monotonic()
            lab.link_down("node1")
            node1.wait_for_log(r"Isolated: no link to node2 and no ping node answers", 5,
                               start=mark1)
            wait_until(lambda: not node1.vip_present(VIP), timeout=5,
                       what="node1 released the VIP")
            released = time.monotonic() - t0
            wait_until(lambda: node2.vip_present(VIP), timeout=5, what="node2 holds the VIP")
            print(f"cable pulled -> node1 released after {released:.2f} s")
            node1.wait_for_log(r"All resource groups released \(isolated\)\.", 5, start=mark1)

            # The cable is back: never two holders (sampled every 50 ms).
            lab.link_up("node1")
            end = time.monotonic() + 6
            while time.monotonic() < end:
                assert len(holders(nodes)) <= 1, holders(nodes)
                time.sleep(0.05)
            wait_until(lambda: len(holders(nodes)) == 1, timeout=10, what="one holder")
        finally:
            node1.stop_all()
            node2.stop_all()


@pytest.mark.lab(hosts=("node1", "node2", "router", "router2"))
def test_ping_group_with_one_member_lost_moves_nothing(lab):
    """A ping_group is one ping node, up while any member answers (§8.1):
    node1 losing one of its two members changes no count, so ipfail moves
    nothing; losing both is a router loss and the group moves."""
    members = f"{lab.hosts['router'].addr} {lab.hosts['router2'].addr}"
    text = ha_cf(["node1", "node2"], ["bcast eth1", f"ping_group uplinks {members}"],
                 extra="deadping 1\nrespawn hacluster /usr/lib/heartbeat/ipfail")
    with web_workdir("vigil-ipfail-group-") as workdir:
        nodes = make_pair(lab, workdir, text)
        node1, node2 = nodes["node1"], nodes["node2"]
        try:
            start_serving_pair(lab, node1, node2)
            for node in nodes.values():
                node.wait_for_log(r"Status update for node uplinks: status ping", 10)
            node2.wait_for_log(r"Ping node count is balanced\.", 10)
            time.sleep(1)

            mark1, mark2 = node1.log_size(), node2.log_size()
            lab.drop("router2", "both", peer="node1")
            time.sleep(3)  # deadping 1 s, 2 x keepalive, margin
            assert "uplinks: is dead" not in node1.log(mark1)
            for node, mark in ((node1, mark1), (node2, mark2)):
                assert "giveup() called" not in node.log(mark)
            assert served_by(lab) == "served by node1"
            assert holders(nodes) == ["node1"]

            # The other member too: now the group is lost and it moves.
            lab.drop("router", "both", peer="node1")
            node1.wait_for_log(r"node uplinks: is dead", 5, start=mark1)
            wait_served_by(lab, "node2", 15)
            node1.wait_for_log(r"Giving up because we were told that we have less ping nodes\.",
                               1, start=mark1)
        finally:
            node1.stop_all()
            node2.stop_all()
