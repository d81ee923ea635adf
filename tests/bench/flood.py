#!/usr/bin/python3
"""Flood benchmark (issue 15): junk from the LAN against a vigil pair.

    sudo VIGIL_BUILD_DIR=build /usr/bin/python3 tests/bench/flood.py [--seconds 10]

netlab hosts node1, node2, client and flooder on one bridge (namespaces
only). node1 and node2 run vigil with the seed's web cluster (keepalive
100ms, deadtime 500ms, sha1 keys); the client fetches the VIP's page every
10 ms; the flooder sends node1 random bytes, truncated framing and node2's
status packet with an altered signature as fast as it can (flooder.py).
Prints: packets sent, bytes node1 logged during the flood, late-heartbeat
warnings and false deaths on both nodes, probes missed.

Not done yet: the same flood against a real heartbeat 3.0.6 pair in the
same run (tests/interop/real_heartbeat.py); see the branch's report.
"""
import argparse
import pathlib
import re
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "integration"))
from netlab import Lab  # noqa: E402
from vigil_node import AUTH_SHA1, ha_cf  # noqa: E402
from vip_probe import VipProbe, failed  # noqa: E402
from web_cluster import make_web_node, start_serving_pair, web_workdir  # noqa: E402

DEATH = re.compile(r"node (node1|node2): status dead|Cluster node (node1|node2) .* dead",
                   re.I)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10)
    args = ap.parse_args()
    with Lab(hosts=("node1", "node2"), client=True) as lab, web_workdir() as workdir:
        lab.add_host("flooder")
        text = ha_cf(["node1", "node2"], ["bcast eth1"])
        node1 = make_web_node(lab, workdir, "node1", text, authkeys=AUTH_SHA1)
        node2 = make_web_node(lab, workdir, "node2", text, authkeys=AUTH_SHA1)
        start_serving_pair(lab, node1, node2)
        time.sleep(6)  # past the start-up deadtime bump (§5.10)
        probe_path = pathlib.Path(workdir) / "probe.txt"
        with VipProbe(lab, "client", probe_path) as probe:
            time.sleep(1)
            log1, log2 = node1.log_size(), node2.log_size()
            start = time.monotonic()
            flood = lab.spawn("flooder", ["/usr/bin/python3", str(HERE / "flooder.py"),
                                          lab.hosts["node1"].addr, lab.hosts["node2"].addr,
                                          str(args.seconds)],
                              log_path=str(pathlib.Path(workdir) / "flooder.out"))
            flood.wait(timeout=args.seconds + 30)
            end = time.monotonic()
            time.sleep(1)
        samples = probe.samples()
        during = [s for s in samples if start <= s.start <= end]
        missed = failed(samples, start, end)
        sent = (pathlib.Path(workdir) / "flooder.out").read_text().strip()
        flood_log1 = node1.log(log1)
        flood_log2 = node2.log(log2)
        print(f"flood: {sent} in {end - start:.1f} s")
        print(f"node1 log written during the flood: {len(flood_log1.encode())} bytes "
              f"({flood_log1.count(chr(10))} lines)")
        print(f"late heartbeat warnings: node1 {flood_log1.count('Late heartbeat')}, "
              f"node2 {flood_log2.count('Late heartbeat')}")
        print(f"false deaths: node1 {len(DEATH.findall(flood_log1))}, "
              f"node2 {len(DEATH.findall(flood_log2))}")
        print(f"probes missed: {len(missed)} of {len(during)}")
        print("node1's log lines during the flood (first 20):")
        for line in flood_log1.splitlines()[:20]:
            print("  " + line)


if __name__ == "__main__":
    main()
