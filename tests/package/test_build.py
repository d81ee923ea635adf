"""The .deb and .rpm build from the tree, carry the meson version, ship the
same files, pass lintian, and their units are as hardened as promised
(systemd-analyze security --offline=true)."""

import os
import re
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import OUT, build_package

# Exposure ceilings (issue #6). heartbeat.service and keepalived.service
# score 9.6; resourced may not sandbox the services it starts, so its bound
# is only "better than those".
# heartbeatd measures 1.6 since `realtime on` may take SCHED_RR (no
# RestrictRealtime=, sched_setscheduler allowed; 1.4 before).
EXPOSURE_LIMITS = {
    "vigil-heartbeatd.service": 2.0,
    "vigil-ipd.service": 3.5,
    "vigil-resourced.service": 9.5,
    # Issue 17: the exporter has no capability, no network of its own and
    # only reads heartbeatd's read-only socket.
    "vigil-exporter.service": 2.0,
}

UNITS = [
    "vigil.target",
    "vigil-heartbeatd.service", "vigil-heartbeatd.socket", "vigil-heartbeatd-udp.socket",
    "vigil-resourced.service", "vigil-resourced.socket",
    "vigil-ipd.service", "vigil-ipd.socket",
    "vigil-heartbeatd-status.socket", "vigil-exporter.service", "vigil-exporter.socket",
]

# Files the Debian tools add on their own (the rpm has no equivalent).
DEB_ONLY = {"/usr/share/doc/vigil/changelog.gz"}


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


@pytest.fixture(scope="module")
def fresh_deb():
    for old in OUT.glob("vigil_*.deb"):
        old.unlink()
    return build_package("deb")


@pytest.fixture(scope="module")
def fresh_rpm():
    for old in OUT.glob("vigil-*.rpm"):
        old.unlink()
    return build_package("rpm")


@pytest.fixture(scope="module")
def deb_tree(fresh_deb):
    with tempfile.TemporaryDirectory(prefix="vigil-pkg-x-", dir="/var/tmp") as d:
        sh(["dpkg-deb", "-x", str(fresh_deb), d])
        yield Path(d)


def deb_files(deb):
    """Non-directory paths in the .deb, as absolute paths."""
    names = set()
    for line in sh(["dpkg-deb", "-c", str(deb)]).splitlines():
        fields = line.split(None, 5)
        if fields[0].startswith("d"):
            continue
        names.add(fields[5].split(" -> ")[0].lstrip("."))
    return names


def rpm_files(rpm):
    out = sh(["rpm", "-qp", "--qf", "[%{FILEMODES:perms} %{FILENAMES}\n]", str(rpm)])
    return {line.split(" ", 1)[1] for line in out.splitlines() if not line.startswith("d")}


def test_deb_builds_with_dpkg_buildpackage(fresh_deb):
    assert fresh_deb.is_file() and fresh_deb.stat().st_size > 0
    print(f"{fresh_deb.name}: {fresh_deb.stat().st_size} bytes")


def test_rpm_builds_with_rpmbuild(fresh_rpm):
    assert fresh_rpm.is_file() and fresh_rpm.stat().st_size > 0
    print(f"{fresh_rpm.name}: {fresh_rpm.stat().st_size} bytes")


def test_lintian_reports_no_errors(fresh_deb):
    done = subprocess.run(["lintian", "--fail-on", "error", "--no-tag-display-limit",
                           str(fresh_deb)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not re.search(r"^E: ", done.stdout, re.M), done.stdout


def test_both_packages_carry_the_meson_version(fresh_deb, fresh_rpm, version):
    assert sh(["dpkg-deb", "-f", str(fresh_deb), "Version"]).strip() == version
    assert sh(["rpm", "-qp", "--qf", "%{VERSION}", str(fresh_rpm)]).strip() == version


# heartbeat's lib64 paths to hb_standby/hb_takeover, where rpm's libdir is lib64.
RPM_ONLY = {"/usr/lib64/heartbeat/hb_standby", "/usr/lib64/heartbeat/hb_takeover"}


def test_rpm_lists_the_same_files_as_the_deb(fresh_deb, fresh_rpm):
    in_deb = deb_files(fresh_deb) - DEB_ONLY
    in_rpm = rpm_files(fresh_rpm) - RPM_ONLY
    assert in_deb == in_rpm, (f"only in .deb: {sorted(in_deb - in_rpm)}\n"
                              f"only in .rpm: {sorted(in_rpm - in_deb)}")


def test_both_packages_conflict_with_heartbeat(fresh_deb, fresh_rpm):
    assert "heartbeat" in sh(["dpkg-deb", "-f", str(fresh_deb), "Conflicts"])
    assert "heartbeat" in sh(["rpm", "-qp", "--conflicts", str(fresh_rpm)])


def test_heartbeats_command_paths_and_unit_name_lead_to_vigil(fresh_deb, fresh_rpm):
    out = sh(["dpkg-deb", "-c", str(fresh_deb)])
    # dh_link makes links within one top-level directory relative (Debian
    # policy 10.5): compare where each link leads, not how it is spelled.
    leads_to = {}
    for line in out.splitlines():
        if " -> " in line:
            link, target = line.split()[-3], line.split()[-1]
            leads_to[link] = os.path.normpath(os.path.join(os.path.dirname(link[1:]), target))
    for link, target in [
            ("./usr/share/heartbeat/hb_standby", "/usr/sbin/hb_standby"),
            ("./usr/share/heartbeat/hb_takeover", "/usr/sbin/hb_takeover"),
            ("./usr/lib/heartbeat/hb_standby", "/usr/sbin/hb_standby"),
            ("./usr/lib/heartbeat/hb_takeover", "/usr/sbin/hb_takeover"),
            ("./lib/systemd/system/heartbeat.service",
             "/lib/systemd/system/vigil-heartbeatd.service")]:
        assert leads_to.get(link) == target, f"{link} leads to {leads_to.get(link)}"
    assert RPM_ONLY <= rpm_files(fresh_rpm)


def test_binaries_are_in_their_fhs_places(fresh_deb):
    files = deb_files(fresh_deb)
    for path in ["/usr/sbin/heartbeatd", "/usr/sbin/vigilctl", "/usr/libexec/vigil/resourced",
                 "/usr/libexec/vigil/ipd", "/usr/libexec/vigil/restart-after-upgrade",
                 "/usr/libexec/vigil/allow-ping-group", "/usr/libexec/vigil/drbd-fence-peer",
                 "/usr/bin/cl_status", "/usr/sbin/hb_standby", "/usr/sbin/hb_takeover"]:
        assert path in files, path


def test_every_unit_sysusers_tmpfiles_and_logrotate_file_is_shipped(fresh_deb):
    files = deb_files(fresh_deb)
    for unit in UNITS:
        assert f"/lib/systemd/system/{unit}" in files, unit
    for path in ["/usr/lib/sysusers.d/vigil.conf", "/usr/lib/tmpfiles.d/vigil.conf",
                 "/etc/logrotate.d/vigil", "/usr/lib/systemd/catalog/vigil.catalog",
                 "/etc/corosync/uidgid.d/vigil"]:
        assert path in files, path


def test_man_pages_cover_vigilctl_daemons_and_config_additions(fresh_deb):
    files = deb_files(fresh_deb)
    for page in ["man8/vigilctl.8.gz", "man8/heartbeatd.8.gz", "man8/vigil-resourced.8.gz",
                 "man8/vigil-ipd.8.gz", "man5/vigil-ha.cf.5.gz", "man5/vigil-authkeys.5.gz",
                 "man5/vigil-vigil.cf.5.gz", "man1/cl_status.1.gz", "man8/hb_standby.8.gz",
                 "man8/hb_takeover.8.gz", "man7/vigil.7.gz", "man7/vigil-migration.7.gz",
                 "man7/vigil-metrics.7.gz", "man8/vigil-exporter.8.gz"]:
        assert f"/usr/share/man/{page}" in files, page


def test_example_configuration_is_documentation_never_live_config(fresh_deb):
    files = deb_files(fresh_deb)
    assert not [f for f in files if f.startswith("/etc/ha.d")]
    for name in ["ha.cf", "haresources", "authkeys"]:
        assert f"/usr/share/doc/vigil/examples/ha.d/{name}" in files, name
    # vigil.cf too (commented out): a heartbeat peer must never see it in ha.d.
    assert "/usr/share/doc/vigil/examples/vigil.cf" in files


def exposure(unit_path):
    out = subprocess.run(["systemd-analyze", "security", "--offline=true", "--no-pager",
                          str(unit_path)], capture_output=True, text=True).stdout
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", out)
    assert match, out
    return float(match.group(1))


BINARIES = ["usr/sbin/heartbeatd", "usr/sbin/vigilctl", "usr/libexec/vigil/resourced",
            "usr/libexec/vigil/ipd", "usr/libexec/vigil/vigil-exporter",
            "usr/libexec/vigil/drbd-fence-peer"]


@pytest.mark.parametrize("binary", BINARIES)
def test_binaries_carry_debian_hardening(deb_tree, binary):
    """What dpkg-buildflags hardening=+all gives (debian/rules), whether the
    package compiled the product itself or packaged CI's build (--from-build):
    PIE, full RELRO (relro + bindnow) and the stack protector."""
    path = str(deb_tree / binary)
    header = sh(["readelf", "-h", "-W", path])
    assert re.search(r"Type:\s+DYN", header), f"{binary} is not PIE"
    segments = sh(["readelf", "-l", "-W", path])
    assert "GNU_RELRO" in segments, f"{binary} has no RELRO"
    dynamic = sh(["readelf", "-d", "-W", path])
    assert re.search(r"\(FLAGS\).*BIND_NOW|\(FLAGS_1\).*NOW", dynamic), f"{binary}: no bindnow"
    symbols = sh(["readelf", "--dyn-syms", "-W", path])
    assert "__stack_chk_fail" in symbols, f"{binary}: no stack protector"


@pytest.mark.parametrize("unit", sorted(EXPOSURE_LIMITS))
def test_unit_exposure_is_within_its_limit(deb_tree, unit):
    score = exposure(deb_tree / "lib/systemd/system" / unit)
    print(f"{unit}: exposure {score}")
    assert score <= EXPOSURE_LIMITS[unit]


def test_heartbeatd_unit_grants_no_capability_and_reads_authkeys_as_credential(deb_tree):
    text = (deb_tree / "lib/systemd/system/vigil-heartbeatd.service").read_text()
    assert re.search(r"^User=hacluster$", text, re.M)
    assert re.search(r"^CapabilityBoundingSet=$", text, re.M)
    assert re.search(r"^AmbientCapabilities=$", text, re.M)
    assert re.search(r"^LoadCredential=authkeys:/etc/ha.d/authkeys$", text, re.M)


@pytest.mark.parametrize("service", ["vigil-heartbeatd", "vigil-resourced", "vigil-ipd"])
def test_each_service_is_notify_with_watchdog_and_restarts_always(deb_tree, service):
    text = (deb_tree / f"lib/systemd/system/{service}.service").read_text()
    assert re.search(r"^Type=notify$", text, re.M)
    assert re.search(r"^WatchdogSec=\d+", text, re.M)
    assert re.search(r"^Restart=always$", text, re.M)
    assert re.search(r"^PartOf=vigil.target$", text, re.M)


@pytest.mark.parametrize("args,message", [
    (["bogus"], "usage"), (["all", "local"], "too many arguments")])
@pytest.mark.parametrize("tool", ["hb_standby", "hb_takeover"])
def test_standby_tools_reject_bad_arguments_with_exit_1(deb_tree, tool, args, message):
    done = subprocess.run(["/bin/sh", str(deb_tree / "usr/sbin" / tool), *args],
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert message in done.stderr
