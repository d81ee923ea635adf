"""The real ipd binary on a netlab host, with its own configuration and
runtime directory (world-traversable, so a client running as another
uid reaches the socket and meets the PeerPolicy, not the file mode)."""
from __future__ import annotations

import os
import re
import shutil
import signal
import tempfile

from netlab import wait_until

HA_CF = """logfacility none
keepalive 1
deadtime 10
warntime 5
initdead 20
udpport 694
bcast eth1
auto_failback on
node node1
node node2
"""

# Group 0: VIP, a script, a second VIP. Group 1: a VIP.
HARESOURCES = """node1 IPaddr2::192.0.2.50/24/eth1 Filesystem::/dev/sdb1::/srv::ext4 IPaddr2::192.0.2.51/24/eth1
node1 192.0.2.52
"""


class IpdDaemon:
    def __init__(self, lab, binary, host="node1", haresources=HARESOURCES, extra_args=()):
        self.lab = lab
        self.binary = binary
        self.host = host
        self.extra_args = list(extra_args)
        self.dir = tempfile.mkdtemp(prefix="vigil-ipd-")
        os.chmod(self.dir, 0o755)
        self.config_dir = os.path.join(self.dir, "etc")
        self.runtime_dir = os.path.join(self.dir, "run")
        os.makedirs(self.config_dir)
        with open(os.path.join(self.config_dir, "ha.cf"), "w") as f:
            f.write(HA_CF)
        with open(os.path.join(self.config_dir, "haresources"), "w") as f:
            f.write(haresources)
        keys = os.path.join(self.config_dir, "authkeys")
        with open(keys, "w") as f:
            f.write("auth 1\n1 sha1 vigil-test-key\n")
        os.chmod(keys, 0o600)
        self.socket_path = os.path.join(self.runtime_dir, "ipd.sock")
        self.proc = None
        self.procs = []

    def argv(self):
        return [self.binary, "--config-dir", self.config_dir, "--runtime-dir", self.runtime_dir,
                "--node-name", self.host, *self.extra_args]

    def start(self):
        self.proc = self.lab.spawn(self.host, self.argv())
        self.procs.append(self.proc)
        wait_until(lambda: "ipd started" in self.log() or self.proc.poll() is not None,
                   timeout=10, what="ipd to start")
        assert self.proc.poll() is None, self.log()
        return self.proc

    def log(self, proc=None):
        p = proc or self.proc
        with open(p.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def all_logs(self):
        return "".join(self.log(p) for p in self.procs)

    @property
    def config_hash(self):
        m = re.search(r"hash ([0-9a-f]{64})", self.log())
        assert m, self.log()
        return m.group(1)

    def kill9(self):
        self.lab.stop(self.proc, sig=signal.SIGKILL)

    def close(self):
        for p in self.procs:
            self.lab.stop(p)
        shutil.rmtree(self.dir, ignore_errors=True)
