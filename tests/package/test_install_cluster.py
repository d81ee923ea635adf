"""Install test, part three: two freshly booted Debian 12 systems, each in a
network namespace of its own with its eth1 plugged into one bridge (a
Switch), install the .deb, run the bundled example configuration adapted to
them (node1 is the home of one VIP, 10.0.0.100 on eth1), form a cluster and
fail over: node1's vigil.target stopped -> node2 holds the VIP; node1 back ->
the VIP goes home (the example sets auto_failback on).

The tests run in file order on the same two machines."""

import time

import pytest

from machine import Machine, Switch

VIP = "10.0.0.100"
SERVICES = ["vigil-heartbeatd.service", "vigil-resourced.service", "vigil-ipd.service"]


def vip_present(machine):
    out = machine.run(["ip", "-o", "-4", "addr", "show", "dev", "eth1"]).stdout
    return f" {VIP}/" in out


def status(machine):
    return machine.unit_property("vigil-heartbeatd.service", "StatusText")


def dump(machine):
    return machine.run(["journalctl", "-u", "vigil-heartbeatd", "-n", "40", "--no-pager"],
                       check=False).stdout


@pytest.fixture(scope="module")
def cluster(deb):
    with Switch() as switch, \
            Machine(deb, "node1", "10.0.0.1", "node2", "10.0.0.2", switch) as node1, \
            Machine(deb, "node2", "10.0.0.2", "node1", "10.0.0.1", switch) as node2:
        for m in (node1, node2):
            m.install_deb()
            m.install_example_config(initdead="6", deadtime="3", keepalive="500ms")
        started = time.monotonic()
        for m in (node1, node2):
            m.run(["systemctl", "start", "vigil.target"], timeout=120)
        yield node1, node2, started


def test_the_two_nodes_see_each_other_active(cluster):
    node1, node2, _ = cluster
    assert node1.wait_for(lambda: "peers: node2 active" in status(node1), timeout=60), \
        status(node1) + "\n" + dump(node1)
    assert node2.wait_for(lambda: "peers: node1 active" in status(node2), timeout=60), \
        status(node2) + "\n" + dump(node2)
    print(f"node1 STATUS={status(node1)}\nnode2 STATUS={status(node2)}")


def test_the_vip_is_held_by_its_home_node_only(cluster):
    node1, node2, started = cluster
    assert node1.wait_for(lambda: vip_present(node1), timeout=60), dump(node1)
    print(f"node1 holds {VIP} {time.monotonic() - started:.1f} s after the start")
    assert node1.wait_for(lambda: status(node1).endswith("groups held: 1 of 1"), timeout=30)
    assert node2.wait_for(lambda: status(node2).endswith("groups held: 0 of 1"), timeout=30)
    assert not vip_present(node2)


def test_stopping_node1_moves_the_vip_to_node2(cluster):
    node1, node2, _ = cluster
    started = time.monotonic()
    node1.run(["systemctl", "stop", "vigil.target"], timeout=300)
    stopped = time.monotonic() - started
    assert not vip_present(node1)
    assert node2.wait_for(lambda: vip_present(node2), timeout=60), dump(node2)
    print(f"failover: `systemctl stop vigil.target` on node1 took {stopped:.1f} s; node2 held "
          f"{VIP} {time.monotonic() - started:.1f} s after the stop began")
    assert node2.wait_for(lambda: "peers: node1 dead" in status(node2), timeout=30), status(node2)
    for service in SERVICES:
        assert node2.unit_property(service, "ActiveState") == "active", service


def test_node1_back_takes_its_group_home(cluster):
    node1, node2, _ = cluster
    started = time.monotonic()
    node1.run(["systemctl", "start", "vigil.target"], timeout=120)
    assert node1.wait_for(lambda: vip_present(node1), timeout=90), \
        dump(node1) + "\n----\n" + dump(node2)
    assert node2.wait_for(lambda: not vip_present(node2), timeout=30)
    print(f"failback: node1 holds {VIP} again {time.monotonic() - started:.1f} s after its start")


def test_node1_powered_off_is_declared_dead_and_node2_takes_over(cluster):
    node1, node2, _ = cluster
    assert node1.wait_for(lambda: "peers: node2 active" in status(node1), timeout=30)
    started = time.monotonic()
    node1.close()  # systemd (PID 1) killed, its network gone: a power cut
    assert node2.wait_for(lambda: vip_present(node2), timeout=60), dump(node2)
    print(f"power cut: node2 held {VIP} {time.monotonic() - started:.1f} s later (deadtime 3 s)")
    assert "peers: node1 dead" in status(node2), status(node2)
    dead = node2.run(["journalctl", "-u", "vigil-heartbeatd", "-o", "cat", "--no-pager",
                      "VIGIL_EVENT=node-dead", "VIGIL_NODE=node1"]).stdout
    assert "node node1: is dead" in dead, dead
