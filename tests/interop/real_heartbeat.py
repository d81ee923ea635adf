"""A real Linux-HA heartbeat 3.0.6 node (Debian package `heartbeat`) inside a
test network namespace, as the oracle for interoperability tests.

How (see shared/docs/real-heartbeat-lab.md for the facts this relies on):
the node gets its own PID, UTS, IPC and mount namespaces inside the given
network namespace. Its PID 1 is `node_init.py` (beside this file), which
sets the host name heartbeat takes its node name from, bind-mounts private
copies of /etc/ha.d, /var/lib/heartbeat, /run, /var/log and /etc/init.d,
puts harmless stubs over systemctl and systemd (a failed resource stop makes
heartbeat's ResourceManager try to reboot the machine), starts heartbeat
through its own init script and reaps zombies. Killing that PID 1 ends the
whole node; nothing is ever killed by name.

    node = RealHeartbeatNode(workdir, netns="vg123-node1", hostname="node1")
    node.write_config(ha_cf=..., haresources=..., authkeys=...)
    node.add_init_script("httpsvc", text)
    node.boot()                       # PID 1 up, heartbeat started
    node.wait_for_log("Local status now set to: 'active'", timeout=20)
    node.stop()                       # graceful: heartbeat -k
    node.kill9()                      # kill -9 of the heartbeat daemon(s) only
    node.destroy()                    # ends the node's PID namespace
"""
import os
import pathlib
import re
import shutil
import signal
import subprocess
import time

HERE = pathlib.Path(__file__).resolve().parent
PACKAGES = ("heartbeat", "cluster-glue", "resource-agents")


def package_paths(prefix):
    """Files and directories the Debian packages install under `prefix`."""
    out = subprocess.run(["dpkg", "-L", *PACKAGES], check=True,
                         capture_output=True, text=True).stdout
    return sorted({p for p in out.splitlines()
                   if p == prefix or p.startswith(prefix + "/")})


def copy_from_packages(prefix, dest):
    """Builds a pristine copy of `prefix` from the package file lists, so a
    node never inherits another node's hb_uuid or generation."""
    dest = pathlib.Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for path in package_paths(prefix):
        rel = os.path.relpath(path, prefix)
        target = dest / rel
        if os.path.isdir(path) and not os.path.islink(path):
            target.mkdir(parents=True, exist_ok=True)
            st = os.stat(path)
            os.chmod(target, st.st_mode & 0o7777)
            os.chown(target, st.st_uid, st.st_gid)
        elif os.path.exists(path):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target, follow_symlinks=False)


class RealHeartbeatNode:
    def __init__(self, workdir, netns, hostname):
        self.dir = pathlib.Path(workdir) / f"realhb-{hostname}"
        self.netns = netns
        self.hostname = hostname
        self.proc = None       # the unshare process
        self.init_pid = None   # PID 1 of the node, as seen from outside
        if self.dir.exists():
            shutil.rmtree(self.dir)
        for sub in ("etc-ha.d", "var-lib-heartbeat", "run", "var-log", "init.d"):
            (self.dir / sub).mkdir(parents=True)
        copy_from_packages("/etc/ha.d", self.dir / "etc-ha.d")
        copy_from_packages("/var/lib/heartbeat", self.dir / "var-lib-heartbeat")
        shutil.copy2("/etc/init.d/heartbeat", self.dir / "init.d" / "heartbeat")

    @property
    def log_path(self):
        return self.dir / "var-log" / "ha-log"

    def write_config(self, ha_cf, haresources, authkeys):
        etc = self.dir / "etc-ha.d"
        (etc / "ha.cf").write_text(ha_cf)
        (etc / "haresources").write_text(haresources)
        (etc / "authkeys").write_text(authkeys)
        os.chmod(etc / "authkeys", 0o600)

    def add_init_script(self, name, text):
        path = self.dir / "init.d" / name
        path.write_text(text)
        os.chmod(path, 0o755)

    def boot(self, timeout=20):
        """Starts the node's PID 1, which starts heartbeat with the init script."""
        cmd = ["ip", "netns", "exec", self.netns,
               "unshare", "--pid", "--fork", "--mount-proc", "--uts", "--ipc",
               "--mount", "--propagation", "private",
               "/usr/bin/python3", str(HERE / "node_init.py"),
               str(self.dir), self.hostname]
        self.console = open(self.dir / "console.log", "wb")
        self.proc = subprocess.Popen(cmd, stdout=self.console, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            children = self._children(self.proc.pid)
            if children:
                self.init_pid = children[0]
                break
            time.sleep(0.05)
        else:
            raise RuntimeError(f"{self.hostname}: node init did not start")
        self.wait_for_file(self.dir / "booted", timeout)

    @staticmethod
    def _children(pid):
        try:
            text = pathlib.Path(f"/proc/{pid}/task/{pid}/children").read_text()
        except OSError:
            return []
        return [int(x) for x in text.split()]

    def wait_for_file(self, path, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if pathlib.Path(path).exists():
                return
            if self.proc and self.proc.poll() is not None:
                break
            time.sleep(0.05)
        console = (self.dir / "console.log").read_text(errors="replace")
        raise RuntimeError(f"{self.hostname}: {path} did not appear; console:\n{console}")

    def enter(self, argv, check=True, timeout=60):
        """Runs argv inside the node (its network, UTS, mount, PID, IPC namespaces)."""
        cmd = ["nsenter", "-t", str(self.init_pid), "-n", "-u", "-m", "-p", "-i", *argv]
        return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=timeout)

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def wait_for_log(self, pattern, timeout, start=0):
        """Waits until the ha-log (from byte offset `start`) matches `pattern`."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.log()[start:]
            m = rx.search(text)
            if m:
                return m
            time.sleep(0.1)
        raise AssertionError(f"{self.hostname}: no /{pattern}/ in ha-log within {timeout}s:\n"
                             + self.log()[-4000:])

    def heartbeat_pids(self):
        """PIDs (outside view) of the heartbeat processes of this node."""
        pids = []
        stack = [self.init_pid]
        while stack:
            pid = stack.pop()
            kids = self._children(pid)
            stack.extend(kids)
            try:
                comm = pathlib.Path(f"/proc/{pid}/comm").read_text().strip()
            except OSError:
                continue
            if comm == "heartbeat":
                pids.append(pid)
        return pids

    def stop(self, timeout=60):
        """Graceful stop through heartbeat's own init script (heartbeat -k)."""
        self.enter(["/etc/init.d/heartbeat", "stop"], check=False, timeout=timeout)

    def start(self):
        """Starts heartbeat again in the running node."""
        self.enter(["/etc/init.d/heartbeat", "start"], check=False)

    def kill9(self):
        for pid in self.heartbeat_pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def destroy(self):
        if self.init_pid:
            try:
                os.kill(self.init_pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.proc:
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None
        if getattr(self, "console", None):
            self.console.close()
            self.console = None
        self.init_pid = None
