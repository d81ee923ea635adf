"""The interop suites use the integration suites' fixtures (`lab`,
`build_dir`) and their SIGTERM handling, from tests/integration/conftest.py."""
import importlib.util
import pathlib
import sys

_integration = pathlib.Path(__file__).resolve().parents[1] / "integration"
sys.path.insert(0, str(_integration))
_spec = importlib.util.spec_from_file_location("integration_conftest", _integration / "conftest.py")
_shared = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_shared)

lab = _shared.lab
build_dir = _shared.build_dir
pytest_configure = _shared.pytest_configure
