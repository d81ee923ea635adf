#!/usr/bin/python3
"""The live demo behind packaging/demo.sh: the seed tutorial's two nodes
(node1.example.com, node2.example.com) as network namespaces on one bridge,
running heartbeatd with the tutorial's ha.cf (its timers scaled down to
keepalive 100ms / deadtime 500ms, interfaces and addresses adapted to the
namespaces), haresources `node1.example.com 192.0.2.5 httpd` with httpd a
real LSB script serving a page on the VIP. A client fetches the page; node1's
heartbeatd is killed with -9; node2 takes the VIP and httpd over (the log
lines of the tutorial's takeover excerpt); node1 comes back and gets them
back (auto_failback on). Everything it created is removed at the end.
"""
from __future__ import annotations

import os
import pathlib
import shutil
import signal
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from netlab import Lab, wait_until  # noqa: E402
from web_cluster import HTTPSVC, VIP, fetch  # noqa: E402
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


def show(node: VigilNode, start: int, title: str, keys) -> int:
    print(f"--- {node.host}: {title}")
    for line in node.log(start).splitlines():
        if any(k in line for k in keys):
            print("   ", line)
    return node.log_size()


MEMBERSHIP = ("Link ", "Status update", "Local status", "is dead", "Comm_now_up",
              "Heartbeat restart")
RESOURCES = ("resource group", "Resources being acquired", "mach_down", "STONITH",
             "Shared disks", "standby", "Initial resource acquisition", "Local Resource",
             "is dead", "Link ", "Heartbeat restart")


def make_node(lab, work, host, name, peer_addr):
    node = VigilNode(lab, host, work, seed_ha_cf(peer_addr),
                     haresources=f"{NODES[0]} {VIP} httpd\n",
                     authkeys="auth 1\n1 crc\n", node_name=name)
    docroot = node.dir / "www"
    docroot.mkdir()
    (docroot / "index.html").write_text(f"served by {name}\n")
    # The tutorial's resource is Apache's init script `httpd`; here it is a
    # real LSB script of the same name serving this node's page on the VIP.
    rd = node.config_dir / "resource.d"
    rd.mkdir()
    (rd / "httpd").write_text(HTTPSVC.format(vip=VIP, rundir=node.runtime_dir, docroot=docroot))
    os.chmod(rd / "httpd", 0o755)
    return node


def served_by(lab):
    return (fetch(lab) or "").strip()


def wait_served(lab, name, timeout):
    start = time.monotonic()
    wait_until(lambda: served_by(lab) == f"served by {name}", timeout=timeout, interval=0.02,
               what=f"http://{VIP}/ served by {name}")
    return time.monotonic() - start


def main() -> int:
    work = pathlib.Path(tempfile.mkdtemp(prefix="vigil-demo-"))
    os.chmod(work, 0o755)  # the daemons' runtime dirs must be reachable by hacluster
    try:
        with Lab(hosts=("node1", "node2"), client=True, logdir=str(work)) as lab:
            addr = {h: lab.hosts[h].addr for h in ("node1", "node2")}
            n1 = make_node(lab, work, "node1", NODES[0], addr["node2"])
            n2 = make_node(lab, work, "node2", NODES[1], addr["node1"])

            print("== node1 starts (ipd, resourced, heartbeatd); initdead 2 s")
            n1.start_all()
            wait_served(lab, NODES[0], 20)
            print(f"== client: curl http://{VIP}/ -> {served_by(lab)!r}")
            print("== node2 starts")
            n2.start_all()
            n2.wait_for_log(rf"Status update for node {NODES[0]}: status active", 15)
            off1 = show(n1, 0, "startup", RESOURCES + MEMBERSHIP)
            off2 = show(n2, 0, "startup", MEMBERSHIP)

            time.sleep(5.5)  # past the startup deadtime bump heartbeat also applies
            print(f"== kill -9 of heartbeatd on node1 at {time.strftime('%H:%M:%S')}")
            n1.kill9()
            took = wait_served(lab, NODES[1], 10)
            print(f"== client: {served_by(lab)!r}, {took * 1000:.0f} ms after the kill "
                  f"(deadtime 500 ms; node1's own lease released the VIP first)")
            off2 = show(n2, off2, "takeover", RESOURCES)

            print("== node1's heartbeatd comes back")
            n1.start()
            took = wait_served(lab, NODES[0], 30)
            print(f"== client: {served_by(lab)!r} again, {took * 1000:.0f} ms after the restart "
                  f"(auto_failback on)")
            show(n2, off2, "failback", RESOURCES)
            show(n1, off1, "after its restart", RESOURCES)
    finally:
        for pidfile in work.glob("vigil-*/run/httpsvc.pid"):
            try:
                os.kill(int(pidfile.read_text().strip()), signal.SIGKILL)
            except (ValueError, ProcessLookupError, FileNotFoundError):
                pass
        shutil.rmtree(work, ignore_errors=True)
    print("== every namespace, process and file of the demo is gone")
    return 0


if __name__ == "__main__":
    sys.exit(main())
