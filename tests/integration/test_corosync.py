"""heartbeatd on real corosync 3 (vigil.cf `membership corosync`), three
nodes in network namespaces (corosync_lab.py): membership, node up/down and
message delivery from CPG, quorum from corosync's quorum API.

One run, three faults, one VIP group homed on node1 (auto_failback on),
after a start in the wrong order: node3's heartbeatd starts before its
corosync and waits for it (heartbeatd/io/corosync_start.h).
  1. partition node1 | node2,node3: node1 loses quorum and releases the
     VIP; node2, node1's successor in ha.cf order, serves it within
     token + consensus + the start; node1 never holds it again while cut
     off (the minority never holds a group).
  2. heal: the home node wins, the VIP is back on node1 alone.
  3. `vigilctl standby` on node1: the VIP goes where node1's death would
     send it (node2) and stays there although auto_failback is on;
     `vigilctl takeover failback` brings it home. One holder throughout.
  4. node1 dies (every process killed, its link down): node2 serves again.

And a pair with `two_node: 1`: a node started alone waits for its peer
(wait_for_all) and starts nothing until it has joined.
"""
import json
import time

import pytest

from corosync_lab import CorosyncCluster, vigil_nodes_on
from netlab import wait_until

NODES = ("node1", "node2", "node3")
VIP = "192.0.2.50"
TOKEN_MS = 1000
# corosync.conf(5): consensus = 1.2 x token; token_coefficient adds 650 ms
# per node beyond two. The VIP's start takes a few ms; CI machines are
# slow and shared: a generous margin, never a speed assertion.
DETECT_S = (TOKEN_MS + 650 * (len(NODES) - 2)) * 2.2 / 1000
TAKEOVER_LIMIT_S = DETECT_S + 10

pytestmark = pytest.mark.lab(hosts=NODES, client=False)


def holders(nodes):
    return {name for name, node in nodes.items() if node.vip_present(VIP)}


def quorum_of(node):
    status = json.loads(node.vigilctl("status", "--json").stdout)
    return status["quorum"]


def test_three_nodes_on_corosync(lab, tmp_path):
    cs = CorosyncCluster(lab, tmp_path, NODES, token=TOKEN_MS)
    for name in NODES[:2]:
        cs.start(name)
    for name in NODES[:2]:
        cs.wait_quorate(name)
    nodes = vigil_nodes_on(cs, lab, tmp_path, NODES, f"node1 {VIP}/24/eth1\n")
    nodes["node3"].wait_for_log(r"waiting for corosync", 20)
    cs.start("node3")
    nodes["node3"].wait_for_log(r"corosync: connected", 20)
    for node in nodes.values():
        node.wait_for_log(r"Cluster is quorate", 20)
        # heartbeatd talks to corosync as hacluster, never root
        node.wait_for_log(r"running as user hacluster", 5)
    wait_until(lambda: holders(nodes) == {"node1"}, timeout=30, what="node1 serves the VIP")
    q = quorum_of(nodes["node1"])
    assert q["backend"] == "corosync" and q["quorate"] is True
    assert sorted(q["members"]) == list(NODES)

    # 1. partition node1 | node2 node3
    n1_log = nodes["node1"].log_size()
    cut = time.monotonic()
    for peer in ("node2", "node3"):
        lab.drop("node1", "both", peer=peer)
    wait_until(lambda: "node1" not in holders(nodes), timeout=TAKEOVER_LIMIT_S,
               what="node1 releases the VIP without quorum")
    released = time.monotonic() - cut
    wait_until(lambda: holders(nodes) == {"node2"}, timeout=TAKEOVER_LIMIT_S,
               what="node2 (node1's successor) serves the VIP")
    served = time.monotonic() - cut
    nodes["node1"].wait_for_log(r"No quorum: releasing every resource group", 5, start=n1_log)
    assert quorum_of(nodes["node1"])["quorate"] is False
    assert quorum_of(nodes["node2"])["quorate"] is True
    # The minority never takes it back while cut off; node3 never takes it.
    end = time.monotonic() + 3
    while time.monotonic() < end:
        assert holders(nodes) == {"node2"}, holders(nodes)
        time.sleep(0.1)
    print(f"partition 1|2: node1 released after {released:.2f}s, node2 served after "
          f"{served:.2f}s")

    # 2. heal: back home (auto_failback on), one holder
    lab.undrop("node1")
    healed = time.monotonic()
    while time.monotonic() - healed < 40 and holders(nodes) != {"node1"}:
        assert len(holders(nodes)) <= 1, f"two holders after the heal: {holders(nodes)}"
        time.sleep(0.05)
    assert holders(nodes) == {"node1"}, "the VIP is not back on node1 alone after the heal"
    for node in nodes.values():
        wait_until(lambda node=node: quorum_of(node)["quorate"], timeout=10,
                   what=f"{node.host} quorate after the heal")

    # 3. standby with three nodes: group by group, to node1's successor
    def one_holder_until(want, what):
        end = time.monotonic() + 30
        while time.monotonic() < end and holders(nodes) != want:
            assert len(holders(nodes)) <= 1, f"two holders ({what}): {holders(nodes)}"
            time.sleep(0.05)
        assert holders(nodes) == want, f"{what}: held by {holders(nodes)}"

    nodes["node1"].vigilctl("standby")
    one_holder_until({"node2"}, "standby: node2 serves")
    end = time.monotonic() + 3  # auto_failback does not undo a standby
    while time.monotonic() < end:
        assert holders(nodes) == {"node2"}, holders(nodes)
        time.sleep(0.1)
    nodes["node1"].vigilctl("takeover", "failback")
    one_holder_until({"node1"}, "takeover failback: node1 serves again")

    # 4. node1 dies: its link first (a dead machine answers nothing, and
    # the peers must find out from corosync's token, not from a process
    # exit its corosync would report), then every process
    killed = time.monotonic()
    lab.link_down("node1", "eth1")
    nodes["node1"].kill9_all()
    cs.kill9("node1")
    wait_until(lambda: "node2" in holders(nodes), timeout=TAKEOVER_LIMIT_S,
               what="node2 serves the VIP after node1's death")
    print(f"kill node1 -> served on node2: {time.monotonic() - killed:.2f}s")
    assert holders({k: v for k, v in nodes.items() if k != "node1"}) == {"node2"}


@pytest.mark.lab(hosts=("node1", "node2"), client=False)
def test_two_node_waits_for_all(lab, tmp_path):
    """`two_node: 1` implies wait_for_all (votequorum(5)): a node started
    alone is not quorate until its peer has been seen, so vigil on it
    starts nothing; once the peer joins both are quorate and the group is
    held once, by its home node."""
    pair = ("node1", "node2")
    cs = CorosyncCluster(lab, tmp_path, pair, token=TOKEN_MS, two_node=True)
    cs.start("node1")
    wait_until(lambda: "Quorate:" in cs.quorumtool("node1"), timeout=30,
               what="corosync on node1 answers")
    alone = cs.quorumtool("node1")
    assert not cs.quorate("node1") and "WaitForAll" in alone, alone
    nodes = vigil_nodes_on(cs, lab, tmp_path, pair, f"node1 {VIP}/24/eth1\n", start=("node1",))
    node1 = nodes["node1"]
    # After initdead node2 is dead to it; alone it would take over node2's
    # groups and start its own: quorum says no.
    node1.wait_for_log(r"No quorum: not taking over the resource groups of node2", 60)
    assert quorum_of(node1)["quorate"] is False
    end = time.monotonic() + 2
    while time.monotonic() < end:
        assert not node1.vip_present(VIP), "node1 holds the VIP without its peer"
        time.sleep(0.1)
    assert "Acquiring resource group" not in node1.log()

    cs.start("node2")
    for n in pair:
        cs.wait_quorate(n, timeout=60)
    nodes["node2"].start_all()
    wait_until(lambda: holders(nodes) == {"node1"}, timeout=60,
               what="node1 serves the VIP once its peer joined")
    for node in nodes.values():
        wait_until(lambda node=node: quorum_of(node)["quorate"], timeout=30,
                   what=f"{node.host} quorate with its peer")
    end = time.monotonic() + 2
    while time.monotonic() < end:
        assert holders(nodes) == {"node1"}, holders(nodes)
        time.sleep(0.1)
    assert node1.log().count("Acquiring resource group") == 1, node1.log()[-3000:]
    assert "Acquiring resource group" not in nodes["node2"].log()
