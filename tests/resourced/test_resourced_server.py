"""resourced's IPC server, end to end (resourced/server.h): the real binary
as root with a temporary configuration, in a fresh network namespace
(netlab), driven by a small client speaking the vocabulary
(common/ipc/frame_format.h, common/proto/resourced_messages.h).

Group 0 of haresources is Debian's ocf:heartbeat:Dummy; group 1 is
`192.0.2.50 websrv::PORT`: an IP entry (ipd's, never resourced's) and an
LSB-style script that serves a page with python3 -m http.server on
127.0.0.1 inside the namespace. On lease expiry group 1 goes first.
"""
import os
import pathlib
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

import pytest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "integration"))
import netlab  # noqa: E402

PORT = 8080
PAGE = "vigil resourced test page"
DUMMY = (0, 0)
IP_ENTRY = (1, 0)
WEBSRV = (1, 1)

# --- the vocabulary ----------------------------------------------------------
MAGIC, VERSION = 0x5647, 1
HELLO, LEASE, REQUEST, REPLY = 1, 2, 3, 4
START, STOP, STATUS = 1, 2, 3
OK, FAILED, TIMEOUT, REFUSED = 0, 1, 2, 3
UNKNOWN, RUNNING, STOPPED = 0, 1, 2


def frame(mtype: int, payload: bytes) -> bytes:
    return struct.pack(">HBBHHI", MAGIC, VERSION, 0, mtype, 0, len(payload)) + payload


def text(s: str) -> bytes:
    b = s.encode()
    return struct.pack(">H", len(b)) + b


def hello(config_hash: str, lease_ms: int) -> bytes:
    return frame(HELLO, text(config_hash) + struct.pack(">I", lease_ms))


def request(rid: int, config_hash: str, place, op: int) -> bytes:
    return frame(REQUEST, struct.pack(">I", rid) + text(config_hash) +
                 struct.pack(">HHB", place[0], place[1], op))


def parse_reply(datagram: bytes) -> dict:
    magic, version, flags, mtype, _, length = struct.unpack(">HBBHHI", datagram[:12])
    assert (magic, version, flags, mtype) == (MAGIC, VERSION, 0, REPLY)
    p = datagram[12:]
    assert len(p) == length
    rid, op, outcome, state, exit_status, duration = struct.unpack(">IBBBiI", p[:15])
    (n,) = struct.unpack(">H", p[15:17])
    return dict(id=rid, op=op, outcome=outcome, state=state, exit=exit_status,
                duration_ms=duration, tail=p[17:17 + n].decode(errors="replace"))


class Client:
    def __init__(self, path: str):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock.connect(path)
        self.next_id = 1

    def send(self, datagram: bytes) -> None:
        self.sock.send(datagram)

    def call(self, config_hash: str, place, op: int, timeout: float = 30.0) -> dict:
        rid = self.next_id
        self.next_id += 1
        self.send(request(rid, config_hash, place, op))
        self.sock.settimeout(timeout)
        reply = parse_reply(self.sock.recv(70000))
        assert reply["id"] == rid
        return reply

    def closed_by_server(self, timeout: float = 3.0) -> bool:
        self.sock.settimeout(timeout)
        try:
            return self.sock.recv(70000) == b""
        except ConnectionResetError:
            return True
        except socket.timeout:
            return False

    def close(self) -> None:
        self.sock.close()


# --- the rig -------------------------------------------------------------------
WEBSRV_SCRIPT = """#!/bin/sh
# An LSB-style resource script: websrv PORT start|stop|status
PORT="$1"
PIDFILE=@RUN@/websrv.pid
# A zombie is not running (an orphan waits for whoever reaps it).
running() {
  [ -f "$PIDFILE" ] && [ -r "/proc/$(cat "$PIDFILE")/status" ] &&
    ! grep -q '^State:.*Z' "/proc/$(cat "$PIDFILE")/status"
}
case "$2" in
  start)
    running && exit 0
    cd @DOC@ || exit 1
    /usr/bin/python3 -m http.server --bind 127.0.0.1 "$PORT" >@RUN@/websrv.log 2>&1 </dev/null &
    echo $! > "$PIDFILE"
    exit 0 ;;
  stop)
    if running; then
      kill "$(cat "$PIDFILE")"
      i=0
      while running && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
    fi
    rm -f "$PIDFILE"
    exit 0 ;;
  status)
    if running; then echo "websrv is running"; else echo "websrv is stopped"; fi
    exit 0 ;;
esac
exit 1
"""


def env_path(name: str, default: str) -> str:
    return os.environ.get(name) or str(
        pathlib.Path(os.environ.get("VIGIL_BUILD_DIR", HERE.parents[1] / "build")) / default)


class Rig:
    def __init__(self, lab: netlab.Lab, tmp: pathlib.Path):
        self.lab = lab
        self.tmp = tmp
        tmp.chmod(0o755)  # the uid-refusal test connects as nobody
        self.conf = tmp / "ha.d"
        self.run_dir = tmp / "run"
        self.state = tmp / "state"
        self.doc = tmp / "doc"
        for d in (self.conf, self.run_dir, self.state, self.doc, self.conf / "resource.d"):
            d.mkdir(mode=0o755)
            d.chmod(0o755)
        (self.doc / "index.html").write_text(PAGE)
        (self.conf / "ha.cf").write_text(
            "keepalive 1\ndeadtime 60\nwarntime 10\ninitdead 60\nudpport 694\n"
            "bcast eth1\nnode node1\nnode node2\nauto_failback on\n")
        (self.conf / "haresources").write_text(
            f"node1 ocf:heartbeat:Dummy::state={self.run_dir}/dummy.state\n"
            f"node1 192.0.2.50 websrv::{PORT}\n")
        keys = self.conf / "authkeys"
        keys.write_text("auth 1\n1 sha1 resourced-test-secret\n")
        keys.chmod(0o600)
        script = self.conf / "resource.d" / "websrv"
        script.write_text(WEBSRV_SCRIPT.replace("@RUN@", str(self.run_dir))
                          .replace("@DOC@", str(self.doc)))
        script.chmod(0o755)
        self.socket = str(self.run_dir / "resourced.sock")
        self.resourced = env_path("RESOURCED_BIN", "resourced/resourced")
        tool = env_path("CONFIG_HASH_TOOL", "tests/resourced/config_hash_tool")
        self.hash = subprocess.run(
            [tool, "--config-dir", str(self.conf), "--node-name", "node1"],
            check=True, capture_output=True, text=True).stdout.strip()
        assert len(self.hash) == 64
        self.proc = None

    def start(self) -> None:
        self.proc = self.lab.spawn("node1", [
            self.resourced, "--config-dir", str(self.conf), "--runtime-dir", str(self.run_dir),
            "--state-dir", str(self.state), "--node-name", "node1",
            "--heartbeat-user", "daemon"])

        def listening():
            try:
                Client(self.socket).close()
                return True
            except OSError:
                assert self.proc.poll() is None, self.log()
                return False
        netlab.wait_until(listening, timeout=10, what="resourced listening")
        # Only the file mode keeps other users off the socket; open it so
        # the PeerPolicy itself is what refuses them.
        os.chmod(self.socket, 0o666)

    def log(self) -> str:
        return pathlib.Path(self.proc.log_path).read_text(errors="replace")

    def greeted_client(self, lease_ms: int = 30000) -> Client:
        c = Client(self.socket)
        c.send(hello(self.hash, lease_ms))
        return c

    def page(self) -> str | None:
        r = self.lab.run("node1", [
            "/usr/bin/python3", "-c",
            "import urllib.request;"
            f"print(urllib.request.urlopen('http://127.0.0.1:{PORT}/index.html',"
            " timeout=2).read().decode())"], check=False)
        return r.stdout.strip() if r.returncode == 0 else None

    def websrv_pid(self) -> int | None:
        try:
            pid = int((self.run_dir / "websrv.pid").read_text())
            status = pathlib.Path(f"/proc/{pid}/status").read_text()
            return None if "\nState:\tZ" in status else pid
        except (OSError, ValueError):
            return None

    def cleanup(self) -> None:
        # Agents live in their own sessions, outside what the lab ends:
        # end the page server we started, by its pid file.
        if self.proc is not None:
            self.lab.stop(self.proc)
        pid = self.websrv_pid()
        if pid is not None:
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def rig(tmp_path):
    if os.geteuid() != 0:
        pytest.fail("needs root (network namespaces, resourced)")
    with netlab.Lab(hosts=("node1",), client=False, logdir=str(tmp_path)) as lab:
        # Under /tmp, not pytest's 0700 tree: the uid-refusal test must reach
        # the socket as nobody.
        base = pathlib.Path(tempfile.mkdtemp(prefix="vigil-resourced-"))
        try:
            r = Rig(lab, base)
            try:
                yield r
            finally:
                r.cleanup()
        finally:
            shutil.rmtree(base, ignore_errors=True)


# --- tests ---------------------------------------------------------------------
def test_start_serves_the_page_survives_kill9_and_stops_after_restart(rig):
    rig.start()
    c = rig.greeted_client()
    reply = c.call(rig.hash, WEBSRV, START)
    assert (reply["outcome"], reply["state"]) == (OK, RUNNING), reply
    assert netlab.wait_until(rig.page, timeout=10, what="page served") == PAGE
    status = c.call(rig.hash, WEBSRV, STATUS)
    assert (status["outcome"], status["state"]) == (OK, RUNNING), status

    rig.lab.stop(rig.proc, sig=signal.SIGKILL)
    c.close()
    time.sleep(0.5)
    assert rig.page() == PAGE, "the resource must outlive resourced"

    rig.start()
    c = rig.greeted_client()
    assert c.call(rig.hash, WEBSRV, STATUS)["state"] == RUNNING
    stop = c.call(rig.hash, WEBSRV, STOP)
    assert (stop["outcome"], stop["state"]) == (OK, STOPPED), stop
    assert rig.page() is None
    again = c.call(rig.hash, WEBSRV, STOP)
    assert again["outcome"] == OK, "a stop of a stopped resource succeeds"


def test_a_client_of_another_uid_is_refused_and_logged(rig):
    rig.start()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: become nobody, try to talk to resourced
        os.close(r)
        verdict = b"?"
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            c = Client(rig.socket)
            try:
                c.send(hello(rig.hash, 30000))
                verdict = b"closed" if c.closed_by_server() else b"open"
            except (BrokenPipeError, ConnectionResetError):
                verdict = b"closed"  # refused before the Hello got through
        except OSError as e:
            verdict = f"error {e}".encode()
        os.write(w, verdict)
        os._exit(0)
    os.close(w)
    verdict = os.read(r, 200)
    os.close(r)
    os.waitpid(pid, 0)
    assert verdict == b"closed"
    netlab.wait_until(lambda: f"from pid {pid} uid 65534" in rig.log(), timeout=5,
                      what="refusal logged with pid and uid")


def test_a_hello_with_another_configuration_hash_closes_the_connection(rig):
    rig.start()
    c = Client(rig.socket)
    c.send(hello("0" * 64, 30000))
    assert c.closed_by_server()
    netlab.wait_until(lambda: f"from pid {os.getpid()} uid 0: protocol violation: Hello with "
                      "configuration hash" in rig.log(), timeout=5, what="violation logged")


def test_a_request_for_the_ip_entry_closes_the_connection(rig):
    rig.start()
    c = rig.greeted_client()
    c.send(request(1, rig.hash, IP_ENTRY, START))
    assert c.closed_by_server()
    netlab.wait_until(lambda: "is an IP entry: it belongs to ipd" in rig.log(), timeout=5)


def test_a_place_out_of_the_configuration_closes_the_connection(rig):
    rig.start()
    c = rig.greeted_client()
    c.send(request(1, rig.hash, (1, 7), STATUS))
    assert c.closed_by_server()
    c = rig.greeted_client()
    c.send(request(1, rig.hash, (5, 0), STATUS))
    assert c.closed_by_server()
    netlab.wait_until(lambda: "group 5 is not in haresources" in rig.log(), timeout=5)


def test_a_request_before_hello_closes_the_connection_and_others_are_still_served(rig):
    rig.start()
    good = rig.greeted_client()
    bad = Client(rig.socket)
    bad.send(request(1, rig.hash, WEBSRV, STATUS))
    assert bad.closed_by_server()
    assert good.call(rig.hash, WEBSRV, STATUS)["state"] == STOPPED


def test_when_the_lease_runs_out_resources_are_stopped_and_the_log_says_why(rig):
    rig.start()
    c = rig.greeted_client(lease_ms=500)
    assert c.call(rig.hash, WEBSRV, START)["outcome"] == OK
    assert c.call(rig.hash, DUMMY, START)["outcome"] == OK
    netlab.wait_until(rig.page, timeout=10, what="page served")
    c.close()
    t0 = time.monotonic()
    netlab.wait_until(lambda: rig.websrv_pid() is None, timeout=3, what="websrv stopped")
    assert time.monotonic() - t0 < 1.5 + 0.5
    assert rig.page() is None
    log = rig.log()
    assert "heartbeatd gone for 500 ms: stopping all resources (lease expired)" in log
    netlab.wait_until(lambda: not (rig.run_dir / "dummy.state").exists(), timeout=5,
                      what="Dummy stopped")
    # Group 1 (websrv) goes before group 0 (Dummy): reverse file order.
    log = rig.log()
    assert log.index("lease expired: stopping websrv") < \
        log.index("lease expired: stopping ocf:heartbeat:Dummy")


def test_the_ocf_dummy_agent_starts_reports_running_and_stops(rig):
    if not pathlib.Path("/usr/lib/ocf/resource.d/heartbeat/Dummy").exists():
        pytest.skip("resource-agents (ocf:heartbeat:Dummy) not installed")
    rig.start()
    c = rig.greeted_client()
    assert c.call(rig.hash, DUMMY, STATUS)["state"] == STOPPED
    start = c.call(rig.hash, DUMMY, START)
    assert (start["outcome"], start["state"]) == (OK, RUNNING), start
    assert c.call(rig.hash, DUMMY, STATUS)["state"] == RUNNING
    stop = c.call(rig.hash, DUMMY, STOP)
    assert (stop["outcome"], stop["state"]) == (OK, STOPPED), stop
    assert c.call(rig.hash, DUMMY, STATUS)["state"] == STOPPED


def test_sigterm_exits_without_stopping_resources(rig):
    rig.start()
    c = rig.greeted_client()
    assert c.call(rig.hash, WEBSRV, START)["outcome"] == OK
    netlab.wait_until(rig.page, timeout=10, what="page served")
    assert rig.lab.stop(rig.proc, sig=signal.SIGTERM) == 0
    assert rig.page() == PAGE


def test_a_socket_passed_by_systemd_is_served(rig):
    """Socket activation (sd_listen_fds): resourced serves the listening
    socket it is given as fd 3 and creates none of its own."""
    activated = str(rig.run_dir / "activated.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(activated)
    listener.listen(8)
    fd = listener.fileno()
    log_path = rig.tmp / "activated.log"
    with open(log_path, "wb") as log:
        p = subprocess.Popen(
            ["ip", "netns", "exec", rig.lab.ns("node1"), "/bin/sh", "-c",
             'LISTEN_PID=$$ LISTEN_FDS=1 exec "$@"', "sh", rig.resourced,
             "--config-dir", str(rig.conf), "--runtime-dir", str(rig.run_dir),
             "--node-name", "node1", "--heartbeat-user", "daemon"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            # systemd's first descriptor is always 3: put the listener there
            # in the child (keeping 3 open through close_fds).
            pass_fds=(fd, 3), preexec_fn=lambda: os.dup2(fd, 3))
    try:
        listener.close()
        c = Client(activated)
        c.send(hello(rig.hash, 30000))
        status = c.call(rig.hash, WEBSRV, STATUS, timeout=10)
        assert (status["outcome"], status["state"]) == (OK, STOPPED), status
        assert "(socket activation)" in log_path.read_text()
        assert not os.path.exists(rig.socket), "no socket of its own"
    finally:
        os.killpg(p.pid, signal.SIGTERM)
        p.wait(timeout=10)


def test_a_fake_heartbeatd_abusing_the_socket_is_refused_once_each_and_heartbeatd_served(rig):
    """Issue 15 on the real binary: past the connection limit, malformed
    frames, types and operations outside the vocabulary. Each is closed
    with one line naming our pid and uid; a greeted client is then served."""
    rig.start()
    us = f"from pid {os.getpid()} uid {os.getuid()}"

    def refusals() -> int:
        return sum(1 for line in rig.log().splitlines()
                   if us in line and ("closing IPC connection" in line or "refusing" in line))

    limit = 32  # ipc::ServerLimits::max_connections
    holders = [rig.greeted_client() for _ in range(limit)]
    before = refusals()
    extra = Client(rig.socket)
    assert extra.closed_by_server()
    netlab.wait_until(lambda: refusals() == before + 1, timeout=5, what="limit refusal logged")
    assert "connections are open, the limit" in rig.log()
    for c in holders:
        c.close()
    # resourced sees those 32 hang-ups in its own time; until it has, a new
    # connection is refused at the limit, and after the first such refusal
    # they are only counted, not logged. Wait until a client is served
    # again, so each abuse below meets a free slot.

    def served_again() -> bool:
        probe = None
        try:
            probe = rig.greeted_client()
            return probe.call(rig.hash, DUMMY, STATUS, timeout=2)["outcome"] == OK
        except (OSError, AssertionError, struct.error):
            return False
        finally:
            if probe is not None:
                probe.close()
    netlab.wait_until(served_again, timeout=10, what="a free connection slot")

    good_request = request(1, rig.hash, DUMMY, STATUS)
    abuses = [
        b"VG\x01",                                             # half a header
        struct.pack(">HBBHHI", MAGIC, VERSION, 0, REQUEST, 0, 4),  # payload missing
        struct.pack(">HBBHHI", MAGIC, VERSION, 0, REQUEST, 0, 0xFFFFFFFF),  # 4 GiB length
        struct.pack(">HBBHHI", 0x4141, VERSION, 0, REQUEST, 0, 0),  # bad magic
        struct.pack(">HBBHHI", MAGIC, 9, 0, REQUEST, 0, 0),         # another version
        frame(HELLO, b"x" * 70000),                            # over the frame limit
        frame(0, b""), frame(6, b""), frame(0xFFFF, b""),      # unknown types
        frame(5, struct.pack(">I", 1) + text(rig.hash) + struct.pack(">BHB", 7, 0, STATUS)),  # task kind 7 (unknown)
        # an event (kind 2) with a newline in a field value
        frame(5, struct.pack(">I", 1) + text(rig.hash) + struct.pack(">BHBB", 2, 1, 1, 1)
              + text("src") + text("a\nb")),
        frame(REPLY, bytes(17)),                               # a reply, wrong direction
        good_request[:-1] + b"\x00",                           # operation 0
        good_request[:-1] + b"\x04",                           # operation 4
        good_request + b"\x00",                                # a trailing byte
    ]
    for i, datagram in enumerate(abuses):
        before = refusals()
        bad = rig.greeted_client()
        try:
            bad.send(datagram)
        except (BrokenPipeError, ConnectionResetError):
            pass
        assert bad.closed_by_server(), f"abuse {i} left the connection open"
        netlab.wait_until(lambda: refusals() >= before + 1, timeout=5,
                          what=f"abuse {i} logged")
        time.sleep(0.05)
        assert refusals() == before + 1, f"abuse {i} logged more than once"
        bad.close()

    good = rig.greeted_client()
    assert good.call(rig.hash, DUMMY, STATUS)["outcome"] == OK
    assert rig.proc.poll() is None
