"""netlab: test hosts built from Linux network namespaces (stdlib only).

Every integration test of vigil runs its daemons on hosts made here: one
network namespace per host, joined by veth pairs to a Linux bridge that lives
in a "switch" namespace. Nothing is ever connected to the machine's own
interfaces and no host has a route out: each host only has the connected
routes of its own test networks. Needs root.

Networks (``net`` numbers; the host-side interface is named ``eth<net>``
unless a host says otherwise):

    net 1   192.0.2.0/24      (TEST-NET-1)   2001:db8::/64     bridge br1
    net 2   198.51.100.0/24   (TEST-NET-2)   2001:db8:0:2::/64 bridge br2
    net 3   203.0.113.0/24    (TEST-NET-3)   2001:db8:0:3::/64 bridge br3

Addresses: ``nodeN`` gets ``.N`` (node1 .1, node2 .2, node3 .3), ``client``
gets ``.100``, any other name the next free address from ``.10`` on. The
IPv6 address uses the same host number (2001:db8::1 for node1). IPv6
addresses are added with DAD off, so they are usable at once.

Names: every namespace of one lab starts with a per-run prefix
``vg<pid>x<counter>`` (``Lab.prefix``), e.g. ``vg4711x1-node1`` and
``vg4711x1-sw`` for the switch.

API
---
    from netlab import Lab

    with Lab(hosts=("node1", "node2"), client=True,
             second_net=False, ipv6=False, logdir=None) as lab:
        lab.add_host("node3", nets={"eth1": 3})  # node3 alone on bridge br3,
                                                 # its interface still eth1
        lab.hosts["node1"].addr          # "192.0.2.1"    (first interface)
        lab.hosts["node1"].addr6         # "2001:db8::1"  (when ipv6)
        lab.hosts["node1"].ifaces["eth2"].addr   # Iface(net, name, addr, addr6)
        lab.ns("node1")                  # namespace name, for `ip netns exec`
        lab.run("node1", ["ping", "-c1", "192.0.2.2"])  # CompletedProcess;
                            # check=True by default, text output captured;
                            # a str command runs under /bin/sh -c
        p = lab.spawn("node1", argv, log_path=None, env=None)  # Popen, tracked
        p = lab.spawn("node1", argv, hostname="node1")  # + own PID/mount/UTS/
                                                         # IPC namespaces
        lab.stop(p, sig=SIGTERM, timeout=5)   # end one spawned process by PID
        lab.link_down("node1", "eth1")   # cut: the switch-side veth goes down
        lab.link_up("node1", "eth1")
        lab.drop("node1", "in", loss=30)             # 30 % random loss in
        lab.drop("node1", "out", peer="node2")       # one-way partition
        lab.drop("node1", "both", udp_port=694, ifname="eth1")
        lab.undrop("node1")                          # remove every drop rule
        with lab.capture("node2", "eth1", "udp port 694") as cap:
            ...                                       # tcpdump -w cap.path
        cap.packets()                    # tcpdump -r output lines

    wait_until(predicate, timeout=5.0, interval=0.05, what="...")
        # polls, returns the first truthy value or raises AssertionError

``run``/``spawn``/``drop`` accept a host name ("node1"), "switch" or a
namespace name; ``link_*`` a host name. Every ``lab.*`` call that changes the lab raises
``subprocess.CalledProcessError`` when the underlying command fails.

Teardown (``Lab.close()``, the ``with`` block's end, the pytest fixture's
end, and an ``atexit`` safety net for anything still open) ends every
process the lab spawned -- by PID (the process group each spawn started:
SIGTERM, then SIGKILL after a grace period) -- and deletes every namespace
it created, pass or fail. ``lab_namespaces(prefix)`` lists namespaces with a
prefix, so a test can check that none are left. A run killed outright
(SIGKILL: a session's end, meson's last resort) can unwind nothing; the
next run's ``remove_dead_runs_namespaces()`` deletes what it left, and
``unwind_on_sigterm()`` makes SIGTERM unwind like an exception. Both
conftests (integration, package) call them at start.

The pytest fixture ``lab`` (tests/integration/conftest.py) yields a Lab with
node1, node2 and client; tune it per test with
``@pytest.mark.lab(hosts=("node1", "node2", "node3"), second_net=True, ipv6=True)``.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import os
import re
import shlex
import signal
import subprocess
import threading
import time
from typing import Callable, Iterable, Mapping, Sequence

# --- networks ---------------------------------------------------------------

NETS = {
    1: ("192.0.2", "2001:db8::"),
    2: ("198.51.100", "2001:db8:0:2::"),
    3: ("203.0.113", "2001:db8:0:3::"),
}
PREFIXLEN4 = 24
PREFIXLEN6 = 64

_counter = 0
_counter_lock = threading.Lock()
_open_labs: "list[Lab]" = []


def _next_prefix() -> str:
    global _counter
    with _counter_lock:
        _counter += 1
        return f"vg{os.getpid()}x{_counter}"


def _sh(argv: Sequence[str], check: bool = True, timeout: float = 30.0,
        input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(list(argv), check=check, text=True, input=input,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=timeout)


def lab_namespaces(prefix: str = "vg") -> list[str]:
    """Names of the network namespaces starting with ``prefix``."""
    out = _sh(["ip", "netns", "list"]).stdout
    names = [line.split()[0] for line in out.splitlines() if line.strip()]
    return [n for n in names if n.startswith(prefix)]


# Our namespaces carry the creating process's PID: netlab's "vg<pid>x<n>-...",
# the package suite's "vgpkg<pid>-..." (tests/package/machine.py).
_RUN_NAMESPACE = re.compile(r"^vg(?:pkg)?(\d+)[x-]")


def remove_dead_runs_namespaces() -> list[str]:
    """Deletes the namespaces of our test runs whose process is gone (a run
    killed with SIGKILL); a live run's are left alone. Returns the names."""
    removed = []
    for name in lab_namespaces("vg"):
        m = _RUN_NAMESPACE.match(name)
        if m is None or os.path.exists(f"/proc/{m.group(1)}"):
            continue
        if _sh(["ip", "netns", "del", name], check=False).returncode == 0:
            removed.append(name)
    return removed


def _unwind(signo, frame):
    raise SystemExit(128 + signo)


def unwind_on_sigterm() -> None:
    """SIGTERM (meson's timeout) raises SystemExit, so every ``with`` block,
    fixture and atexit handler still removes its namespaces and processes."""
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _unwind)


def wait_until(predicate: Callable[[], object], timeout: float = 5.0,
               interval: float = 0.05, what: str = "condition"):
    """Polls ``predicate`` until it returns a truthy value (returned)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


@dataclasses.dataclass
class Iface:
    name: str        # inside the host namespace, e.g. "eth1"
    net: int         # network number (bridge br<net>)
    addr: str        # IPv4 address
    addr6: str | None  # IPv6 address, when the lab has IPv6
    peer: str        # the switch-side veth name (in the switch namespace)


@dataclasses.dataclass
class Host:
    name: str
    ns: str
    number: int
    ifaces: dict[str, Iface]

    @property
    def addr(self) -> str:
        return next(iter(self.ifaces.values())).addr

    @property
    def addr6(self) -> str | None:
        return next(iter(self.ifaces.values())).addr6

    def addrs(self) -> list[str]:
        out = []
        for i in self.ifaces.values():
            out.append(i.addr)
            if i.addr6:
                out.append(i.addr6)
        return out


class Capture:
    """A running tcpdump; ``packets()`` reads what it wrote."""

    def __init__(self, lab: "Lab", ns: str, path: str):
        self.lab = lab
        self.ns = ns
        self.path = path

    def packets(self, extra: Sequence[str] = ()) -> list[str]:
        out = self.lab.run(self.ns, ["tcpdump", "-nn", "-r", self.path, *extra],
                           check=False).stdout
        return [line for line in out.splitlines() if line.strip()]


class Lab:
    """A switch namespace with bridges, and host namespaces on them."""

    def __init__(self, hosts: Iterable[str] = ("node1", "node2"),
                 client: bool = True, second_net: bool = False,
                 ipv6: bool = False, logdir: str | None = None):
        self.prefix = _next_prefix()
        self.ipv6 = ipv6
        self.second_net = second_net
        self.logdir = logdir or f"/tmp/{self.prefix}-logs"
        os.makedirs(self.logdir, exist_ok=True)
        self.switch = f"{self.prefix}-sw"
        self.hosts: dict[str, Host] = {}
        self._namespaces: list[str] = []
        self._bridges: set[int] = set()
        self._procs: list[subprocess.Popen] = []
        self._drops: dict[str, int] = {}
        self._spawn_count = 0
        self._closed = False
        _open_labs.append(self)
        try:
            self._add_namespace(self.switch)
            # The switch itself never speaks: no IPv6 autoconfiguration.
            self._sysctl(self.switch, "net.ipv6.conf.all.disable_ipv6", "1")
            self._sysctl(self.switch, "net.ipv6.conf.default.disable_ipv6", "1")
            for name in hosts:
                self.add_host(name)
            if client:
                self.add_host("client", nets={"eth1": 1})
        except BaseException:
            self.close()
            raise

    # --- building ---------------------------------------------------------

    def _add_namespace(self, ns: str) -> None:
        _sh(["ip", "netns", "add", ns])
        self._namespaces.append(ns)
        _sh(["ip", "-n", ns, "link", "set", "lo", "up"])

    def _sysctl(self, ns: str, key: str, value: str) -> None:
        _sh(["ip", "netns", "exec", ns, "sysctl", "-q", "-w", f"{key}={value}"])

    def _bridge(self, net: int) -> str:
        br = f"br{net}"
        if net not in self._bridges:
            # No STP (ports forward at once), no IGMP/MLD snooping (a plain
            # learning switch floods multicast like a hub).
            _sh(["ip", "-n", self.switch, "link", "add", br, "type", "bridge",
                 "stp_state", "0", "mcast_snooping", "0"])
            _sh(["ip", "-n", self.switch, "link", "set", br, "up"])
            self._bridges.add(net)
        return br

    def _host_number(self, name: str) -> int:
        used = {h.number for h in self.hosts.values()}
        if name.startswith("node") and name[4:].isdigit():
            n = int(name[4:])
            if 1 <= n <= 99 and n not in used:
                return n
        if name == "client" and 100 not in used:
            return 100
        n = 10
        while n in used or n == 100:
            n += 1
        if n > 254:
            raise ValueError("no free host address")
        return n

    def add_host(self, name: str,
                 nets: Mapping[str, int] | None = None) -> Host:
        """Adds a host; ``nets`` maps interface name -> network number.

        Default: ``{"eth1": 1}``, plus ``{"eth2": 2}`` with ``second_net``.
        """
        if name in self.hosts:
            raise ValueError(f"host {name} exists")
        if nets is None:
            nets = {"eth1": 1}
            if self.second_net:
                nets["eth2"] = 2
        ns = f"{self.prefix}-{name}"
        number = self._host_number(name)
        self._add_namespace(ns)
        self._sysctl(ns, "net.ipv6.conf.all.accept_dad", "0")
        self._sysctl(ns, "net.ipv6.conf.default.accept_dad", "0")
        if not self.ipv6:
            self._sysctl(ns, "net.ipv6.conf.default.disable_ipv6", "1")
        host = Host(name=name, ns=ns, number=number, ifaces={})
        index = len(self.hosts) + 1
        for ifname, net in nets.items():
            if net not in NETS:
                raise ValueError(f"unknown net {net}")
            br = self._bridge(net)
            peer = f"{name}-{ifname}"
            if len(peer) > 15:
                peer = f"h{index}-{ifname}"[:15]
            _sh(["ip", "-n", self.switch, "link", "add", peer, "type", "veth",
                 "peer", "name", ifname, "netns", ns])
            _sh(["ip", "-n", self.switch, "link", "set", peer, "master", br])
            _sh(["ip", "-n", self.switch, "link", "set", peer, "up"])
            v4, v6 = NETS[net]
            addr = f"{v4}.{number}"
            addr6 = f"{v6}{number:x}" if self.ipv6 else None
            _sh(["ip", "-n", ns, "addr", "add", f"{addr}/{PREFIXLEN4}",
                 "brd", "+", "dev", ifname])
            if addr6:
                _sh(["ip", "-n", ns, "-6", "addr", "add",
                     f"{addr6}/{PREFIXLEN6}", "dev", ifname, "nodad"])
            _sh(["ip", "-n", ns, "link", "set", ifname, "up"])
            host.ifaces[ifname] = Iface(ifname, net, addr, addr6, peer)
        self.hosts[name] = host
        return host

    # --- using ------------------------------------------------------------

    def ns(self, host_or_ns: str) -> str:
        if host_or_ns in self.hosts:
            return self.hosts[host_or_ns].ns
        if host_or_ns == "switch":
            return self.switch
        if host_or_ns in self._namespaces:
            return host_or_ns
        raise KeyError(f"no host or namespace {host_or_ns} in lab {self.prefix}")

    def run(self, host: str, cmd: str | Sequence[str], check: bool = True,
            timeout: float = 30.0, input: str | None = None
            ) -> subprocess.CompletedProcess:
        argv = ["/bin/sh", "-c", cmd] if isinstance(cmd, str) else list(cmd)
        return _sh(["ip", "netns", "exec", self.ns(host), *argv],
                   check=check, timeout=timeout, input=input)

    def spawn(self, host: str, argv: Sequence[str],
              log_path: str | None = None,
              env: Mapping[str, str] | None = None,
              stdin=subprocess.DEVNULL, isolate: bool = False,
              hostname: str | None = None) -> subprocess.Popen:
        """Starts ``argv`` in the host; stdout+stderr go to ``log_path``.

        The process leads its own process group; the lab ends that group
        by PID at teardown. ``p.log_path`` holds the log file's path.

        ``isolate``: also new PID, mount (private propagation, fresh /proc),
        UTS and IPC namespaces, as a real heartbeat node needs
        (docs/real-heartbeat-lab.md); argv then runs as PID 1 of its PID
        namespace (``p.pid`` is the ``unshare`` in between; ending it ends
        the whole namespace). ``hostname``: set in the new UTS namespace
        first (implies isolate).
        """
        ns = self.ns(host)
        program = argv[0]
        if hostname:
            isolate = True
            argv = ["/bin/sh", "-c", 'hostname "$0" && exec "$@"', hostname,
                    *argv]
        if isolate:
            argv = ["unshare", "--pid", "--fork", "--mount-proc", "--uts",
                    "--ipc", "--propagation", "private", "--kill-child",
                    *argv]
        self._spawn_count += 1
        if log_path is None:
            base = os.path.basename(program)
            log_path = os.path.join(
                self.logdir, f"{host}-{base}-{self._spawn_count}.log")
        log = open(log_path, "ab")
        try:
            # `ip netns exec` execs without forking: the PID is argv's.
            p = subprocess.Popen(["ip", "netns", "exec", ns, *argv],
                                 stdout=log, stderr=subprocess.STDOUT,
                                 stdin=stdin, start_new_session=True,
                                 env=None if env is None else dict(env))
        finally:
            log.close()
        p.log_path = log_path  # type: ignore[attr-defined]
        self._procs.append(p)
        return p

    def stop(self, p: subprocess.Popen, sig: int = signal.SIGTERM,
             timeout: float = 5.0) -> int | None:
        """Sends ``sig`` to p's process group, SIGKILL after ``timeout``."""
        if p.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, sig)
            try:
                p.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=10)
        # Anything the process left behind in its group goes too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(p.pid, signal.SIGKILL)
        return p.returncode

    def _switch_port(self, host: str, ifname: str) -> str:
        return self.hosts[host].ifaces[ifname].peer

    def link_down(self, host: str, ifname: str = "eth1") -> None:
        """Cuts host's link: the switch-side veth goes down (host sees
        NO-CARRIER, like a pulled cable)."""
        _sh(["ip", "-n", self.switch, "link", "set",
             self._switch_port(host, ifname), "down"])

    def link_up(self, host: str, ifname: str = "eth1") -> None:
        _sh(["ip", "-n", self.switch, "link", "set",
             self._switch_port(host, ifname), "up"])

    def _peer_addrs(self, peer: str) -> list[str]:
        if peer in self.hosts:
            return self.hosts[peer].addrs()
        return [peer]

    def drop(self, host: str, direction: str = "both", *, loss: int = 100,
             peer: str | None = None, udp_port: int | None = None,
             ifname: str | None = None) -> None:
        """Drops packets in host's namespace with nftables.

        direction: "in", "out" or "both". loss: percent, 100 = all
        (random loss uses ``numgen random mod 100 < loss``). peer: a host
        name (all its addresses) or an address; "in" matches it as the
        source, "out" as the destination. udp_port: only UDP datagrams
        addressed to this port (both ways). ifname: only this interface.
        """
        if direction not in ("in", "out", "both"):
            raise ValueError(direction)
        if not 0 < loss <= 100:
            raise ValueError(f"loss {loss}")
        ns = self.ns(host)
        if ns not in self._drops:
            _sh(["ip", "netns", "exec", ns, "nft", "-f", "-"], input=(
                "table inet vglab {\n"
                " chain input { type filter hook input priority -10; }\n"
                " chain output { type filter hook output priority -10; }\n"
                "}\n"))
            self._drops[ns] = 0
        dirs = ["in", "out"] if direction == "both" else [direction]
        peers = self._peer_addrs(peer) if peer else [None]
        rules = []
        for d in dirs:
            chain = "input" if d == "in" else "output"
            for addr in peers:
                parts = []
                if ifname:
                    parts.append(f'meta {"iifname" if d == "in" else "oifname"} "{ifname}"')
                if addr:
                    fam = "ip6" if ":" in addr else "ip"
                    parts.append(f'{fam} {"saddr" if d == "in" else "daddr"} {addr}')
                if udp_port is not None:
                    parts.append(f"udp dport {udp_port}")
                if loss < 100:
                    parts.append(f"numgen random mod 100 < {loss}")
                parts.append("counter drop")
                rules.append(f"add rule inet vglab {chain} {' '.join(parts)}\n")
        _sh(["ip", "netns", "exec", ns, "nft", "-f", "-"], input="".join(rules))
        self._drops[ns] += len(rules)

    def undrop(self, host: str) -> None:
        """Removes every drop rule of host."""
        ns = self.ns(host)
        if ns in self._drops:
            _sh(["ip", "netns", "exec", ns, "nft", "delete", "table", "inet",
                 "vglab"])
            del self._drops[ns]

    @contextlib.contextmanager
    def capture(self, host: str, ifname: str = "eth1", bpf: str = "",
                path: str | None = None):
        """Runs tcpdump on host's ifname for the ``with`` block."""
        ns = self.ns(host)
        self._spawn_count += 1
        path = path or os.path.join(
            self.logdir, f"{host}-{ifname}-{self._spawn_count}.pcap")
        argv = ["tcpdump", "-U", "--immediate-mode", "-nn", "-i", ifname, "-w", path]
        if bpf:
            argv += shlex.split(bpf)
        p = self.spawn(host, argv, log_path=path + ".log")
        try:
            wait_until(lambda: p.poll() is not None or
                       "listening on" in _read(path + ".log"),
                       timeout=10, what="tcpdump to listen")
            if p.poll() is not None:
                raise RuntimeError(f"tcpdump failed: {_read(path + '.log')}")
            yield Capture(self, ns, path)
        finally:
            time.sleep(0.2)  # let the last packets reach the file
            self.stop(p, signal.SIGINT)

    # --- teardown ---------------------------------------------------------

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for p in reversed(self._procs):
            with contextlib.suppress(Exception):
                self.stop(p, signal.SIGTERM, timeout=3)
        for ns in reversed(self._namespaces):
            _sh(["ip", "netns", "del", ns], check=False)
        self._namespaces.clear()
        with contextlib.suppress(ValueError):
            _open_labs.remove(self)

    def __enter__(self) -> "Lab":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _read(path: str) -> str:
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


@atexit.register
def _close_all() -> None:
    for lab in list(_open_labs):
        with contextlib.suppress(Exception):
            lab.close()
