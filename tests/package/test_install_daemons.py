"""Install test, part two: the daemons under their real units, on a freshly
booted Debian 12. These checks EXPECT THE DAEMONS' SYSTEMD SUPPORT: each
daemon calls sd_notify (READY=1, WATCHDOG=1, STATUS=<node state>) through
common/systemd_notify.h, takes its sockets from systemd (LISTEN_FDS), reads
authkeys from $CREDENTIALS_DIRECTORY, and logs to the journal with the VIGIL_*
fields. Until that lands they fail (they are not skipped), which is why they
are registered as a test of their own ('package-install-daemons').

The node is alone (its peer node2 never answers), so after initdead it
takes the example's resource group: one VIP, 10.0.0.100 on eth1."""

import json
import subprocess
import time

import pytest

from machine import HOSTNAME, Machine

SERVICES = ["vigil-heartbeatd.service", "vigil-resourced.service", "vigil-ipd.service"]
UNITS = SERVICES + ["vigil.target", "vigil-heartbeatd.socket", "vigil-heartbeatd-udp.socket",
                    "vigil-resourced.socket", "vigil-ipd.socket"]
VIP = "10.0.0.100"


def running(machine, unit):
    return (machine.unit_property(unit, "ActiveState") == "active"
            and machine.unit_property(unit, "SubState") == "running")


def vip_present(machine):
    out = machine.run(["ip", "-o", "-4", "addr", "show", "dev", "eth1"]).stdout
    return f" {VIP}/" in out


@pytest.fixture(scope="module")
def machine(deb):
    with Machine(deb) as m:
        m.install_deb()
        m.install_example_config()
        m.run(["systemctl", "start", "vigil.target"], timeout=120)
        yield m


@pytest.mark.parametrize("service", SERVICES)
def test_service_reports_ready_and_stays_up(machine, service):
    # Type=notify: "active (running)" is reached only after READY=1.
    assert machine.wait_for(lambda: running(machine, service), timeout=30), \
        machine.run(["systemctl", "status", "--no-pager", service], check=False).stdout
    time.sleep(3)
    assert running(machine, service)
    assert machine.unit_property(service, "NRestarts") == "0"


@pytest.mark.parametrize("service", SERVICES)
def test_service_publishes_a_status_line(machine, service):
    assert machine.wait_for(lambda: machine.unit_property(service, "StatusText") != "",
                            timeout=30)


def test_heartbeatd_status_names_the_node_state(machine):
    status = machine.unit_property("vigil-heartbeatd.service", "StatusText").lower()
    assert any(word in status for word in ("active", "up", "init", "standby", "dead")), status


def test_journal_shows_startup_lines_with_structured_fields(machine):
    out = machine.run(["journalctl", "-u", "vigil-heartbeatd", "-o", "json",
                       "--no-pager"]).stdout
    entries = [json.loads(line) for line in out.splitlines() if line.strip()]
    ours = [e for e in entries if e.get("VIGIL_NODE") == HOSTNAME]
    assert ours, "no entry carries VIGIL_NODE=" + HOSTNAME
    assert any("VIGIL_EVENT" in e and "MESSAGE_ID" in e for e in ours)


def test_journal_reads_like_heartbeats_ha_log(machine):
    out = machine.run(["journalctl", "-u", "vigil-heartbeatd", "-o", "short",
                       "--no-pager"]).stdout
    assert f" {HOSTNAME} heartbeat[" in out, out[-2000:]


def test_classic_logfile_is_written_when_ha_cf_asks_for_it(machine):
    # The example ha.cf says `logfile /var/log/ha-log`.
    assert machine.wait_for(
        lambda: "heartbeat: [" in machine.run(["cat", "/var/log/ha-log"]).stdout, timeout=30)


def test_heartbeatd_runs_as_hacluster_without_capabilities(machine):
    pid = machine.unit_property("vigil-heartbeatd.service", "MainPID")
    status = machine.run(["cat", f"/proc/{pid}/status"]).stdout
    uid = machine.run(["id", "-u", "hacluster"]).stdout.strip()
    assert f"Uid:\t{uid}\t{uid}\t{uid}\t{uid}" in status
    assert "CapEff:\t0000000000000000" in status


def test_alone_the_node_takes_the_vip_after_initdead(machine):
    assert machine.wait_for(lambda: vip_present(machine), timeout=30)


def test_restarting_ipd_leaves_the_vip_up(machine):
    assert machine.wait_for(lambda: vip_present(machine), timeout=30)
    monitor = subprocess.Popen(
        ["nsenter", "-t", str(machine.pid), "-a", "-r", "-w", "ip", "-o", "monitor", "address"],
        stdout=subprocess.PIPE, text=True)
    try:
        time.sleep(0.5)
        machine.run(["systemctl", "restart", "vigil-ipd"], timeout=60)
        assert machine.wait_for(lambda: running(machine, "vigil-ipd.service"), timeout=30)
        time.sleep(2)
    finally:
        monitor.terminate()
        events = monitor.communicate(timeout=10)[0]
    deleted = [line for line in events.splitlines() if line.startswith("Deleted") and VIP in line]
    assert not deleted, deleted
    assert vip_present(machine)


def test_killed_ipd_is_restarted_automatically(machine):
    before = machine.unit_property("vigil-ipd.service", "MainPID")
    restarts = int(machine.unit_property("vigil-ipd.service", "NRestarts"))
    machine.run(["systemctl", "kill", "-s", "KILL", "vigil-ipd"])
    assert machine.wait_for(
        lambda: running(machine, "vigil-ipd.service")
        and machine.unit_property("vigil-ipd.service", "MainPID") not in ("0", before),
        timeout=30)
    assert int(machine.unit_property("vigil-ipd.service", "NRestarts")) == restarts + 1


def test_stopping_the_target_stops_everything_and_releases_the_vip(machine):
    machine.run(["systemctl", "stop", "vigil.target"], timeout=600)
    for unit in UNITS:
        assert machine.unit_property(unit, "ActiveState") == "inactive", unit
    assert not vip_present(machine)
