"""A freshly booted Debian 12 with systemd as PID 1, for the install tests.

The tree comes from sysroot_cache.sh (debootstrap, cached by package list),
is unpacked into a scratch directory under /var/tmp, and is booted inside
new PID, mount, UTS and IPC namespaces and a network namespace of its own
(created here with a per-run name and deleted afterwards): nothing it starts
ever sees the machine's own network. The namespace holds `lo` and a veth
pair `eth1`/`eth1p` (10.0.0.1/24 on eth1) connected to nothing else, or,
given a Switch, `eth1p` is a port of that switch's bridge, so that two
machines form a cluster on one segment (and still reach nothing else).

The tree is entered with pivot_root, not chroot, and its root is made a
shared mount before systemd starts (as a container manager does): the
kernel refuses user namespaces to chrooted processes (PrivateUsers=), and
systemd's credentials (LoadCredential=) reach the service only through mount
propagation.

Every process is ended by the PID of the systemd started here (SIGKILL to
the PID 1 of a PID namespace ends the whole namespace).
"""

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Inside the new mount namespace: make the tree its own mount, enter it with
# pivot_root, drop the old root, share mounts as systemd expects, and exec
# systemd as PID 1 of the new PID namespace.
_BOOT = (
    'mount --bind "$0" "$0" && mount -t proc proc "$0/proc" && cd "$0" && '
    "mkdir -p .oldroot && pivot_root . .oldroot && "
    "exec /usr/bin/env container=other /bin/sh -c "
    "'umount -l /.oldroot && rmdir /.oldroot && mount --make-rshared / && "
    "exec /lib/systemd/systemd --system'"
)

HOSTNAME = "node1"
PEER = "node2"
ETH1_ADDR = "10.0.0.1"
PEER_ADDR = "10.0.0.2"


def _run(cmd, **kw):
    kw.setdefault("check", True)
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    return subprocess.run(cmd, **kw)


# The test systems are minimal servers: vigil's Depends plus logrotate (a
# Recommends the logrotate test needs), never the other Recommends.
# resource-agents pulls in cluster-glue, openhpid, python3 and
# ca-certificates, whose postinst scripts leave files no package owns (the
# purge test would count them) and whose download and install take minutes.
_WITHOUT_RECOMMENDS = ["--no-install-recommends", "logrotate"]


class Switch:
    """A bridge in a network namespace of its own (per-run name, deleted on
    close): the segment the machines' eth1 ports are plugged into. It has no
    address and no route; nothing on it reaches the machine's network."""

    def __init__(self):
        self.netns = None

    def __enter__(self):
        self.netns = f"vgpkg{os.getpid()}-sw"
        _run(["ip", "netns", "add", self.netns])
        try:
            _run(["ip", "-n", self.netns, "link", "add", "br0", "type", "bridge"])
            _run(["ip", "-n", self.netns, "link", "set", "br0", "up"])
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def plug(self, netns, veth_end, port):
        """Moves `veth_end` (one end of a veth pair made in `netns`) into the
        switch as port `port` of its bridge."""
        _run(["ip", "-n", netns, "link", "set", veth_end, "netns", self.netns])
        sw = ["ip", "-n", self.netns]
        _run(sw + ["link", "set", veth_end, "name", port])
        _run(sw + ["link", "set", port, "master", "br0"])
        _run(sw + ["link", "set", port, "up"])

    def close(self):
        if self.netns is not None:
            _run(["ip", "netns", "del", self.netns], check=False)
            self.netns = None


class Machine:
    """Use as a context manager; `run` executes a command inside."""

    def __init__(self, deb: Path, hostname=HOSTNAME, address=ETH1_ADDR, peer=PEER,
                 peer_address=PEER_ADDR, switch=None, upgrade_to=None, debian_packages=()):
        self.deb = Path(deb)
        # Debian packages a test installs beside vigil (install_debian):
        # downloaded before boot, as the booted system has no route out.
        self.debian_packages = tuple(debian_packages)
        # A newer .deb installed later (test_upgrade): it is copied in and its
        # dependencies are downloaded before boot, like the first one's, since
        # a newer package may depend on more (libcpg5 came with corosync).
        self.upgrade_to = Path(upgrade_to) if upgrade_to else None
        self.upgrade_inside = None
        self.hostname = hostname
        self.address = address
        self.peer = peer
        self.peer_address = peer_address
        self.switch = switch
        self.prefix = f"vgpkg{os.getpid()}"
        self.netns = None
        self.workdir = None
        self.root = None
        self.launcher = None  # the `ip netns exec ... unshare` process
        self.pid = None  # systemd, PID 1 inside
        self.log = None

    # ------------------------------------------------------------ set-up
    def __enter__(self):
        try:
            self._unpack()
            self._fetch_dependencies()
            self._make_netns()
            self._boot()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def _unpack(self):
        tarball = _run([str(HERE / "sysroot_cache.sh")], timeout=1200).stdout.split()[-1]
        self.workdir = Path(tempfile.mkdtemp(prefix=f"vigil-pkg-{os.getpid()}-", dir="/var/tmp"))
        self.root = self.workdir / "root"
        self.root.mkdir()
        _run(["tar", "-C", str(self.root), "--numeric-owner", "-xf", tarball], timeout=600)
        (self.root / "etc/hostname").write_text(self.hostname + "\n")
        with open(self.root / "etc/hosts", "a") as hosts:
            hosts.write(f"{self.address} {self.hostname}\n{self.peer_address} {self.peer}\n")
        pkgdir = self.root / "srv/vigil-test"
        pkgdir.mkdir(parents=True)
        shutil.copy2(self.deb, pkgdir / self.deb.name)
        self.deb_inside = f"/srv/vigil-test/{self.deb.name}"
        if self.upgrade_to is not None:
            shutil.copy2(self.upgrade_to, pkgdir / self.upgrade_to.name)
            self.upgrade_inside = f"/srv/vigil-test/{self.upgrade_to.name}"

    def _fetch_dependencies(self):
        # Only downloads (apt's http method), in the machine's own namespaces,
        # before anything is booted: the booted system has no route out, so
        # its `apt-get install` takes Debian's packages from the apt cache.
        shutil.copy2("/etc/resolv.conf", self.root / "etc/resolv.conf")
        # One download per .deb (two versions of one package cannot be
        # named in one `apt-get install`), then the Debian packages.
        wanted = [[self.deb_inside], [self.upgrade_inside], list(self.debian_packages)]
        for names in filter(lambda w: w and all(w), wanted):
            cmd = ["chroot", str(self.root), "env", "DEBIAN_FRONTEND=noninteractive",
                   "apt-get", "install", "--download-only", "-y", "-q",
                   *_WITHOUT_RECOMMENDS, *names]
            first = _run(cmd, check=False, timeout=600)
            if first.returncode != 0:  # the cached package lists went stale
                _run(["chroot", str(self.root), "apt-get", "update", "-q"], timeout=600)
                _run(cmd, timeout=600)

    def _make_netns(self):
        self.netns = f"{self.prefix}-{self.hostname}"
        _run(["ip", "netns", "add", self.netns])
        ns = ["ip", "-n", self.netns]
        _run(ns + ["link", "set", "lo", "up"])
        _run(ns + ["link", "add", "eth1", "type", "veth", "peer", "name", "eth1p"])
        _run(ns + ["addr", "add", f"{self.address}/24", "brd", "+", "dev", "eth1"])
        _run(ns + ["link", "set", "eth1", "up"])
        if self.switch is None:
            _run(ns + ["link", "set", "eth1p", "up"])
        else:
            # The port keeps the machine's name on the switch side.
            self.switch.plug(self.netns, "eth1p", f"p-{self.hostname}")

    def _boot(self):
        self.log = open(self.workdir / "boot.log", "w")
        self.launcher = subprocess.Popen(
            ["ip", "netns", "exec", self.netns, "unshare", "--fork", "--pid", "--mount",
             "--uts", "--ipc", "--propagation", "private", "sh", "-c", _BOOT, str(self.root)],
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        children = Path(f"/proc/{self.launcher.pid}/task/{self.launcher.pid}/children")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            kids = children.read_text().split() if children.exists() else []
            if kids:
                comm = Path(f"/proc/{kids[0]}/comm")
                if comm.exists() and comm.read_text().strip() == "systemd":
                    self.pid = int(kids[0])
                    break
            if self.launcher.poll() is not None:
                break
            time.sleep(0.1)
        if self.pid is None:
            raise RuntimeError("systemd did not start: " + (self.workdir / "boot.log").read_text())
        # Until systemd's private bus socket exists, systemctl prints nothing
        # or "offline".
        deadline = time.monotonic() + 120
        self.boot_state = ""
        while self.boot_state in ("", "offline") and time.monotonic() < deadline:
            state = self.run(["systemctl", "is-system-running", "--wait"], check=False,
                             timeout=120)
            self.boot_state = state.stdout.strip()
            if self.boot_state in ("", "offline"):
                time.sleep(0.3)
        if self.boot_state not in ("running", "degraded"):
            raise RuntimeError(f"boot ended in state {self.boot_state!r}")

    # ------------------------------------------------------------ inside
    def run(self, cmd, check=True, timeout=120, input=None):
        """Runs cmd (a list) inside every namespace of the booted system."""
        return _run(["nsenter", "-t", str(self.pid), "-a", "-r", "-w", *cmd],
                    check=check, timeout=timeout, input=input)

    def sh(self, script, check=True, timeout=120):
        return self.run(["/bin/sh", "-c", script], check=check, timeout=timeout)

    def unit_property(self, unit, prop):
        return self.run(["systemctl", "show", "-p", prop, "--value", unit]).stdout.strip()

    def wait_for(self, predicate, timeout=30.0, interval=0.2):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(interval)
        return predicate()

    def install_deb(self):
        return self.run(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install",
                         "-y", "-q", *_WITHOUT_RECOMMENDS, self.deb_inside], timeout=600)

    def install_debian(self, *names):
        """`apt-get install` of Debian packages named in debian_packages."""
        assert set(names) <= set(self.debian_packages), names
        return self.run(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y",
                         "-q", *_WITHOUT_RECOMMENDS, *names], timeout=600)

    def install_package(self, inside: str, reinstall=False):
        """`apt-get install` of a .deb already inside (upgrade_to). Without
        its Recommends: the booted system has no route out, and the apt cache
        holds what the packages need, not what they recommend."""
        return self.run(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y",
                         "-q", *_WITHOUT_RECOMMENDS,
                         *(["--reinstall"] if reinstall else []), inside], timeout=600)

    def install_example_config(self, initdead="4", deadtime="2", keepalive="500ms",
                               warntime="1"):
        """The bundled example /etc/ha.d (packaging/examples/seed), adapted to
        this system: our node names and address, short timers, and a group
        of one VIP on eth1 (the example's httpd is not installed here)."""
        ex = "/usr/share/doc/vigil/examples/ha.d"
        self.sh(
            "set -e; mkdir -p /etc/ha.d; "
            f"sed -e 's/^\\(node[[:space:]]\\+\\)node1[^[:space:]]*/\\1{HOSTNAME}/' "
            f"    -e 's/^\\(node[[:space:]]\\+\\)node2[^[:space:]]*/\\1{PEER}/' "
            f"    -e 's/^\\(ucast[[:space:]]\\+eth1[[:space:]]\\+\\)[0-9.]*/\\1{self.peer_address}/' "
            f"    -e 's/^initdead .*/initdead {initdead}/' "
            f"    -e 's/^deadtime .*/deadtime {deadtime}/' "
            f"    -e 's/^keepalive .*/keepalive {keepalive}/' "
            f"    -e 's/^warntime .*/warntime {warntime}/' "
            f"    {ex}/ha.cf > /etc/ha.d/ha.cf; "
            # node1 is the group's home on every machine (haresources is
            # the same file on both nodes of a cluster).
            f"echo '{HOSTNAME} IPaddr2::10.0.0.100/24/eth1' > /etc/ha.d/haresources; "
            f"install -m 0600 {ex}/authkeys /etc/ha.d/authkeys")

    # ------------------------------------------------------------ end
    def close(self):
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.pid = None
        if self.launcher is not None:
            try:
                self.launcher.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(self.launcher.pid, signal.SIGKILL)
                self.launcher.wait(timeout=10)
            self.launcher = None
        if self.log is not None:
            self.log.close()
            self.log = None
        if self.netns is not None:
            _run(["ip", "netns", "del", self.netns], check=False)
            self.netns = None
        if self.workdir is not None:
            subprocess.run(["rm", "-rf", "--one-file-system", str(self.workdir)], check=False)
            self.workdir = None
