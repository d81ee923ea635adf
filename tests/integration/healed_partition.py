"""The healed partition of issue 14, shared by CI's test
(test_healed_partition.py, one run) and the bench
(tests/bench/figures_healed_partition.py, ten runs per pairing):

node1 serves http://192.0.2.5/; the heartbeat path alone is cut (UDP 694
dropped in node2's namespace, both ways) while both nodes still reach the
client; node2 declares node1 dead, takes the group over and announces the
address, so the client follows it. After `cut` seconds the path heals:
heartbeat-compat.md §6.8 says heartbeat then restarts the detecting
node(s); vigil's home node keeps the group, the other gives it back within
milliseconds, and the holder that stays announces the address again so the
client comes back to it (heartbeatd/engine/announcement_plan.h).

    from healed_partition import cut_and_heal
    result = cut_and_heal(lab, node1, node2, probe, cut=5.0)
    result.one_holder   # s from the heal to exactly one node holding the VIP
    result.served       # s from the heal to that node serving the client,
                        # without a miss or another server, for `steady` s
    result.holder       # which node

node1/node2 are mixed_cluster's VigilWebNode or RealWebNode (vip_present()),
probe a mixed_cluster.Probe recording the client's view every 20 ms.
"""
from __future__ import annotations

import dataclasses
import time

from netlab import wait_until


@dataclasses.dataclass
class Healed:
    one_holder: float
    served: float
    holder: str


def holders(nodes):
    return [n.name for n in nodes if n.vip_present()]


def cut_and_heal(lab, node1, node2, probe, cut=5.0, steady=2.0, timeout=60.0):
    nodes = (node1, node2)
    began = time.monotonic()
    lab.drop("node2", "both", udp_port=694)
    # node2 takes over and the client follows it: the state the heal starts
    # from (the client's ARP entry names node2). A real heartbeat node2
    # takes longer than 5 s on a loaded machine (harc, mach_down, IPaddr):
    # the cut then lasts until it serves.
    probe.wait_served_by("node2", max(cut, 30.0), after=began)
    time.sleep(max(0.0, began + cut - time.monotonic()))
    healed = time.monotonic()
    lab.undrop("node2")

    # Exactly one holder, sampled as fast as `ip addr` allows.
    one = wait_until(lambda: (len(holders(nodes)) == 1 and time.monotonic()),
                     timeout=timeout, interval=0.01, what="exactly one holder after the heal")
    one_holder = one - healed

    # Served by one holder, every try, for `steady` s: the first success of
    # that run is the figure. The holder may still change (a heartbeat
    # peer's restart gives everything up), so the run is searched for.
    deadline = healed + timeout
    while True:
        now = time.monotonic()
        current = holders(nodes)
        samples = [(t, who) for t, who in probe.samples(healed)]
        start = None
        for t, who in samples:
            if len(current) == 1 and who == current[0]:
                if start is None:
                    start = t
            else:
                start = None
        if start is not None and samples and samples[-1][0] - start >= steady:
            return Healed(one_holder, start - healed, current[0])
        if now > deadline:
            raise AssertionError(f"no single holder served the client steadily within "
                                 f"{timeout} s of the heal (holders {current}, last tries "
                                 f"{samples[-10:]})")
        time.sleep(0.1)
