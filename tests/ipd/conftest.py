"""Fixtures for ipd's integration suite: the shared netlab `lab` (see
tests/integration/netlab.py) and the paths of the binaries under test."""
import os
import pathlib
import sys

import pytest

_INTEGRATION = pathlib.Path(__file__).resolve().parents[1] / "integration"
sys.path.insert(0, str(_INTEGRATION))
import netlab  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "lab(**kwargs): shape of the `lab` fixture")


@pytest.fixture
def lab(request, tmp_path):
    if os.geteuid() != 0:
        pytest.fail("integration tests need root (network namespaces)")
    kwargs = {"hosts": ("node1",), "client": True, "logdir": str(tmp_path)}
    marker = request.node.get_closest_marker("lab")
    if marker is not None:
        kwargs.update(marker.kwargs)
    with netlab.Lab(**kwargs) as the_lab:
        yield the_lab


@pytest.fixture(scope="session")
def build_dir():
    env = os.environ.get("VIGIL_BUILD_DIR")
    path = pathlib.Path(env) if env else pathlib.Path(__file__).resolve().parents[2] / "build"
    if not path.is_dir():
        pytest.fail(f"build directory {path} not found (set VIGIL_BUILD_DIR)")
    return path


@pytest.fixture(scope="session")
def vip_tool(build_dir):
    return str(build_dir / "tests" / "ipd" / "vip_tool")


@pytest.fixture(scope="session")
def ipd(build_dir):
    return str(build_dir / "ipd" / "ipd")
