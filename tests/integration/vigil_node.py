"""A vigil node on a netlab host: its three configuration files, its own
state and runtime directories, and its daemons started inside the host's
network namespace (every daemon takes --config-dir, --runtime-dir,
--state-dir and --node-name, so several nodes share one machine).

    node = VigilNode(lab, "node1", workdir, ha_cf=text, haresources="", authkeys=AUTH_SHA1)
    node.start()                   # heartbeatd
    node.wait_for_log(r"Status update for node node2: status active", 10)
    node.kill9()                   # kill -9 of heartbeatd, by PID
    node.stop()                    # SIGTERM

    node.start_all()               # ipd and resourced (root, --heartbeat-user
                                   # hacluster), then heartbeatd; the node's
                                   # directories must be traversable by
                                   # hacluster (make_traversable)
    node.kill9_all()               # kill -9 of the three, by PID
    node.vigilctl("standby", "all")  # vigilctl in the node's host
    node.vip_present("192.0.2.5")  # is the address configured here?
"""
from __future__ import annotations

import os
import pathlib
import re
import signal
import time

BUILD = pathlib.Path(os.environ.get("VIGIL_BUILD_DIR",
                                    pathlib.Path(__file__).resolve().parents[2] / "build"))
HEARTBEATD = BUILD / "heartbeatd" / "heartbeatd"
IPD = BUILD / "ipd" / "ipd"
RESOURCED = BUILD / "resourced" / "resourced"
VIGILCTL = BUILD / "vigilctl" / "vigilctl"
HEARTBEAT_USER = "hacluster"

AUTH_CRC = "auth 1\n1 crc\n"
AUTH_SHA1 = "auth 1\n1 sha1 vigil-test-key\n"


def ha_cf(nodes, media, keepalive="100ms", deadtime="500ms", warntime="300ms",
          initdead="2", extra="", logfile=None, auto_failback="on"):
    """An ha.cf in heartbeat's words. `media` are whole lines such as
    "bcast eth1" or "ucast eth1 192.0.2.2"."""
    lines = []
    if logfile:
        lines.append(f"logfile {logfile}")
    lines += ["logfacility none", f"keepalive {keepalive}", f"deadtime {deadtime}",
              f"warntime {warntime}", f"initdead {initdead}", "udpport 694"]
    lines += list(media)
    lines.append(f"auto_failback {auto_failback}")
    lines += [f"node {n}" for n in nodes]
    if extra:
        lines.append(extra)
    return "\n".join(lines) + "\n"


class VigilNode:
    def __init__(self, lab, host, workdir, ha_cf, haresources="", authkeys=AUTH_SHA1,
                 node_name=None):
        self.lab = lab
        self.host = host
        self.node_name = node_name or host
        self.dir = pathlib.Path(workdir) / f"vigil-{host}"
        self.config_dir = self.dir / "etc"
        self.runtime_dir = self.dir / "run"
        self.state_dir = self.dir / "state"
        for d in (self.config_dir, self.runtime_dir, self.state_dir):
            d.mkdir(parents=True, exist_ok=True)
        self.log_path = self.dir / "heartbeatd.log"
        self.proc = None
        self.helpers = {}  # "ipd" / "resourced" -> Popen
        # Optional argv -> argv for heartbeatd, e.g. to run it inside the
        # host's corosync node shell (corosync_lab.py).
        self.wrap = None
        self.write_config(ha_cf, haresources, authkeys)

    def write_config(self, ha_cf, haresources, authkeys):
        (self.config_dir / "ha.cf").write_text(ha_cf)
        (self.config_dir / "haresources").write_text(haresources)
        keys = self.config_dir / "authkeys"
        keys.write_text(authkeys)
        os.chmod(keys, 0o600)

    def common_args(self):
        return ["--config-dir", str(self.config_dir), "--runtime-dir", str(self.runtime_dir),
                "--state-dir", str(self.state_dir), "--node-name", self.node_name]

    def start(self):
        argv = [str(HEARTBEATD), *self.common_args()]
        if self.wrap:
            argv = self.wrap(argv)
        self.log_offset_at_start = self.log_size()
        self.proc = self.lab.spawn(self.host, argv, log_path=str(self.log_path))
        return self.proc

    def log_size(self):
        try:
            return self.log_path.stat().st_size
        except FileNotFoundError:
            return 0

    def log(self, start=0):
        try:
            with open(self.log_path, "rb") as f:
                f.seek(start)
                return f.read().decode(errors="replace")
        except FileNotFoundError:
            return ""

    def wait_for_log(self, pattern, timeout, start=0):
        """Polls the log (from byte `start`) every 10 ms; returns the match
        and the monotonic time it was first seen."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            m = rx.search(self.log(start))
            if m:
                return m, time.monotonic()
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.host}: no /{pattern}/ within {timeout}s; log:\n"
                                     + self.log()[-3000:])
            time.sleep(0.01)

    def kill9(self):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.lab.stop(self.proc)

    def vigilctl(self, *args, check=True):
        """Runs vigilctl (as root) in this node's host against its
        heartbeatd; returns the CompletedProcess."""
        argv = [str(VIGILCTL), "--runtime-dir", str(self.runtime_dir),
                "--config-dir", str(self.config_dir), "--node-name", self.node_name, *args]
        return self.lab.run(self.host, argv, check=check)

    def vip_present(self, vip):
        out = self.lab.run(self.host, ["ip", "-4", "-o", "addr", "show"]).stdout
        return f" {vip}/" in out

    def make_traversable(self):
        """heartbeatd drops to hacluster and must reach RUNTIME_DIR's
        sockets: every directory from / down to the runtime dir gets o+x."""
        d = self.runtime_dir
        while True:
            mode = d.stat().st_mode
            if not mode & 0o001:
                os.chmod(d, (mode & 0o7777) | 0o011)
            if d.parent == d:
                break
            d = d.parent
        os.chmod(self.runtime_dir, 0o755)

    def helper_log_path(self, name):
        return self.dir / f"{name}.log"

    def start_helpers(self, heartbeat_user=HEARTBEAT_USER, timeout=5, resourced_args=()):
        """Starts ipd and resourced (root) and waits for their sockets;
        `resourced_args` are added to resourced's command line."""
        self.make_traversable()
        for name, binary in (("ipd", IPD), ("resourced", RESOURCED)):
            argv = [str(binary), *self.common_args(), "--heartbeat-user", heartbeat_user]
            if name == "resourced":
                argv += list(resourced_args)
            self.helpers[name] = self.lab.spawn(self.host, argv,
                                                log_path=str(self.helper_log_path(name)))
        deadline = time.monotonic() + timeout
        for name in ("ipd", "resourced"):
            sock = self.runtime_dir / f"{name}.sock"
            while not sock.exists():
                if self.helpers[name].poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"{self.host}: {name} did not create {sock}; log:\n"
                                         + self.helper_log(name)[-3000:])
                time.sleep(0.01)

    def helper_log(self, name):
        try:
            return self.helper_log_path(name).read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def start_all(self, heartbeat_user=HEARTBEAT_USER, resourced_args=()):
        self.start_helpers(heartbeat_user, resourced_args=resourced_args)
        return self.start()

    def kill9_all(self):
        self.kill9()
        for p in self.helpers.values():
            if p.poll() is None:
                os.kill(p.pid, signal.SIGKILL)
                p.wait(timeout=5)

    def stop_all(self):
        self.stop()
        for p in self.helpers.values():
            if p.poll() is None:
                self.lab.stop(p)
