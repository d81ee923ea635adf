"""Shared fixtures of the package suite: where the source tree is, and the
.deb and .rpm built from it (packaging/build-deb.sh, build-rpm.sh).

test_build.py always builds them into VIGIL_PKG_OUT; the install tests, run
after it (meson priorities), reuse what it built and build only what is
missing, so one `meson test --suite package` builds each package once.

With VIGIL_PKG_FROM_BUILD set to a meson build directory configured by
packaging/setup-package-build.sh (tests/run-all.sh does this), both
packages are made from that build (--from-build) instead of compiling the
product again inside dpkg-buildpackage and rpmbuild.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
import netlab  # noqa: E402

SOURCE_ROOT = Path(os.environ.get("VIGIL_SOURCE_ROOT",
                                  Path(__file__).resolve().parents[2]))
OUT = Path(os.environ.get("VIGIL_PKG_OUT", "/var/tmp/vigil-pkg-out"))


def pytest_configure(config):
    # SIGTERM (meson's timeout) unwinds the Machine/Switch `with` blocks, so
    # their namespaces go; a run killed outright left its own, removed here.
    netlab.unwind_on_sigterm()
    if os.geteuid() == 0:
        netlab.remove_dead_runs_namespaces()


def meson_version():
    info = subprocess.run(["meson", "introspect", "--projectinfo",
                           str(SOURCE_ROOT / "meson.build")],
                          check=True, capture_output=True, text=True).stdout
    return json.loads(info)["version"]


def build_package(kind):
    """Builds the .deb or .rpm into OUT; returns its path."""
    OUT.mkdir(parents=True, exist_ok=True)
    script = SOURCE_ROOT / "packaging" / f"build-{kind}.sh"
    env = dict(os.environ)
    env.setdefault("DEB_BUILD_OPTIONS", "nocheck parallel=2")
    from_build = env.get("VIGIL_PKG_FROM_BUILD")
    args = ["--from-build", from_build] if from_build else []
    done = subprocess.run([str(script), *args, str(OUT)], env=env, capture_output=True,
                          text=True, timeout=3600)
    assert done.returncode == 0, f"build-{kind}.sh failed:\n{done.stdout}\n{done.stderr}"
    return Path(done.stdout.strip().splitlines()[-1])


def existing_package(kind):
    version = meson_version()
    pattern = f"vigil_{version}_*.deb" if kind == "deb" else f"vigil-{version}-1*.rpm"
    found = sorted(OUT.glob(pattern)) if OUT.is_dir() else []
    return found[-1] if found else None


@pytest.fixture(scope="session")
def version():
    return meson_version()


@pytest.fixture(scope="session")
def deb():
    return existing_package("deb") or build_package("deb")


@pytest.fixture(scope="session")
def rpm():
    return existing_package("rpm") or build_package("rpm")
