"""Install test, corosync underneath (vigil.cf `membership corosync`): one
freshly booted Debian 12 system runs Debian's corosync as its own service,
then the .deb is installed beside it, as a user adds vigil to a corosync
node. What only the installed package can show:

  * the package's /etc/corosync/uidgid.d/vigil lets heartbeatd, user
    hacluster under its hardened unit (no capabilities, PrivateIPC,
    PrivateDevices, a system-call filter), into corosync's IPC, and the
    postinst makes the running corosync read it;
  * quorum guards resources under systemd: corosync's nodelist names this
    node and a node2 that never comes, so it has 1 vote of 2 expected and
    no quorum: vigil starts nothing. `corosync-quorumtool -e 1` gives it
    quorum: the VIP is served;
  * a restart of corosync.service (as an upgrade of corosync does): heartbeatd
    exits, systemd starts it again, it waits for corosync, and corosync back
    with 1 vote of 2 means no quorum: the VIP is released and stays so.
    Quorum given again, it is served again: heartbeatd did not run into
    systemd's start limit.

corosync runs without realtime scheduling (`sched_rr: no`) on the shared
cores. The tests run in file order on the same machine."""

import time

import pytest

from machine import Machine

VIP = "10.0.0.100"

COROSYNC_CONF = """\
totem {
  version: 2
  cluster_name: vigilpkg
  transport: knet
  token: 1000
  crypto_cipher: none
  crypto_hash: none
}
nodelist {
  node {
    name: node1
    nodeid: 1
    ring0_addr: 10.0.0.1
  }
  node {
    name: node2
    nodeid: 2
    ring0_addr: 10.0.0.2
  }
}
quorum {
  provider: corosync_votequorum
}
logging {
  to_syslog: yes
  to_logfile: no
}
system {
  sched_rr: no
}
"""


def vip_present(machine):
    out = machine.run(["ip", "-o", "-4", "addr", "show", "dev", "eth1"]).stdout
    return f" {VIP}/" in out


def journal(machine, unit):
    return machine.run(["journalctl", "-u", unit, "-o", "cat", "--no-pager"],
                       check=False).stdout


def quorate(machine):
    out = machine.run(["corosync-quorumtool", "-s"], check=False).stdout
    return any(line.split()[:1] == ["Quorate:"] and line.split()[-1] == "Yes"
               for line in out.splitlines())


def status(machine):
    return machine.run(["vigilctl", "status"], check=False).stdout


def answers(machine):
    return "Quorate:" in machine.run(["corosync-quorumtool", "-s"], check=False).stdout


def since(machine):
    return machine.run(["date", "+%Y-%m-%d %H:%M:%S"]).stdout.strip()


def heartbeatd_log(machine, start=None):
    args = ["--since", start] if start else []
    return machine.run(["journalctl", "-u", "vigil-heartbeatd", "-o", "cat", "--no-pager",
                        *args], check=False).stdout


def no_vip_for(machine, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        assert not vip_present(machine), heartbeatd_log(machine)
        time.sleep(0.2)


@pytest.fixture(scope="module")
def machine(deb):
    with Machine(deb, debian_packages=("corosync",)) as m:
        # Masked while it is installed, so that its postinst does not start
        # it on Debian's example configuration (realtime scheduling).
        m.run(["systemctl", "mask", "corosync.service"])
        m.install_debian("corosync")
        m.sh(f"cat > /etc/corosync/corosync.conf <<'EOF'\n{COROSYNC_CONF}EOF\n")
        m.run(["systemctl", "unmask", "corosync.service"])
        m.run(["systemctl", "start", "corosync.service"], timeout=120)
        assert m.wait_for(lambda: answers(m), timeout=60), journal(m, "corosync")
        m.install_deb()
        m.install_example_config(initdead="4", deadtime="2", keepalive="500ms")
        m.sh("echo 'membership corosync' > /etc/ha.d/vigil.cf")
        m.run(["systemctl", "start", "vigil.target"], timeout=120)
        yield m


def test_heartbeatd_joins_corosync_as_hacluster_and_starts_nothing_without_quorum(machine):
    m = machine
    assert not quorate(m)
    assert m.wait_for(lambda: "Cluster is not quorate." in heartbeatd_log(m), timeout=60), \
        heartbeatd_log(m) + journal(m, "corosync")
    # After initdead node2 is dead: neither its groups nor our own start.
    assert m.wait_for(lambda: "No quorum: not " in heartbeatd_log(m), timeout=60), \
        heartbeatd_log(m)
    no_vip_for(m, 3)
    log = heartbeatd_log(m)
    assert "Acquiring resource group" not in log, log
    assert "without capabilities" in log, log
    pid = m.unit_property("vigil-heartbeatd.service", "MainPID")
    assert m.run(["ps", "-o", "user=", "-p", pid]).stdout.strip() == "hacluster"
    assert "Membership: corosync, NOT QUORATE" in status(m), status(m)
    assert "no quorum" in status(m), status(m)
    # corosync let it in through the package's uidgid.d.
    assert "Denied connection attempt" not in journal(m, "corosync")


def test_quorum_given_serves_the_vip(machine):
    m = machine
    given = time.monotonic()
    m.run(["corosync-quorumtool", "-e", "1"])
    assert m.wait_for(lambda: quorate(m), timeout=30), journal(m, "corosync")
    assert m.wait_for(lambda: vip_present(m), timeout=60), heartbeatd_log(m)
    print(f"quorum given -> VIP served: {time.monotonic() - given:.1f} s")
    assert "Cluster is quorate." in heartbeatd_log(m)
    assert "Membership: corosync, quorate; members: node1" in status(m), status(m)


def test_a_corosync_restart_without_quorum_releases_and_heartbeatd_comes_back(machine):
    m = machine
    start = since(m)
    first_pid = m.unit_property("vigil-heartbeatd.service", "MainPID")
    restarted = time.monotonic()
    m.run(["systemctl", "restart", "corosync.service"], timeout=120)
    assert m.wait_for(lambda: answers(m), timeout=60), journal(m, "corosync")
    assert not quorate(m)  # 1 vote of 2 again, from corosync.conf
    assert m.wait_for(lambda: not vip_present(m), timeout=30), heartbeatd_log(m, start)
    print(f"corosync restarted -> VIP released: {time.monotonic() - restarted:.1f} s")
    # systemd started heartbeatd again, and it is in corosync's group again.
    assert m.wait_for(
        lambda: m.unit_property("vigil-heartbeatd.service", "ActiveState") == "active"
        and m.unit_property("vigil-heartbeatd.service", "MainPID") not in ("0", first_pid),
        timeout=60), heartbeatd_log(m, start)
    assert m.wait_for(lambda: "Cluster is not quorate." in heartbeatd_log(m, start),
                      timeout=60), heartbeatd_log(m, start)
    no_vip_for(m, 5)
    assert "NOT QUORATE" in status(m), status(m)

    given = time.monotonic()
    m.run(["corosync-quorumtool", "-e", "1"])
    assert m.wait_for(lambda: vip_present(m), timeout=60), heartbeatd_log(m, start)
    print(f"quorum given again -> VIP served: {time.monotonic() - given:.1f} s")
