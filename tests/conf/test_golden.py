"""Golden cases for the configuration, run through the real vigilctl.

tests/conf/good/NAME/ holds ha.cf, haresources, authkeys (or a file `from`
naming a directory that holds them, relative to the case; a file in the
case itself wins) and the expected
`expected.stdout` (the normalised configuration) and `expected.stderr`
(warnings); vigilctl check-config must exit 0.
tests/conf/bad/NAME/ holds the files and `expected.stderr` (every error,
with FILE:LINE); vigilctl must exit 1 and print nothing on stdout.

Optional per case: `node-name` (default node1; "-" = no --node-name, so
nodeinfo or uname -n decide), `vigil.cf` (vigil's own settings) with
`rc.d/` and `notify.d/` (event scripts and the notify hook), `mode` (octal mode of authkeys; default 0600,
since git does not keep modes), `nodeinfo`, and for the resolution section
(how each resource runs): `resource.d/` and `init.d/` (scripts, copied with
their modes; without init.d/ an empty one is used, never /etc/init.d),
`ocf-missing` (agents left out of the OCF tree, one per line: the tree
otherwise holds every agent heartbeat's wrappers map to, as executable
stubs), and `heartbeat-leftovers` (names of heartbeat 3.0.6's own
resource.d files to copy from the installed heartbeat package's
/etc/ha.d/resource.d, as `apt remove heartbeat` leaves them; the oracle is
installed by packaging/build-deps.sh).

Each case runs in a fresh temporary directory; expected files write that
directory as @DIR@. VIGIL_UPDATE_GOLDEN=1 rewrites the expected files.
"""
import os
import pathlib
import shutil
import subprocess

import pytest

HERE = pathlib.Path(__file__).resolve().parent
VIGILCTL = os.environ.get("VIGILCTL", str(HERE.parents[1] / "build" / "vigilctl" / "vigilctl"))
UPDATE = os.environ.get("VIGIL_UPDATE_GOLDEN") == "1"
FILES = ("ha.cf", "haresources", "authkeys", "nodeinfo", "vigil.cf")
OCF_AGENTS = ("AudibleAlarm", "Delay", "Dummy", "Filesystem", "ICP", "IPsrcaddr", "LVM",
              "LinuxSCSI", "MailTo", "Raid1", "SendArp", "ServeRAID", "WAS", "WinPopup",
              "Xinetd", "apache", "db2", "ids", "portblock")
HEARTBEAT_RESOURCE_D = pathlib.Path("/etc/ha.d/resource.d")


def cases(kind):
    return sorted(p.name for p in (HERE / kind).iterdir() if p.is_dir())


def prepare(case, tmp_path):
    source = case
    if (case / "from").exists():
        source = (case / (case / "from").read_text().strip()).resolve()
    conf = tmp_path / "etc-ha.d"
    conf.mkdir()
    for name in FILES:  # the case's own file wins over the one `from` names
        if (case / name).exists():
            shutil.copyfile(case / name, conf / name)
        elif (source / name).exists():
            shutil.copyfile(source / name, conf / name)
    mode = 0o600
    if (case / "mode").exists():
        mode = int((case / "mode").read_text().strip(), 8)
    if (conf / "authkeys").exists():
        os.chmod(conf / "authkeys", mode)
    for sub in ("resource.d", "init.d", "rc.d", "notify.d"):
        origin = case / sub if (case / sub).is_dir() else source / sub
        if origin.is_dir():
            shutil.copytree(origin, tmp_path / sub if sub == "init.d" else conf / sub)
    (tmp_path / "init.d").mkdir(exist_ok=True)
    if (case / "heartbeat-leftovers").exists():
        (conf / "resource.d").mkdir(exist_ok=True)
        for name in (case / "heartbeat-leftovers").read_text().split():
            assert (HEARTBEAT_RESOURCE_D / name).exists(), \
                f"heartbeat 3.0.6 is not installed (packaging/build-deps.sh): no {name}"
            shutil.copy2(HEARTBEAT_RESOURCE_D / name, conf / "resource.d" / name)
    missing = set()
    if (case / "ocf-missing").exists():
        missing = set((case / "ocf-missing").read_text().split())
    agents = tmp_path / "ocf" / "resource.d" / "heartbeat"
    agents.mkdir(parents=True)
    for name in OCF_AGENTS:
        if name not in missing:
            (agents / name).write_text("#!/bin/sh\nexit 0\n")
            os.chmod(agents / name, 0o755)
    args = [VIGILCTL, "check-config", "--config-dir", str(conf),
            "--init-dir", str(tmp_path / "init.d"), "--ocf-root", str(tmp_path / "ocf")]
    node = "node1"
    if (case / "node-name").exists():
        node = (case / "node-name").read_text().strip()
    if node != "-":
        args += ["--node-name", node]
    return conf, args


def run_case(kind, name, tmp_path):
    case = HERE / kind / name
    conf, args = prepare(case, tmp_path)
    proc = subprocess.run(args, capture_output=True, text=True, timeout=30)
    out = proc.stdout.replace(str(conf), "@DIR@").replace(str(tmp_path), "@TMP@")
    err = proc.stderr.replace(str(conf), "@DIR@").replace(str(tmp_path), "@TMP@")
    return case, proc.returncode, out, err


def check_file(path, actual):
    if UPDATE:
        path.write_text(actual)
    assert path.exists(), f"missing {path}"
    assert actual == path.read_text()


@pytest.mark.parametrize("name", cases("good"))
def test_good(name, tmp_path):
    case, rc, out, err = run_case("good", name, tmp_path)
    assert rc == 0, err
    check_file(case / "expected.stdout", out)
    check_file(case / "expected.stderr", err)


@pytest.mark.parametrize("name", cases("bad"))
def test_bad(name, tmp_path):
    case, rc, out, err = run_case("bad", name, tmp_path)
    assert rc == 1, out + err
    assert out == ""
    check_file(case / "expected.stderr", err)
