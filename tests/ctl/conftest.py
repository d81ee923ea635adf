"""The integration fixtures (lab, build_dir) of tests/integration/conftest.py,
for the control-socket suite that lives beside its unit tests."""
import importlib.util
import pathlib
import sys

_INTEGRATION = pathlib.Path(__file__).resolve().parents[1] / "integration"
sys.path.insert(0, str(_INTEGRATION))

_spec = importlib.util.spec_from_file_location("vigil_integration_conftest",
                                               _INTEGRATION / "conftest.py")
_shared = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_shared)

pytest_configure = _shared.pytest_configure
lab = _shared.lab
build_dir = _shared.build_dir
