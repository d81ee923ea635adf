"""ipfail in a mixed cluster (heartbeat-compat.md §8.2): a real heartbeat
3.0.6 node running heartbeat's own ipfail binary and a vigil node running
the built-in one, the same ha.cf on both (`ping <router>`, `deadping 1`,
`respawn hacluster /usr/libexec/heartbeat/ipfail`), in both orientations.
node1 (the group's home) serves; node1 <-> router is blocked while the
heartbeat link stays up: the two ipfails exchange num_ping_nodes /
you_are_dead, node1 gives its group up by standby and node2 serves. Then
unblocked: equal counts, auto_failback on, node2 gives it back.

What crosses the wire between the two ipfails (num_ping_nodes num_ping=N,
you_are_dead, abort_giveup, each with dest=<peer>; the API's hbapi-clstat
join) is what heartbeatd/messages types; each side's log shows it read the
other's ("Giving up because we were told that we have less ping nodes." /
"Telling other node that we have more visible ping nodes.", printed alike
by both ipfails).

With the real node serving, its ipfail's give-up often finds its heartbeat
"in transition" (the status-event script for the ping node's death still
runs) and waits for a stable `resource` report from us; vigil sends it when
no standby request follows its you_are_dead (heartbeatd/engine/ipfail.h),
so the group still moves, about 10 s later.
"""
from __future__ import annotations

import contextlib
import grp
import pathlib
import sys
import time

import pytest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "integration"))

from mixed_cluster import (AUTH, FAST, HARESOURCES, Probe, RealWebNode,  # noqa: E402
                           VigilWebNode, real_ha_cf, use_eth0, vigil_ha_cf_from_real)
from test_interop_failover import dump_logs, real_workdir  # noqa: E402
from web_cluster import web_workdir  # noqa: E402

NOISE = ("Late heartbeat",)


def ipfail_ha_cf(router):
    return real_ha_cf(**FAST) + (f"ping {router}\ndeadping 1\n"
                                 "respawn hacluster /usr/libexec/heartbeat/ipfail\n")


def wait_quiet(nodes, quiet=3.0, timeout=30.0):
    """Returns once no node logged anything (but NOISE) for `quiet` seconds:
    the join-time exchanges (standby [foreign], the ipfails' first count
    comparison and the auto_failback give-up it may start) are over."""
    def size(n):
        return sum(1 for ln in n.log().splitlines() if not any(x in ln for x in NOISE))
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        now = [size(n) for n in nodes]
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        time.sleep(0.2)
    raise AssertionError(f"logs did not settle within {timeout}s")


@contextlib.contextmanager
def mixed_pair(lab, real_name, text):
    """Opens ICMP to the vigil node's heartbeatd and makes both nodes (the
    real one named `real_name`); yields (node1, node2), node1 being the
    group's home; their logs are printed if the block fails."""
    gid = grp.getgrnam("haclient").gr_gid
    use_eth0(lab, "node1", "node2")
    vig_name = "node2" if real_name == "node1" else "node1"
    lab.run(vig_name, ["sysctl", "-q", "-w", f"net.ipv4.ping_group_range={gid} {gid}"])
    with web_workdir() as webdir, real_workdir() as realdir:
        real = RealWebNode(lab, realdir, real_name)
        real.write_config(text, HARESOURCES, AUTH["crc"])
        vig = VigilWebNode(lab, webdir, vig_name, ha_cf_text=vigil_ha_cf_from_real(text))
        pair = (real, vig) if real_name == "node1" else (vig, real)
        try:
            yield pair
        except BaseException:
            dump_logs(pair)
            raise
        finally:
            real.destroy()
            vig.destroy()


def start_serving(probe, node1, node2):
    """node1 starts and serves, then node2 joins."""
    t0 = time.monotonic()
    node1.start()
    probe.wait_served_by("node1", 40, after=t0)
    node2.start()
    node2.wait_for_log(r"Status update for node node1: status active", 30)


@pytest.mark.parametrize("real_name", ["node1", "node2"])
@pytest.mark.lab(hosts=("node1", "node2", "router"))
def test_router_loss_moves_the_group_between_real_and_builtin_ipfail(lab, tmp_path, real_name):
    router = lab.hosts["router"].addr
    with mixed_pair(lab, real_name, ipfail_ha_cf(router)) as (node1, node2), \
            Probe(lab, tmp_path) as probe:
        vig = node2 if real_name == "node1" else node1
        start_serving(probe, node1, node2)
        vig.wait_for_log(r"ipfail: built in", 30)
        # The ipfails compare counts once both are up.
        vig.wait_for_log(r"Got asked for num_ping\.|Got join message", 40)
        wait_quiet((node1, node2))
        mark1, mark2 = node1.log_mark(), node2.log_mark()
        t0 = time.monotonic()
        lab.drop("router", "both", peer="node1")
        served = probe.wait_served_by("node2", 40, after=t0)
        print(f"\n{node1.kind} node1 loses the router -> served by {node2.kind} "
              f"node2: {served - t0:.2f} s")
        node2.wait_for_log(r"Telling other node that we have more visible ping nodes\.",
                           1, start=mark2)
        node1.wait_for_log(r"Giving up because we were told that we have less ping "
                           r"nodes\.", 1, start=mark1)
        t0 = time.monotonic()
        lab.undrop("router")
        served = probe.wait_served_by("node1", 40, after=t0)
        print(f"router back -> served by {node1.kind} node1: {served - t0:.2f} s")
