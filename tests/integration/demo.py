#!/usr/bin/python3
"""The live demo behind packaging/demo.sh: the seed tutorial's two nodes
(node1.example.com, node2.example.com) as network namespaces on one bridge,
running heartbeatd with the tutorial's ha.cf (its timers scaled down to
keepalive 100ms / deadtime 500ms, interfaces and addresses adapted to the
namespaces). Shows both nodes coming up, kills node1 with -9, shows node2
declaring it dead with timestamps, brings node1 back, then removes
everything it created.
"""
from __future__ import annotations

import pathlib
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from netlab import Lab  # noqa: E402
from vigil_node import VigilNode  # noqa: E402

NODES = ("node1.example.com", "node2.example.com")


def seed_ha_cf(peer_addr: str) -> str:
    # The tutorial's ha.cf, line for line, with its timers scaled down.
    return f"""logfacility local0 #Facility to use for syslog/logger
keepalive 100ms # the time between the heartbeats (tutorial: 2)
deadtime 500ms #how long until the host is declared dead (tutorial: 30)
warntime 300ms #how long before issuing "late heartbeat" warning (tutorial: 10)
initdead 2 # Very first dead time (initdead) (tutorial: 120)
udpport 694 #udp port for the bcast/ucast communication
bcast eth1 #on what interface to broadcast
ucast eth1 {peer_addr} #this is a 2-node cluster, so no need to use multicast here
auto_failback on #we want the resources to automatically fail back to its primary node
node {NODES[0]} #the name of the first node
node {NODES[1]} #the name of the second node
"""


def show(node: VigilNode, start: int, t0: float, title: str) -> int:
    text = node.log(start)
    print(f"--- {node.host}: {title}")
    for line in text.splitlines():
        if any(k in line for k in ("Link ", "Status update", "Local status", "is dead",
                                   "Comm_now_up", "generation", "Heartbeat restart")):
            print("   ", line)
    return node.log_size()


def main() -> int:
    work = pathlib.Path(tempfile.mkdtemp(prefix="vigil-demo-"))
    with Lab(hosts=("node1", "node2"), client=True, logdir=str(work)) as lab:
        addr = {"node1": lab.hosts["node1"].addr, "node2": lab.hosts["node2"].addr}
        nodes = {}
        for host, name, peer in (("node1", NODES[0], "node2"), ("node2", NODES[1], "node1")):
            nodes[host] = VigilNode(lab, host, work, seed_ha_cf(addr[peer]),
                                    haresources=f"{NODES[0]} 192.0.2.5 httpd\n",
                                    authkeys="auth 1\n1 crc\n", node_name=name)
        t0 = time.monotonic()
        for n in nodes.values():
            n.start()
        print("== node1 and node2 start (initdead 2 s)")
        nodes["node2"].wait_for_log(rf"Status update for node {NODES[0]}: status active", 15)
        nodes["node1"].wait_for_log(rf"Status update for node {NODES[1]}: status active", 15)
        off1 = show(nodes["node1"], 0, t0, "startup")
        off2 = show(nodes["node2"], 0, t0, "startup")

        time.sleep(5.5)  # past the startup deadtime bump heartbeat also applies
        print(f"== kill -9 of heartbeatd on node1 at {time.strftime('%H:%M:%S')}")
        killed = time.monotonic()
        nodes["node1"].kill9()
        _, seen = nodes["node2"].wait_for_log(rf"node {NODES[0]}: is dead", 5, start=off2)
        print(f"== node2 declared node1 dead {1000 * (seen - killed):.0f} ms after the kill "
              f"(deadtime 500 ms)")
        off2 = show(nodes["node2"], off2, t0, "after the kill")

        print("== node1 comes back")
        nodes["node1"].start()
        nodes["node2"].wait_for_log(rf"Status update for node {NODES[0]}: status active", 15,
                                    start=off2)
        show(nodes["node2"], off2, t0, "node1 returns")
        show(nodes["node1"], off1, t0, "node1 after its restart")
    print("== every namespace and process of the demo is gone")
    return 0


if __name__ == "__main__":
    sys.exit(main())
