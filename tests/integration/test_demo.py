"""The README's first command ends in tests/integration/demo.py (after
packaging/demo.sh installs and builds): run it as a newcomer would and
check that it shows what it promises -- the page from node1, node2 taking
over after the kill with the tutorial's lines, node1 serving again -- and
exits 0 having removed everything it made."""
import os
import pathlib
import subprocess
import sys

import netlab

DEMO = pathlib.Path(__file__).resolve().parent / "demo.py"


def test_demo_shows_failover_and_failback_and_cleans_up(build_dir):
    p = subprocess.Popen([sys.executable, str(DEMO)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True,
                         env={**os.environ, "VIGIL_BUILD_DIR": str(build_dir)})
    out, err = p.communicate(timeout=240)
    print(out[-4000:])
    assert p.returncode == 0, out[-3000:] + err[-3000:]
    for text in ("served by node1.example.com",
                 "== client: 'served by node2.example.com'",
                 "Taking over resource group 192.0.2.5",
                 "Acquiring resource group: node1.example.com 192.0.2.5 httpd",
                 "mach_down takeover complete for node node1.example.com.",
                 "Releasing resource group: node1.example.com 192.0.2.5 httpd",
                 "== client: 'served by node1.example.com' again",
                 "every namespace, process and file of the demo is gone"):
        assert text in out, f"{text!r} missing from the demo's output"
    # netlab names the demo's namespaces vg<its pid>x<n>-...
    assert netlab.lab_namespaces(f"vg{p.pid}x") == []
