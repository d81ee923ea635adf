"""ipfail in a mixed cluster (heartbeat-compat.md §8.2): a real heartbeat
3.0.6 node running heartbeat's own ipfail binary and a vigil node running
the built-in one, the same ha.cf on both (`ping <router>`, `deadping 1`,
`respawn hacluster /usr/libexec/heartbeat/ipfail`). node1 (real) serves;
node1 <-> router is blocked while the heartbeat link stays up: the two
ipfails exchange num_ping_nodes / you_are_dead, the real node gives its
group up by standby and the vigil node serves. Then unblocked: equal
counts, auto_failback on, the vigil node gives it back.

What crosses the wire between the two ipfails (num_ping_nodes num_ping=N,
you_are_dead, abort_giveup, each with dest=<peer>; the API's hbapi-clstat
join) is what heartbeatd/messages types; the real ipfail's log shows it
read ours ("Giving up because we were told that we have less ping
nodes.") and vigil's shows it read the real one's ("Got asked for
num_ping."). One orientation (the real node holds the group) in CI.
"""
from __future__ import annotations

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


@pytest.mark.lab(hosts=("node1", "node2", "router"))
def test_real_ipfail_and_builtin_ipfail_move_the_group_on_router_loss(lab, tmp_path):
    router = lab.hosts["router"].addr
    gid = grp.getgrnam("haclient").gr_gid
    use_eth0(lab, "node1", "node2")
    lab.run("node2", ["sysctl", "-q", "-w", f"net.ipv4.ping_group_range={gid} {gid}"])
    text = real_ha_cf(**FAST) + (f"ping {router}\ndeadping 1\n"
                                 "respawn hacluster /usr/libexec/heartbeat/ipfail\n")
    with web_workdir() as webdir, real_workdir() as realdir:
        real = RealWebNode(lab, realdir, "node1")
        real.write_config(text, HARESOURCES, AUTH["crc"])
        vig = VigilWebNode(lab, webdir, "node2", ha_cf_text=vigil_ha_cf_from_real(text))
        try:
            with Probe(lab, tmp_path) as probe:
                t0 = time.monotonic()
                real.start()
                probe.wait_served_by("node1", 40, after=t0)
                vig.start()
                vig.wait_for_log(r"Status update for node node1: status active", 30)
                vig.wait_for_log(r"ipfail: built in", 10)
                # The real ipfail and ours compare counts once both are up.
                vig.wait_for_log(r"Got asked for num_ping\.|Got join message", 40)
                # A real node that came up alone runs a standby [foreign]
                # exchange when its peer joins (ownership.h); heartbeat's
                # ipfail does not give up while resources are in transition
                # and then waits for the peer's next stable report, so the
                # router is cut once that exchange is over.
                real.wait_for_log(r"Other node completed standby takeover of foreign "
                                  r"resources\.", 30)
                time.sleep(3)
                mark_r, mark_v = real.log_mark(), vig.log_mark()
                t0 = time.monotonic()
                lab.drop("router", "both", peer="node1")
                served = probe.wait_served_by("node2", 30, after=t0)
                print(f"\nreal node1 loses the router -> served by vigil node2: "
                      f"{served - t0:.2f} s")
                vig.wait_for_log(r"Telling other node that we have more visible ping nodes\.",
                                 1, start=mark_v)
                real.wait_for_log(r"Giving up because we were told that we have less ping "
                                  r"nodes\.", 1, start=mark_r)
                t0 = time.monotonic()
                lab.undrop("router")
                served = probe.wait_served_by("node1", 40, after=t0)
                print(f"router back -> served by real node1: {served - t0:.2f} s")
        except BaseException:
            dump_logs((real, vig))
            raise
        finally:
            real.destroy()
            vig.destroy()
