"""Install test on a freshly booted Debian 12 (systemd as PID 1, real apt):
what the package itself guarantees, whatever the daemons do. The checks
that need the daemons' sd_notify support are in test_install_daemons.py.

The tests run in file order on one machine: install, look, start, stop,
purge."""

import subprocess

import pytest

from machine import Machine

UNITS = [
    "vigil.target",
    "vigil-heartbeatd.service", "vigil-heartbeatd.socket", "vigil-heartbeatd-udp.socket",
    "vigil-resourced.service", "vigil-resourced.socket",
    "vigil-ipd.service", "vigil-ipd.socket",
]
SOCKETS = [u for u in UNITS if u.endswith(".socket")]
# systemd-sysusers keeps the previous account files as NAME- (the account
# itself stays on purge, as Debian policy 9.2.2 asks).
SYSUSERS_BACKUPS = ("/etc/passwd-", "/etc/group-", "/etc/shadow-", "/etc/gshadow-")

# Paths that exist after every boot or apt run whatever is installed.
CHURN = ("/proc", "/sys", "/dev", "/run", "/tmp", "/var/log/journal", "/var/cache",
         "/var/lib/apt", "/var/lib/dpkg", "/var/lib/systemd", "/var/log/apt",
         "/var/log/dpkg.log", "/var/log/alternatives.log", "/var/tmp", "/etc/ha.d",
         "/var/lib/private", "/var/log/private", "/var/cache/private")


def usr_merged(path):
    """dpkg names /lib/... where merged-/usr Debian 12 keeps /usr/lib/..."""
    return "/usr" + path if path.startswith(("/lib/", "/bin/", "/sbin/")) else path


def snapshot(machine):
    out = machine.run(["find", "/", "-xdev"], timeout=300).stdout.splitlines()
    return {p for p in out if not p.startswith(CHURN)}


@pytest.fixture(scope="module")
def machine(deb):
    with Machine(deb) as m:
        m.before_install = snapshot(m)
        m.install_deb()
        yield m


def test_booted_system_runs_systemd_as_pid1(machine):
    assert machine.run(["cat", "/proc/1/comm"]).stdout.strip() == "systemd"
    assert machine.boot_state in ("running", "degraded")


def test_apt_installed_the_package_and_its_debian_dependencies(machine):
    status = machine.run(["dpkg-query", "-W", "-f", "${Status}", "vigil"]).stdout
    assert status == "install ok installed"
    assert machine.run(["apt-get", "check", "-q"]).returncode == 0


def test_hacluster_user_and_haclient_group_exist(machine):
    user = machine.run(["getent", "passwd", "hacluster"]).stdout.split(":")
    group = machine.run(["getent", "group", "haclient"]).stdout.split(":")
    assert user[3] == group[2], "hacluster's primary group is haclient"
    assert user[6].strip() in ("/usr/sbin/nologin", "/sbin/nologin")


def test_runtime_and_state_directories_belong_to_hacluster(machine):
    for path in ["/run/vigil", "/var/lib/vigil"]:
        owner = machine.run(["stat", "-c", "%U:%G %a", path]).stdout.strip()
        assert owner == "hacluster:haclient 750", f"{path}: {owner}"


@pytest.mark.parametrize("unit", UNITS)
def test_unit_is_loaded(machine, unit):
    assert machine.unit_property(unit, "LoadState") == "loaded"


def test_systemd_analyze_verify_is_clean_for_every_unit(machine):
    done = machine.run(["systemd-analyze", "verify", "--man=no",
                        *[f"/lib/systemd/system/{u}" for u in UNITS]], check=False)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


def test_install_starts_and_enables_nothing(machine):
    for unit in UNITS:
        assert machine.unit_property(unit, "ActiveState") == "inactive", unit
    enabled = machine.run(["systemctl", "is-enabled", "vigil.target"], check=False)
    assert enabled.stdout.strip() == "disabled"


def test_sockets_listen_before_any_daemon_runs(machine):
    machine.run(["systemctl", "start", *SOCKETS], timeout=60)
    for socket in SOCKETS:
        assert machine.unit_property(socket, "ActiveState") == "active", socket
    for service in ["vigil-heartbeatd.service", "vigil-resourced.service", "vigil-ipd.service"]:
        assert machine.unit_property(service, "ActiveState") == "inactive", service


def test_udp_port_694_is_bound_by_systemd_not_by_a_privileged_daemon(machine):
    out = machine.run(["ss", "-lunpH", "sport", "= :694"]).stdout
    assert "0.0.0.0:694" in out and "[::]:694" in out
    assert 'systemd",pid=1' in out


def test_unix_sockets_are_reachable_only_by_hacluster_and_haclient(machine):
    modes = machine.run(["stat", "-c", "%n %U:%G %a", "/run/vigil/control.sock",
                         "/run/vigil/resourced.sock", "/run/vigil/ipd.sock"]).stdout.split("\n")
    assert modes[0].endswith("hacluster:haclient 660")
    assert modes[1].endswith("hacluster:haclient 600")
    assert modes[2].endswith("hacluster:haclient 600")


def test_target_starts_with_the_bundled_example_configuration(machine):
    machine.install_example_config()
    machine.run(["systemctl", "start", "vigil.target"], timeout=120)
    assert machine.unit_property("vigil.target", "ActiveState") == "active"


def test_logrotate_accepts_the_ha_log_configuration(machine):
    done = machine.run(["logrotate", "-d", "/etc/logrotate.d/vigil"], check=False)
    assert done.returncode == 0 and "error" not in done.stderr.lower(), done.stderr


def test_stopping_the_target_stops_every_unit(machine):
    machine.run(["systemctl", "stop", "vigil.target"], timeout=300)
    for unit in UNITS:
        state = machine.unit_property(unit, "ActiveState")
        assert state in ("inactive", "failed"), f"{unit}: {state}"
    assert machine.run(["pgrep", "-x", "heartbeatd|resourced|ipd"], check=False).returncode == 1


def test_purge_removes_every_file_it_installed(machine):
    installed = machine.run(["dpkg-query", "-L", "vigil"]).stdout.split("\n")
    installed = [usr_merged(p) for p in installed if p.strip() and p != "/."]
    machine.run(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "purge", "-y", "-q",
                 "vigil"], timeout=300)
    # A directory vigil shares with a package apt installed beside it stays
    # (/usr/lib/heartbeat is cluster-glue's too, which resource-agents, a
    # Recommends of vigil, pulls in): only what no package owns counts.
    left = [p for p in installed
            if p not in machine.before_install
            and machine.run(["test", "-e", p], check=False).returncode == 0
            and machine.run(["dpkg-query", "-S", p], check=False).returncode != 0]
    assert not left, f"left behind: {left}"
    for path in ["/var/lib/vigil", "/run/vigil", "/var/log/ha-log", "/var/log/ha-debug"]:
        assert machine.run(["test", "-e", path], check=False).returncode != 0, path
    # Anything else that appeared and that no installed package owns
    # (dependencies such as logrotate stay installed, as apt leaves them).
    # Other packages' units enabled by their own postinst do not count.
    owned = {usr_merged(p) for p in
             machine.sh("cat /var/lib/dpkg/info/*.list").stdout.splitlines()}
    new = sorted(p for p in snapshot(machine) - machine.before_install
                 if p not in owned and p not in SYSUSERS_BACKUPS
                 and not (p.startswith("/etc/systemd/system/") and "vigil" not in p))
    assert not new, f"paths that did not exist before the install remain: {new}"
