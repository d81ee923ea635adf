"""heartbeatd's SIGHUP (heartbeat's `reload`, heartbeat-compat.md §2.8):
the log files are reopened, and the configuration on disk is compared
with the one running. vigil applies a configuration at start only (the
root helpers check its hash), so SIGHUP says whether the files changed,
or are no longer valid, and the daemon keeps running as it was.
"""
from __future__ import annotations

import os
import re
import signal

from vigil_node import AUTH_CRC, VigilNode, ha_cf


def hup(node):
    os.kill(node.proc.pid, signal.SIGHUP)


def test_sighup_compares_the_configuration_on_disk_and_keeps_running(lab, tmp_path):
    text = ha_cf(["node1", "node2"], ["bcast eth1"], logfile=str(tmp_path / "ha-log"))
    node = VigilNode(lab, "node1", tmp_path, text, authkeys=AUTH_CRC)
    node.make_traversable()  # heartbeatd reads ha.cf again as hacluster
    node.start()
    node.wait_for_log(r"heartbeatd \(vigil [^)]*\) ready on node1", 10)

    offset = node.log_size()
    hup(node)
    node.wait_for_log(r"SIGHUP: log files reopened", 5, start=offset)
    node.wait_for_log(r"Configuration unchanged\.", 5, start=offset)

    # A changed timer: reported, not applied.
    (node.config_dir / "ha.cf").write_text(text.replace("warntime 300ms", "warntime 400ms"))
    offset = node.log_size()
    hup(node)
    node.wait_for_log(re.escape("Configuration changed on disk; it takes effect when vigil "
                                "restarts"), 5, start=offset)

    # An invalid file: the error names the file and line; nothing stops.
    (node.config_dir / "ha.cf").write_text(text + "keepalive soon\n")
    offset = node.log_size()
    hup(node)
    node.wait_for_log(r"Configuration on disk is not valid; still running the one loaded at "
                      r"start:", 5, start=offset)
    node.wait_for_log(r"ERROR: \S*/ha\.cf:\d+: .*keepalive", 5, start=offset)
    assert node.proc.poll() is None

    # The classic logfile was reopened and is still written.
    assert "Configuration unchanged." in (tmp_path / "ha-log").read_text()
    node.stop()
    assert node.proc.wait(timeout=10) == 0
