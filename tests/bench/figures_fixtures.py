"""The integration suites' fixtures (`lab`, `build_dir`) and SIGTERM
handling for the figures_*.py files of tests/bench, which repeat CI's
scenarios many times or for long (see README.md). Loaded under its own
module name, so that it never shadows a conftest.py of tests/bench."""
import importlib.util
import pathlib
import signal
import sys

TESTS = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS / "integration"))
sys.path.insert(0, str(TESTS / "interop"))

_spec = importlib.util.spec_from_file_location("integration_conftest_for_figures",
                                               TESTS / "integration" / "conftest.py")
_shared = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_shared)

lab = _shared.lab
build_dir = _shared.build_dir

# What pytest_configure does for the integration suites: a SIGTERM unwinds
# the run, so teardown still removes every namespace and process.
if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
    signal.signal(signal.SIGTERM, _shared._terminate)
