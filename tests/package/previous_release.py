"""The .deb of vigil's previous release, built from git, for the upgrade test.

The release is a commit of this repository (PREVIOUS_RELEASE, or the
environment's VIGIL_PREVIOUS_RELEASE). Its tree is taken with `git archive`
into a scratch directory and packaged by that tree's own
packaging/build-deb.sh, so the package is exactly what that release built.
The only change is its version, given the suffix `~git<commit>`: dpkg sorts
`0.1.0~git60979a0` before `0.1.0`, so the tree under test, even when it has
not bumped its version yet, is an upgrade of it.

A release never changes, so the package is cached per commit in
/var/tmp/vigil-previous-release-cache: CI builds it once per machine.
"""

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

PREVIOUS_RELEASE = os.environ.get("VIGIL_PREVIOUS_RELEASE", "60979a0")
CACHE = Path("/var/tmp/vigil-previous-release-cache")


def _git(source_root, *args):
    return subprocess.run(["git", "-C", str(source_root), *args], check=True,
                          capture_output=True, text=True).stdout.strip()


def previous_release_deb(source_root: Path) -> Path:
    """Builds (or finds in the cache) the previous release's .deb."""
    try:
        commit = _git(source_root, "rev-parse", "--verify", PREVIOUS_RELEASE + "^{commit}")
    except subprocess.CalledProcessError as e:
        raise RuntimeError(
            f"the upgrade test needs commit {PREVIOUS_RELEASE} (the previous release) in "
            f"{source_root}'s history: fetch it (git fetch --unshallow)\n{e.stderr}") from e
    cached = CACHE / commit
    found = sorted(cached.glob("vigil_*.deb")) if cached.is_dir() else []
    if found:
        return found[-1]
    scratch = Path(tempfile.mkdtemp(prefix="vigil-previous-release-", dir="/var/tmp"))
    try:
        tree = scratch / "tree"
        tree.mkdir()
        archive = subprocess.run(["git", "-C", str(source_root), "archive", commit],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-C", str(tree), "-xf", "-"], input=archive, check=True)
        meson_build = tree / "meson.build"
        text = meson_build.read_text()
        text, n = re.subn(r"(version\s*:\s*')([^']+)(')",
                          lambda m: f"{m[1]}{m[2]}~git{commit[:7]}{m[3]}", text, count=1)
        assert n == 1, "no version in the previous release's meson.build"
        meson_build.write_text(text)
        out = scratch / "out"
        env = dict(os.environ)
        # nocheck: only the installed programs; noopt: -O0, a few times
        # faster to compile on CI's two cores, and the same behaviour.
        env.setdefault("DEB_BUILD_OPTIONS", "nocheck noopt parallel=2")
        done = subprocess.run([str(tree / "packaging/build-deb.sh"), str(out)], env=env,
                              capture_output=True, text=True, timeout=3600)
        assert done.returncode == 0, \
            f"building {PREVIOUS_RELEASE} failed:\n{done.stdout}\n{done.stderr}"
        deb = Path(done.stdout.strip().splitlines()[-1])
        cached.mkdir(parents=True, exist_ok=True)
        part = cached / (deb.name + ".part")
        shutil.copy2(deb, part)
        part.rename(cached / deb.name)
        return cached / deb.name
    finally:
        subprocess.run(["rm", "-rf", "--one-file-system", str(scratch)], check=False)
