"""The seed with shared storage (issue 10): the web root lives on a
filesystem that moves with the group, mounted by resource-agents'
Filesystem agent through vigil's built-in mapping of heartbeat's
Filesystem wrapper — the nodes' resource.d holds no heartbeat wrapper.

An ext4 image on a loop device stands for the SAN, visible to both nodes.
haresources: `node1 192.0.2.5 Filesystem::/dev/loopN::DATA::ext4 httpsvc`,
httpsvc serving DATA (the image holds the page). Each node's resourced
runs in its own mount namespace (`ip netns exec` gives every process it
starts one, a slave of the machine's), so a mount made by one node's agent
is seen by that node alone; which node has the filesystem mounted is read
from /proc/<resourced>/mounts. DATA is a directory of the test's work dir
rather than /data, so that nothing is created on the machine itself.

kill -9 of node1's heartbeatd moves the mount to node2 (node1's resourced
stops the group when its lease runs out, node2 takes over after the
deadtime) and the page still comes from the filesystem; failback (node1's
heartbeatd back, auto_failback on) moves it back. A sampler reads both
nodes' mount tables every 20 ms throughout: the filesystem is never
mounted on both. The deadtime is 4 s (lease 2 s) so that a loaded CI
machine's slow shell agents fit into the time between lease and deadtime.
"""
from __future__ import annotations

import re
import subprocess
import threading
import time

import pytest

from vigil_node import AUTH_CRC, VigilNode, ha_cf
from web_cluster import VIP, fetch, install_httpsvc, web_workdir

PAGE = "served from the shared disk\n"


@pytest.fixture
def san(tmp_path):
    """An ext4 image holding the page, on a loop device; detached at the end."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "index.html").write_text(PAGE)
    image = tmp_path / "san.img"
    subprocess.run(["truncate", "-s", "16M", str(image)], check=True)
    subprocess.run(["mkfs.ext4", "-q", "-F", "-d", str(content), str(image)], check=True)
    dev = subprocess.run(["losetup", "--find", "--show", str(image)], check=True,
                         capture_output=True, text=True).stdout.strip()
    try:
        yield dev
    finally:
        subprocess.run(["losetup", "-d", dev], check=False)


class MountSampler:
    """Reads each node's resourced mount table every 20 ms; records any
    moment at which more than one node has `mountpoint` mounted."""

    def __init__(self, nodes, mountpoint):
        self.nodes = nodes
        self.mountpoint = str(mountpoint)
        self.samples = 0
        self.both = []
        self.seen = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def mounted_on(self, node):
        try:
            with open(f"/proc/{node.helpers['resourced'].pid}/mounts") as f:
                return any(line.split()[1] == self.mountpoint for line in f)
        except (FileNotFoundError, ProcessLookupError):
            return False

    def _run(self):
        while not self._stop.is_set():
            holders = [n.host for n in self.nodes if self.mounted_on(n)]
            self.samples += 1
            self.seen.update(holders)
            if len(holders) > 1:
                self.both.append(time.monotonic())
            time.sleep(0.02)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=5)


def make_node(lab, workdir, host, dev, data):
    haresources = f"node1 {VIP} Filesystem::{dev}::{data}::ext4 httpsvc\n"
    text = ha_cf(["node1", "node2"], ["bcast eth1"], keepalive="200ms", deadtime="4",
                 warntime="2", initdead="4")
    node = VigilNode(lab, host, workdir, text, haresources=haresources, authkeys=AUTH_CRC)
    install_httpsvc(node.config_dir, node.runtime_dir, data)
    assert not (node.config_dir / "resource.d" / "Filesystem").exists()
    return node


def test_the_web_root_moves_with_the_group_and_is_never_mounted_twice(lab, san):
    with web_workdir("vigil-shared-storage-") as workdir:
        data = workdir / "data"
        data.mkdir()
        node1 = make_node(lab, workdir, "node1", san, data)
        node2 = make_node(lab, workdir, "node2", san, data)
        check = node1.vigilctl("check-config")
        assert (f"Filesystem::{san}::{data}::ext4 -> ocf:heartbeat:Filesystem device={san} "
                f"directory={data} fstype=ext4") in check.stdout
        try:
            node1.start_all()
            node2.start_helpers()
            with MountSampler([node1, node2], data) as sampler:
                wait_until_page(lab, 30)
                assert sampler.mounted_on(node1) and not sampler.mounted_on(node2)
                node2.start()
                node2.wait_for_log(re.escape("Status update for node node1: status active"), 20)

                # Crash of node1's heartbeatd: the mount moves to node2.
                node1.kill9()
                wait_until(lambda: sampler.mounted_on(node2), 30, "mounted on node2")
                wait_until_page(lab, 30)
                assert not sampler.mounted_on(node1)
                node2.wait_for_log(re.escape(
                    f"Acquiring resource group: node1 {VIP} Filesystem::{san}::{data}::ext4 "
                    "httpsvc"), 5)

                # Failback: node1's heartbeatd comes back and takes the group home.
                node1.start()
                wait_until(lambda: sampler.mounted_on(node1) and not sampler.mounted_on(node2),
                           40, "mounted on node1 again")
                wait_until_page(lab, 30)
            print(f"\nmount tables sampled {sampler.samples} times; holders seen: "
                  f"{sorted(sampler.seen)}")
            assert sampler.seen == {"node1", "node2"}
            assert sampler.both == [], f"mounted on both nodes at {len(sampler.both)} samples"
        finally:
            # A graceful stop releases the group (the mount with it); a mount
            # left anyway goes with its namespace's last process.
            node1.stop_all()
            node2.stop_all()


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"not {what} within {timeout} s"
        time.sleep(0.02)


def wait_until_page(lab, timeout):
    wait_until(lambda: fetch(lab) == PAGE, timeout, f"http://{VIP}/ serving the shared page")
