"""Self-test of netlab: the lab builds hosts that reach each other, keeps
networks apart, cuts links and drops packets, and leaves nothing behind."""
import pathlib
import re
import signal
import subprocess
import sys

import pytest

import netlab


def ping(lab, host, addr, count=1):
    if ":" in addr:  # inetutils ping6 has no sub-second interval
        argv = ["ping6", "-c", str(count), "-w", "2", "-q", addr]
    else:
        argv = ["ping", "-c", str(count), "-i", "0.2", "-W", "1", "-q", addr]
    return lab.run(host, argv, check=False).returncode == 0


def test_hosts_on_one_bridge_reach_each_other(lab):
    assert ping(lab, "node1", lab.hosts["node2"].addr)
    assert ping(lab, "client", lab.hosts["node1"].addr)
    assert lab.hosts["node1"].addr == "192.0.2.1"
    assert lab.hosts["client"].addr == "192.0.2.100"


def test_a_host_has_no_route_out(lab):
    routes = lab.run("node1", ["ip", "route", "show", "table", "all"]).stdout
    assert "default" not in routes
    assert not ping(lab, "node1", "8.8.8.8")


def test_a_host_on_another_bridge_is_unreachable(lab):
    lab.add_host("node3", nets={"eth1": 3})
    assert lab.hosts["node3"].addr == "203.0.113.3"
    # Same subnet address on the other bridge: ARP goes unanswered.
    lab.run("node3", ["ip", "addr", "add", "192.0.2.3/24", "dev", "eth1"])
    assert not ping(lab, "node1", "192.0.2.3")


def test_link_down_cuts_and_link_up_restores(lab):
    peer = lab.hosts["node2"].addr
    lab.link_down("node1", "eth1")
    assert not ping(lab, "node1", peer)
    lab.link_up("node1", "eth1")
    netlab.wait_until(lambda: ping(lab, "node1", peer), timeout=5,
                      what="link back")


def test_one_way_drop_blocks_only_that_direction(lab):
    n2 = lab.hosts["node2"].addr
    lab.drop("node1", "in", peer="node2")
    assert not ping(lab, "node1", n2)  # replies from node2 dropped
    out = lab.run("node1", ["nft", "list", "table", "inet", "vglab"]).stdout
    assert "192.0.2.2" in out
    lab.undrop("node1")
    assert ping(lab, "node1", n2)


def test_random_loss_drops_some_but_not_all(lab):
    lab.drop("node2", "in", loss=50)
    r = lab.run("node1", ["ping", "-c", "40", "-i", "0.01", "-W", "1", "-q",
                          lab.hosts["node2"].addr], check=False)
    # "40 packets transmitted, N [packets ]received" (iputils or inetutils)
    received = int(re.search(r"(\d+) (?:packets )?received", r.stdout)[1])
    assert 0 < received < 40


@pytest.mark.lab(hosts=("node1", "node2"), client=False, second_net=True,
                 ipv6=True)
def test_second_net_and_ipv6(lab):
    n2 = lab.hosts["node2"]
    assert n2.ifaces["eth2"].addr == "198.51.100.2"
    assert ping(lab, "node1", n2.ifaces["eth2"].addr)
    assert ping(lab, "node1", n2.addr6)
    lab.link_down("node1", "eth1")
    assert ping(lab, "node1", n2.ifaces["eth2"].addr)
    assert "client" not in lab.hosts


def test_spawned_processes_and_namespaces_are_gone_after_close(tmp_path):
    with netlab.Lab(logdir=str(tmp_path)) as lab:
        prefix = lab.prefix
        p = lab.spawn("node1", ["sleep", "300"])
        assert len(netlab.lab_namespaces(prefix + "-")) == 4  # sw + 3 hosts
    assert p.poll() is not None
    assert netlab.lab_namespaces(prefix + "-") == []


def test_namespaces_are_gone_when_the_test_body_fails(tmp_path):
    prefix = None
    with pytest.raises(RuntimeError):
        with netlab.Lab(logdir=str(tmp_path)) as lab:
            prefix = lab.prefix
            raise RuntimeError("test failed")
    assert netlab.lab_namespaces(prefix + "-") == []


def test_sigterm_unwinds_and_removes_the_namespaces(tmp_path):
    # meson's timeout sends SIGTERM; without unwind_on_sigterm() Python dies
    # on it without running the `with` block's end.
    child = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; sys.path.insert(0, sys.argv[1]); import netlab\n"
         "netlab.unwind_on_sigterm()\n"
         "with netlab.Lab(logdir=sys.argv[2]) as lab:\n"
         "    print(lab.prefix, flush=True); time.sleep(300)\n",
         str(pathlib.Path(netlab.__file__).parent), str(tmp_path)],
        stdout=subprocess.PIPE, text=True)
    try:
        prefix = child.stdout.readline().strip()
        assert len(netlab.lab_namespaces(prefix + "-")) == 4
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=60) == 128 + signal.SIGTERM
        assert netlab.lab_namespaces(prefix + "-") == []
    finally:  # if it did not unwind, its namespaces are a dead run's now
        child.kill()
        child.wait()
        netlab.remove_dead_runs_namespaces()


def test_a_killed_runs_namespaces_go_at_the_next_start_a_live_runs_stay():
    run = subprocess.Popen(["sleep", "300"])  # stands for a run's process
    name = f"vgpkg{run.pid}-sw"
    subprocess.run(["ip", "netns", "add", name], check=True)
    try:
        assert name not in netlab.remove_dead_runs_namespaces()
        assert netlab.lab_namespaces(name) == [name]
        run.kill()  # SIGKILL: nothing of it can unwind
        run.wait()
        assert name in netlab.remove_dead_runs_namespaces()
        assert netlab.lab_namespaces(name) == []
    finally:
        run.kill()
        subprocess.run(["ip", "netns", "del", name], check=False, capture_output=True)


def test_capture_sees_packets(lab):
    with lab.capture("node2", "eth1", "icmp") as cap:
        ping(lab, "node1", lab.hosts["node2"].addr)
    assert any("ICMP echo request" in line for line in cap.packets())


def test_a_failing_command_raises(lab):
    with pytest.raises(subprocess.CalledProcessError):
        lab.run("node1", ["false"])


def test_an_isolated_process_has_its_own_pid_namespace_and_hostname(lab):
    p = lab.spawn("node1", ["/bin/sh", "-c", "echo pid=$$; hostname; sleep 60"],
                  hostname="node1")
    netlab.wait_until(lambda: "node1" in open(p.log_path).read(), timeout=5,
                      what="isolated shell")
    text = open(p.log_path).read()
    assert "pid=1\n" in text
    assert "node1\n" in text
    lab.stop(p)
    assert p.poll() is not None
