"""Fixtures shared by every integration suite (network namespaces, root).

    lab         a netlab.Lab (function scope): node1, node2 and client on
                net 1 unless the test says otherwise with
                @pytest.mark.lab(hosts=(...), client=..., second_net=...,
                                 ipv6=...)
                or indirect parametrisation (request.param = those kwargs).
                Torn down -- processes ended by PID, namespaces deleted --
                pass or fail. Logs of spawned processes go to the test's
                tmp_path.
                SIGTERM (meson's timeout) unwinds the run so teardown
                still happens.
    build_dir   the meson build directory (env VIGIL_BUILD_DIR, set by the
                meson test registration; else ../../build next to the tree).
"""
import os
import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import netlab  # noqa: E402


def pytest_configure(config):
    netlab.unwind_on_sigterm()
    if os.geteuid() == 0:
        netlab.remove_dead_runs_namespaces()
    config.addinivalue_line(
        "markers",
        "lab(hosts=..., client=..., second_net=..., ipv6=...): "
        "shape of the `lab` fixture")


@pytest.fixture
def lab(request, tmp_path):
    if os.geteuid() != 0:
        pytest.fail("integration tests need root (network namespaces)")
    kwargs = {}
    marker = request.node.get_closest_marker("lab")
    if marker is not None:
        kwargs.update(marker.kwargs)
    if hasattr(request, "param") and isinstance(request.param, dict):
        kwargs.update(request.param)
    kwargs.setdefault("logdir", str(tmp_path))
    with netlab.Lab(**kwargs) as the_lab:
        yield the_lab


@pytest.fixture(scope="session")
def build_dir():
    env = os.environ.get("VIGIL_BUILD_DIR")
    path = pathlib.Path(env) if env else \
        pathlib.Path(__file__).resolve().parents[2] / "build"
    if not path.is_dir():
        pytest.fail(f"build directory {path} not found (set VIGIL_BUILD_DIR)")
    return path
