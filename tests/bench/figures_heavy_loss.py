"""Issue 14, "heavy loss is not death", in network namespaces: two vigil
nodes (bcast, keepalive 100ms / deadtime 500ms) run 60 s with random loss
each way on node2's switch port, dropped by nftables in the switch
(`numgen random mod 100 < N`, bridge forward hook: frames leaving the
switch towards node2 and frames node2 sends), at 20 % and at 30 %, and
the false deaths (`node X: is dead` on either node) are counted. vigil's
status_copies is at its default (auto: 3 copies at these timers,
heartbeatd/core/status_copies.h); VIGIL_STATUS_COPIES=1 runs heartbeat's
one copy for comparison. The simulator's million-keepalive proof runs in
CI (tests/sim/heavy_loss_test.cpp).

As root, from a build:
    VIGIL_BUILD_DIR=$PWD/build /usr/bin/python3 -m pytest -s -p no:cacheprovider \
        tests/bench/figures_heavy_loss.py
VIGIL_LOSS_SECONDS=N changes the 60 s.
"""
from __future__ import annotations

import os
import subprocess
import time

import pytest

from figures_fixtures import build_dir, lab  # noqa: F401  (fixtures)
import test_membership as membership  # noqa: E402

SECONDS = int(os.environ.get("VIGIL_LOSS_SECONDS", "60"))
COPIES = os.environ.get("VIGIL_STATUS_COPIES", "auto")


def switch_loss(lab, host, percent):
    """Random loss both ways on `host`'s switch port (bridge forward hook)."""
    port = lab.hosts[host].ifaces["eth1"].peer
    rules = (f"table bridge vgloss {{\n"
             f" chain forward {{ type filter hook forward priority 0;\n"
             f"  iifname \"{port}\" numgen random mod 100 < {percent} counter drop\n"
             f"  oifname \"{port}\" numgen random mod 100 < {percent} counter drop\n"
             f" }}\n}}\n")
    subprocess.run(["ip", "netns", "exec", lab.ns("switch"), "nft", "-f", "-"], input=rules,
                   text=True, check=True)


@pytest.mark.parametrize("percent", [20, 30])
def test_sixty_seconds_of_heavy_loss(lab, tmp_path, percent):
    nodes = membership.make_nodes(lab, tmp_path, ["node1", "node2"], lambda n: ["bcast eth1"])
    for n in nodes.values():
        (n.config_dir / "vigil.cf").write_text(f"status_copies {COPIES}\n")
        n.start()
    membership.wait_all_active(nodes)
    time.sleep(6)  # past the start-up dt bump (§5.10)
    offsets = {n: nodes[n].log_size() for n in nodes}
    switch_loss(lab, "node2", percent)
    time.sleep(SECONDS)
    deaths = {}
    for name, n in nodes.items():
        tail = n.log(offsets[name])
        deaths[name] = tail.count("is dead")
    counters = lab.run("switch", ["nft", "list", "table", "bridge", "vgloss"]).stdout
    dropped = [line.strip() for line in counters.splitlines() if "counter" in line]
    print(f"\n[{percent} % each way, {SECONDS} s, status_copies {COPIES}] false deaths: "
          f"node1 {deaths['node1']}, node2 {deaths['node2']}; switch drops: {dropped}")
    if percent == 20 and COPIES == "auto":
        assert sum(deaths.values()) == 0, deaths
