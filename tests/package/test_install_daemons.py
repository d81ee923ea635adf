"""Install test, part two: the daemons under their real units, on a freshly
booted Debian 12. Each daemon calls sd_notify (READY=1, WATCHDOG=1,
STATUS=<state>) through common/systemd_notify.h, takes its sockets from
systemd (LISTEN_FDS), heartbeatd reads authkeys from $CREDENTIALS_DIRECTORY,
and every daemon logs to the journal with the VIGIL_* fields and the
MESSAGE_IDs of packaging/journal/vigil.catalog.

The node is alone (its peer node2 never answers), so after initdead it
takes the example's resource group: one VIP, 10.0.0.100 on eth1.

The tests run in file order on one machine."""

import json
import pathlib
import re
import subprocess
import time

import pytest

from conftest import SOURCE_ROOT
from machine import HOSTNAME, Machine

SERVICES = ["vigil-heartbeatd.service", "vigil-resourced.service", "vigil-ipd.service"]
UNITS = SERVICES + ["vigil.target", "vigil-heartbeatd.socket", "vigil-heartbeatd-udp.socket",
                    "vigil-resourced.socket", "vigil-ipd.socket"]
VIP = "10.0.0.100"
HA_LOG = "/var/log/ha.log"
HEARTBEAT_INIT_SCRIPT = pathlib.Path("/etc/init.d/heartbeat")  # packaging/build-deps.sh


def running(machine, unit):
    return (machine.unit_property(unit, "ActiveState") == "active"
            and machine.unit_property(unit, "SubState") == "running")


def vip_present(machine):
    out = machine.run(["ip", "-o", "-4", "addr", "show", "dev", "eth1"]).stdout
    return f" {VIP}/" in out


def catalog_ids():
    """VIGIL_EVENT -> MESSAGE_ID, as the catalog the package installs says."""
    ids, current = {}, None
    for line in (SOURCE_ROOT / "packaging/journal/vigil.catalog").read_text().splitlines():
        if line.startswith("-- "):
            current = line[3:].strip()
        elif line.startswith("VIGIL_EVENT=") and current:
            ids[line.split("=", 1)[1].strip()] = current
    return ids


def journal(machine, *args):
    out = machine.run(["journalctl", "-o", "json", "--no-pager", *args]).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def machine(deb):
    with Machine(deb) as m:
        m.install_deb()
        m.install_example_config()
        # A second classic log file where a real configuration puts it, left
        # by heartbeat as root's (issue 10): heartbeatd's unit hands it over.
        m.sh(f"echo 'debugfile {HA_LOG}' >> /etc/ha.d/ha.cf; "
             f"install -m 0644 -o root -g root /dev/null {HA_LOG}")
        # The init script `apt remove heartbeat` leaves behind (a conffile):
        # the real one, from the heartbeat package on the build machine.
        m.run(["sh", "-c", "cat > /etc/init.d/heartbeat && chmod 755 /etc/init.d/heartbeat"],
              input=HEARTBEAT_INIT_SCRIPT.read_text())
        m.run(["systemctl", "daemon-reload"])
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
    print(f"{service}: STATUS={machine.unit_property(service, 'StatusText')}")


@pytest.mark.parametrize("service", SERVICES)
def test_service_pings_the_watchdog(machine, service):
    # WatchdogSec=5s/10s: a ping at least every half of it moves systemd's
    # timestamp of the last WATCHDOG=1.
    def stamp():
        return int(machine.unit_property(service, "WatchdogTimestampMonotonic") or 0)
    first = stamp()
    assert machine.wait_for(lambda: stamp() > first, timeout=12), "no WATCHDOG=1 seen"


def test_heartbeatd_status_names_the_node_state(machine):
    status = machine.unit_property("vigil-heartbeatd.service", "StatusText").lower()
    assert any(word in status for word in ("active", "up", "init", "standby", "dead")), status


def test_journal_shows_startup_lines_with_structured_fields(machine):
    entries = journal(machine, "-u", "vigil-heartbeatd")
    ours = [e for e in entries if e.get("VIGIL_NODE") == HOSTNAME]
    assert ours, "no entry carries VIGIL_NODE=" + HOSTNAME
    assert any("VIGIL_EVENT" in e and "MESSAGE_ID" in e for e in ours)


@pytest.mark.parametrize("service", SERVICES)
def test_each_daemon_logs_daemon_started_with_its_message_id(machine, service):
    daemon = service.removeprefix("vigil-").removesuffix(".service")
    started = journal(machine, "-u", service, "VIGIL_EVENT=daemon-started")
    assert started, f"{service}: no daemon-started entry"
    e = started[-1]
    assert e.get("MESSAGE_ID") == catalog_ids()["daemon-started"], e
    assert e.get("VIGIL_DAEMON") == daemon and e.get("VIGIL_NODE") == HOSTNAME, e


def test_journal_catalog_is_installed_and_indexed(machine):
    listed = machine.run(["journalctl", "--list-catalog"]).stdout
    missing = [kind for kind, mid in catalog_ids().items() if mid not in listed]
    assert not missing, f"catalog entries journalctl does not know: {missing}"


def test_journal_reads_like_heartbeats_ha_log(machine):
    out = machine.run(["journalctl", "-u", "vigil-heartbeatd", "-o", "short",
                       "--no-pager"]).stdout
    assert f" {HOSTNAME} heartbeat[" in out, out[-2000:]


def test_classic_logfile_is_written_when_ha_cf_asks_for_it(machine):
    # The example ha.cf says `logfile /var/log/ha-log`.
    assert machine.wait_for(
        lambda: "heartbeat: [" in machine.run(["cat", "/var/log/ha-log"]).stdout, timeout=30)


def test_logrotate_rotates_ha_log_and_heartbeatd_writes_the_new_file(machine):
    machine.run(["logrotate", "-f", "/etc/logrotate.d/vigil"], timeout=60)
    assert machine.run(["test", "-s", "/var/log/ha-log.1"], check=False).returncode == 0

    def reopened():
        new = machine.run(["cat", "/var/log/ha-log"]).stdout
        return "heartbeat: [" in new and "SIGHUP: log files reopened" in new
    assert machine.wait_for(reopened, timeout=30), \
        machine.run(["tail", "-5", "/var/log/ha-log.1"]).stdout
    assert "SIGHUP: log files reopened" not in machine.run(["cat", "/var/log/ha-log.1"]).stdout
    assert running(machine, "vigil-heartbeatd.service")
    assert machine.unit_property("vigil-heartbeatd.service", "NRestarts") == "0"


def test_a_log_file_ha_cf_names_anywhere_is_written_by_the_unprivileged_heartbeatd(machine):
    assert machine.wait_for(
        lambda: "heartbeat: [" in machine.run(["cat", HA_LOG]).stdout, timeout=30)
    owner = machine.run(["stat", "-c", "%U:%G %a", HA_LOG]).stdout.strip()
    assert owner == "hacluster:adm 640"


def test_heartbeats_unit_name_init_script_and_command_paths_reach_vigil(machine):
    assert machine.unit_property("heartbeat.service", "Id") == "vigil-heartbeatd.service"
    assert machine.run(["systemctl", "is-active", "heartbeat"]).stdout.strip() == "active"
    assert machine.run(["service", "heartbeat", "status"], check=False).returncode == 0
    # The left-behind init script: systemd-sysv-generator makes no unit of
    # it (a native heartbeat.service exists), and run by hand it hands over
    # to systemctl through /lib/lsb/init-functions.
    assert machine.run(["test", "-e", "/run/systemd/generator.late/heartbeat.service"],
                       check=False).returncode != 0
    status = machine.run(["/etc/init.d/heartbeat", "status"], check=False)
    assert status.returncode == 0 and "vigil-heartbeatd.service" in status.stdout, status.stdout
    for path in ["/usr/share/heartbeat/hb_standby", "/usr/share/heartbeat/hb_takeover",
                 "/usr/lib/heartbeat/hb_standby", "/usr/lib/heartbeat/hb_takeover"]:
        tool = path.rsplit("/", 1)[1]
        assert machine.run(["readlink", "-f", path]).stdout.strip() == f"/usr/sbin/{tool}"


def test_heartbeatd_runs_as_hacluster_without_capabilities(machine):
    pid = machine.unit_property("vigil-heartbeatd.service", "MainPID")
    status = machine.run(["cat", f"/proc/{pid}/status"]).stdout
    uid = machine.run(["id", "-u", "hacluster"]).stdout.strip()
    assert f"Uid:\t{uid}\t{uid}\t{uid}\t{uid}" in status
    assert "CapEff:\t0000000000000000" in status


def test_alone_the_node_takes_the_vip_after_initdead(machine):
    assert machine.wait_for(lambda: vip_present(machine), timeout=30)


def test_heartbeatd_status_shows_the_peer_and_the_group_held(machine):
    def status():
        return machine.unit_property("vigil-heartbeatd.service", "StatusText")
    assert machine.wait_for(lambda: status().endswith("groups held: 1 of 1"), timeout=30), status()
    print(f"heartbeatd STATUS={status()}")
    assert re.fullmatch(rf"{HOSTNAME} (active|up); peers: node2 (dead|init); groups held: 1 of 1",
                        status()), status()


def test_events_carry_the_message_id_of_their_kind(machine):
    ids = catalog_ids()
    entries = journal(machine, "-u", "vigil-heartbeatd", "-u", "vigil-ipd",
                      "-u", "vigil-resourced")
    seen = {}
    for e in entries:
        kind = e.get("VIGIL_EVENT")
        if kind in ids:
            seen.setdefault(kind, set()).add(e.get("MESSAGE_ID"))
    for kind in ("daemon-started", "group-acquire"):
        assert seen.get(kind) == {ids[kind]}, f"{kind}: {seen.get(kind)}"
    wrong = {k: v for k, v in seen.items() if k != "link-up" and v != {ids[k]}}
    assert not wrong, wrong
    print("catalogued kinds seen: " + ", ".join(sorted(seen)))


def test_restarting_ipd_leaves_the_vip_up(machine):
    assert machine.wait_for(lambda: vip_present(machine), timeout=30)
    # The monitor ends by itself (`timeout` inside the machine): ending the
    # nsenter outside would leave `ip monitor` running in there.
    watch_seconds = 10
    monitor = subprocess.Popen(
        ["nsenter", "-t", str(machine.pid), "-a", "-r", "-w",
         "timeout", str(watch_seconds), "ip", "-o", "monitor", "address"],
        stdout=subprocess.PIPE, text=True)
    try:
        time.sleep(0.5)
        started = time.monotonic()
        machine.run(["systemctl", "restart", "vigil-ipd"], timeout=60)
        assert machine.wait_for(lambda: running(machine, "vigil-ipd.service"), timeout=30)
        print(f"vigil-ipd restarted and READY in {time.monotonic() - started:.2f} s")
    finally:
        events = monitor.communicate(timeout=watch_seconds + 30)[0]
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
    mid = catalog_ids()["daemon-stopping"]
    for service in SERVICES:
        stopping = journal(machine, "-u", service, "VIGIL_EVENT=daemon-stopping")
        assert stopping and stopping[-1].get("MESSAGE_ID") == mid, service


def test_the_left_behind_init_script_reports_the_stopped_cluster_as_stopped(machine):
    status = machine.run(["/etc/init.d/heartbeat", "status"], check=False)
    assert status.returncode == 3, status.stdout
