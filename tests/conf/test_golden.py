"""Golden cases for the configuration, run through the real vigilctl.

tests/conf/good/NAME/ holds ha.cf, haresources, authkeys (or a file `from`
naming a directory that holds them, relative to the case) and the expected
`expected.stdout` (the normalised configuration) and `expected.stderr`
(warnings); vigilctl check-config must exit 0.
tests/conf/bad/NAME/ holds the files and `expected.stderr` (every error,
with FILE:LINE); vigilctl must exit 1 and print nothing on stdout.

Optional per case: `node-name` (default node1; "-" = no --node-name, so
nodeinfo or uname -n decide), `mode` (octal mode of authkeys; default 0600,
since git does not keep modes), `nodeinfo`.

Each case runs in a fresh temporary directory; expected files write that
directory as @DIR@. VIGIL_UPDATE_GOLDEN=1 rewrites the expected files.
"""
import os
import pathlib
import shutil
import subprocess

import pytest

HERE = pathlib.Path(__file__).resolve().parent
VIGILCTL = os.environ.get("VIGILCTL", str(HERE.parents[1] / "build" / "heartbeatd" / "vigilctl"))
UPDATE = os.environ.get("VIGIL_UPDATE_GOLDEN") == "1"
FILES = ("ha.cf", "haresources", "authkeys", "nodeinfo")


def cases(kind):
    return sorted(p.name for p in (HERE / kind).iterdir() if p.is_dir())


def prepare(case, tmp_path):
    source = case
    if (case / "from").exists():
        source = (case / (case / "from").read_text().strip()).resolve()
    conf = tmp_path / "etc-ha.d"
    conf.mkdir()
    for name in FILES:
        if (source / name).exists():
            shutil.copyfile(source / name, conf / name)
        elif (case / name).exists():
            shutil.copyfile(case / name, conf / name)
    mode = 0o600
    if (case / "mode").exists():
        mode = int((case / "mode").read_text().strip(), 8)
    if (conf / "authkeys").exists():
        os.chmod(conf / "authkeys", mode)
    args = [VIGILCTL, "check-config", "--config-dir", str(conf)]
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
    out = proc.stdout.replace(str(conf), "@DIR@")
    err = proc.stderr.replace(str(conf), "@DIR@")
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
