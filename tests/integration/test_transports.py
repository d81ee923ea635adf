"""heartbeatd's UDP media between network-namespace hosts.

node1 and node2 share bridge br1; node3 sits alone on bridge br3 with an
address of the same subnet (192.0.2.3/24 on its eth1), so any datagram it
hears from node1/node2 could only have crossed between bridges. Each host
runs tests/io/medium_probe, which opens the media of a small ha.cf with
heartbeatd's io code, sends tagged datagrams on every medium and prints
what it receives (heartbeat-compat.md §2.4, §5.1, §6.2 step 1).
"""
import os
import pathlib
import re
import signal
import subprocess

import pytest

from netlab import wait_until

SEND = 5


def probe_path(build_dir):
    path = build_dir / "tests" / "io" / "medium_probe"
    if not path.exists():
        pytest.fail(f"{path} not built (ninja tests/io/medium_probe)")
    return str(path)


def write_ha_cf(tmp_path, host, body):
    path = tmp_path / f"{host}.ha.cf"
    path.write_text("node node1 node2 node3\n" + body)
    return str(path)


def add_isolated_node3(lab):
    lab.add_host("node3", nets={"eth1": 3})
    lab.run("node3", ["ip", "addr", "add", "192.0.2.3/24", "dev", "eth1"])
    if lab.ipv6:
        lab.run("node3", ["ip", "-6", "addr", "add", "2001:db8::3/64", "dev",
                          "eth1", "nodad"])


def run_probes(lab, build_dir, tmp_path, bodies, listen_ms=1500):
    """Runs one probe per host; they send once all have opened their media.

    Returns {host: output text}.
    """
    go = tmp_path / f"go-{len(list(tmp_path.glob('go-*')))}"
    procs = {}
    for host, body in bodies.items():
        cf = write_ha_cf(tmp_path, host, body)
        procs[host] = lab.spawn(host, [probe_path(build_dir), cf,
                                       "--send", str(SEND),
                                       "--delay-ms", "200",
                                       "--interval-ms", "100",
                                       "--listen-ms", str(listen_ms),
                                       "--tag", host,
                                       "--go-file", str(go)])
    for host, p in procs.items():
        wait_until(lambda: p.poll() is not None or
                   re.search(r"^started ", open(p.log_path, errors="replace").read(), re.M),
                   timeout=20, what=f"{host} probe to open its media")
    go.touch()
    out = {}
    for host, p in procs.items():
        rc = p.wait(timeout=listen_ms / 1000 + 30)
        out[host] = open(p.log_path, errors="replace").read()
        assert rc == 0, f"{host} probe failed:\n{out[host]}"
    return out


def heard(output, sender):
    """Payload numbers from `sender` that the output received."""
    return {int(m[1]) for m in re.finditer(
        rf"^recv \S+ \S+ {sender} (\d+)$", output, re.M)}


def assert_pair_only(out):
    assert heard(out["node1"], "node2") == set(range(SEND)), out["node1"]
    assert heard(out["node2"], "node1") == set(range(SEND)), out["node2"]
    assert heard(out["node3"], "node1") == set(), out["node3"]
    assert heard(out["node3"], "node2") == set(), out["node3"]
    assert heard(out["node1"], "node3") == set()
    assert heard(out["node2"], "node3") == set()


@pytest.mark.lab(hosts=("node1", "node2"), client=False)
def test_bcast_reaches_the_peer_on_the_bridge_and_no_other(lab, build_dir,
                                                            tmp_path):
    add_isolated_node3(lab)
    body = "udpport 694\nbcast eth1\n"
    out = run_probes(lab, build_dir, tmp_path,
                     {h: body for h in ("node1", "node2", "node3")})
    assert_pair_only(out)
    assert ("UDP Broadcast heartbeat started on port 694 (694) interface eth1"
            in out["node1"])
    assert re.search(r"^recv eth1 192\.0\.2\.2 node2 0$", out["node1"], re.M)


@pytest.mark.lab(hosts=("node1", "node2"), client=False)
def test_ucast_reaches_the_named_peer_and_no_other(lab, build_dir, tmp_path):
    add_isolated_node3(lab)
    out = run_probes(lab, build_dir, tmp_path, {
        "node1": "ucast eth1 192.0.2.2\n",
        "node2": "ucast eth1 192.0.2.1\n",
        "node3": "ucast eth1 192.0.2.1\nucast eth1 192.0.2.2\n",
    })
    assert_pair_only(out)
    assert ("ucast: started on port 694 interface eth1 to 192.0.2.2"
            in out["node1"])


@pytest.mark.lab(hosts=("node1", "node2"), client=False)
def test_ucast_to_our_own_address_is_harmless(lab, build_dir, tmp_path):
    # Identical ha.cf on every node (heartbeat-compat.md §2.4 ucast).
    body = "ucast eth1 192.0.2.1\nucast eth1 192.0.2.2\n"
    out = run_probes(lab, build_dir, tmp_path, {"node1": body, "node2": body})
    assert heard(out["node1"], "node2") == set(range(SEND))
    assert heard(out["node2"], "node1") == set(range(SEND))


@pytest.mark.lab(hosts=("node1", "node2"), client=False)
def test_mcast_reaches_group_members_on_the_bridge_and_no_other(
        lab, build_dir, tmp_path):
    add_isolated_node3(lab)
    body = "mcast eth1 239.0.0.42 1694 1 0\n"
    out = run_probes(lab, build_dir, tmp_path,
                     {h: body for h in ("node1", "node2", "node3")})
    assert_pair_only(out)
    # loop 0: a node does not hear itself.
    assert heard(out["node1"], "node1") == set()
    assert ("UDP multicast heartbeat started for group 239.0.0.42 port 1694 "
            "interface eth1 (ttl=1 loop=0)" in out["node1"])


@pytest.mark.lab(hosts=("node1", "node2"), client=False)
def test_mcast_with_loop_hears_itself(lab, build_dir, tmp_path):
    body = "mcast eth1 239.0.0.42 1694 1 1\n"
    out = run_probes(lab, build_dir, tmp_path, {"node1": body})
    assert heard(out["node1"], "node1") == set(range(SEND))


@pytest.mark.lab(hosts=("node1", "node2"), client=False)
def test_several_media_each_carry_every_message(lab, build_dir, tmp_path):
    # §5.1: every message on every medium; each copy names its link.
    # Both on udpport 694: the bcast socket must not also pick up the
    # multicast copy (that would be three copies).
    body = "bcast eth1\nmcast eth1 239.0.0.42 694 1 0\n"
    out = run_probes(lab, build_dir, tmp_path, {"node1": body, "node2": body})
    copies = re.findall(r"^recv eth1 192\.0\.2\.2 node2 0$", out["node1"],
                        re.M)
    assert len(copies) == 2, out["node1"]


@pytest.mark.lab(hosts=("node1", "node2"), client=False, second_net=True)
def test_a_cut_link_loses_only_its_own_copies(lab, build_dir, tmp_path):
    lab.link_down("node2", "eth1")
    body = "bcast eth1 eth2\n"
    out = run_probes(lab, build_dir, tmp_path, {"node1": body, "node2": body})
    got = re.findall(r"^recv (\S+) \S+ node2 \d+$", out["node1"], re.M)
    assert set(got) == {"eth2"}, out["node1"]
    assert len(got) == SEND


@pytest.mark.lab(hosts=("node1", "node2"), client=False, ipv6=True)
def test_ucast6_reaches_the_peer_and_no_other(lab, build_dir, tmp_path):
    add_isolated_node3(lab)
    out = run_probes(lab, build_dir, tmp_path, {
        "node1": "ucast6 eth1 2001:db8::2\n",
        "node2": "ucast6 eth1 2001:db8::1\n",
        "node3": "ucast6 eth1 2001:db8::1\n",
    })
    assert_pair_only(out)


@pytest.mark.lab(hosts=("node1", "node2"), client=False, ipv6=True)
def test_mcast6_reaches_the_peer_and_no_other(lab, build_dir, tmp_path):
    add_isolated_node3(lab)
    body = "mcast6 eth1 ff02::1:694 1694 1 0\n"
    out = run_probes(lab, build_dir, tmp_path,
                     {h: body for h in ("node1", "node2", "node3")})
    assert_pair_only(out)


def test_a_missing_interface_is_an_error_naming_the_line(lab, build_dir,
                                                          tmp_path):
    cf = write_ha_cf(tmp_path, "node1", "bcast eth9\n")
    r = lab.run("node1", [probe_path(build_dir), cf, "--send", "0",
                          "--listen-ms", "0"], check=False)
    assert r.returncode != 0
    assert "eth9" in r.stderr and "line 2" in r.stderr, r.stderr


def proc_status(pid):
    with open(f"/proc/{pid}/status") as f:
        return dict(line.split(":\t", 1) for line in f.read().splitlines()
                    if ":\t" in line)


@pytest.mark.lab(hosts=("node1", "node2"), client=False)
def test_after_the_drop_no_capability_is_left_and_media_still_receive(
        lab, build_dir, tmp_path):
    cf1 = write_ha_cf(tmp_path, "node1", "bcast eth1\n")
    p = lab.spawn("node1", [probe_path(build_dir), cf1, "--send", "0",
                            "--listen-ms", "6000", "--user", "nobody"])
    wait_until(lambda: "dropped uid=" in open(p.log_path, errors="replace").read() or
               p.poll() is not None, timeout=5, what="privilege drop")
    assert p.poll() is None, open(p.log_path, errors="replace").read()
    status = proc_status(p.pid)
    nobody = subprocess.run(["id", "-u", "nobody"], text=True,
                            capture_output=True, check=True).stdout.strip()
    assert status["Uid"].split() == [nobody] * 4
    assert int(status["CapEff"], 16) == 0
    assert int(status["CapPrm"], 16) == 0
    assert int(status["CapAmb"], 16) == 0
    assert int(status["CapBnd"], 16) == 0
    assert status["NoNewPrivs"].strip() == "1"
    # Sent after the drop: still heard on the socket bound before it.
    out = run_probes(lab, build_dir, tmp_path, {"node2": "bcast eth1\n"},
                     listen_ms=1000)
    assert "sent 5" in out["node2"]
    assert p.wait(timeout=15) == 0
    assert heard(open(p.log_path, errors="replace").read(), "node2") == set(range(SEND))


def test_a_missing_user_is_a_clear_error(lab, build_dir, tmp_path):
    cf = write_ha_cf(tmp_path, "node1", "bcast eth1\n")
    r = lab.run("node1", [probe_path(build_dir), cf, "--send", "0",
                          "--listen-ms", "0", "--user", "vigil-nosuchuser"],
                check=False)
    assert r.returncode != 0
    assert "vigil-nosuchuser" in r.stderr and "does not exist" in r.stderr


# --- heartbeatd itself -----------------------------------------------------

def heartbeatd_path(build_dir):
    path = build_dir / "heartbeatd" / "heartbeatd"
    if not path.exists():
        pytest.fail(f"{path} not built")
    return str(path)


def test_heartbeatd_prints_its_version(build_dir):
    r = subprocess.run([heartbeatd_path(build_dir), "--version"], text=True,
                       capture_output=True, check=True)
    # The second line is what the package's restart-after-upgrade script
    # reads from a running binary (packaging/README.md, "Upgrades").
    assert r.stdout == "heartbeatd (vigil) 0.1.0\nfeatures: upgrade-restart-marker ipc-1\n"


def test_heartbeatd_help_names_its_options(build_dir):
    r = subprocess.run([heartbeatd_path(build_dir), "--help"], text=True,
                       capture_output=True, check=True)
    for flag in ("--config-dir", "--node-name", "--user", "--version"):
        assert flag in r.stdout


def test_heartbeatd_refuses_an_unknown_argument(build_dir):
    r = subprocess.run([heartbeatd_path(build_dir), "--frobnicate"],
                       text=True, capture_output=True)
    assert r.returncode == 2
    assert "--frobnicate" in r.stderr


def write_config(dirpath, media):
    dirpath.mkdir()
    (dirpath / "ha.cf").write_text(
        "keepalive 1\ndeadtime 10\ninitdead 20\nudpport 694\n" + media +
        "node node1 node2\nauto_failback on\ncrm no\n")
    (dirpath / "haresources").write_text("")
    keys = dirpath / "authkeys"
    keys.write_text("auth 1\n1 sha1 testsecret\n")
    os.chmod(keys, 0o600)
    return dirpath


@pytest.mark.lab(hosts=("node1", "node2"), client=False)
def test_heartbeatd_starts_its_media_drops_to_the_user_and_stops_on_sigterm(
        lab, build_dir, tmp_path):
    conf = write_config(tmp_path / "etc", "bcast eth1\n")
    run = tmp_path / "run"
    run.mkdir()
    p = lab.spawn("node1", [heartbeatd_path(build_dir), "--config-dir",
                            str(conf), "--runtime-dir", str(run),
                            "--state-dir", str(tmp_path), "--node-name",
                            "node1", "--user", "nobody"])
    log = lambda: open(p.log_path, errors="replace").read()  # noqa: E731
    wait_until(lambda: "without capabilities" in log() or
               p.poll() is not None, timeout=10, what="heartbeatd start")
    assert p.poll() is None, log()
    assert ("UDP Broadcast heartbeat started on port 694 (694) interface eth1"
            in log())
    status = proc_status(p.pid)
    assert int(status["CapEff"], 16) == 0
    assert status["Uid"].split()[0] != "0"
    os.kill(p.pid, signal.SIGTERM)
    assert p.wait(timeout=10) == 0, log()


# Started as the unprivileged user, as systemd would start it: with the UDP
# socket from a socket unit, or with CAP_NET_BIND_SERVICE alone.

# Plays systemd's part of socket activation inside a host: binds udpport,
# passes it as fd 3 named argv[1] (LISTEN_FDS/LISTEN_FDNAMES/LISTEN_PID),
# then execs argv[2:] in the same process.
SOCKET_ACTIVATE = """
import os, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 694))
if s.fileno() != 3:
    os.dup2(s.fileno(), 3)
os.set_inheritable(3, True)
env = dict(os.environ, LISTEN_PID=str(os.getpid()), LISTEN_FDS="1",
           LISTEN_FDNAMES=sys.argv[1])
os.execvpe(sys.argv[2], sys.argv[2:], env)
"""

AS_NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


@pytest.fixture
def nobody_config(tmp_path):
    """A config dir nobody can read (tmp_path's parents are root-only)."""
    import pwd
    import shutil
    import tempfile
    top = tempfile.mkdtemp(prefix="vigil-io-")
    os.chmod(top, 0o755)
    etc = write_config(pathlib.Path(top) / "etc", "debug 1\nbcast eth1\n")
    nobody = pwd.getpwnam("nobody")
    for path in [etc, *etc.iterdir()]:
        os.chown(path, nobody.pw_uid, nobody.pw_gid)
    yield etc
    shutil.rmtree(top)


def start_unprivileged(lab, build_dir, conf, prefix):
    return lab.spawn("node1", [*prefix, heartbeatd_path(build_dir),
                               "--config-dir", str(conf),
                               "--runtime-dir", str(conf),
                               "--state-dir", str(conf),
                               "--node-name", "node1"])


def wait_started(p):
    log = lambda: open(p.log_path, errors="replace").read()  # noqa: E731
    wait_until(lambda: "without capabilities" in log() or
               p.poll() is not None, timeout=10, what="heartbeatd start")
    assert p.poll() is None, log()
    return log


@pytest.mark.lab(hosts=("node1", "node2"), client=False)
def test_heartbeatd_as_hacluster_receives_on_the_socket_systemd_passed(
        lab, build_dir, tmp_path, nobody_config):
    p = start_unprivileged(lab, build_dir, nobody_config,
                           ["python3", "-c", SOCKET_ACTIVATE, "eth1",
                            *AS_NOBODY])
    log = wait_started(p)
    status = proc_status(p.pid)
    assert status["Uid"].split()[0] != "0"
    assert int(status["CapEff"], 16) == 0
    assert "receiving on the socket systemd passed as [eth1]" in log()
    out = run_probes(lab, build_dir, tmp_path, {"node2": "bcast eth1\n"},
                     listen_ms=1000)
    assert "sent 5" in out["node2"]
    # The probe's datagrams are not cluster messages: heartbeatd receiving
    # them on the passed socket shows as its log_badpack warning (the first
    # from a sender at once, the rest summarised: bad_packet_tally.h).
    wait_until(lambda: "bad packet: " in log() and " on eth1; " in log(), timeout=5,
               what="heartbeatd to receive node2's datagrams")
    os.kill(p.pid, signal.SIGTERM)
    assert p.wait(timeout=10) == 0, log()


@pytest.mark.lab(hosts=("node1", "node2"), client=False)
def test_heartbeatd_binds_with_net_bind_service_alone_then_drops_it(
        lab, build_dir, nobody_config):
    p = start_unprivileged(lab, build_dir, nobody_config, [
        *AS_NOBODY, "--inh-caps=+net_bind_service",
        "--ambient-caps=+net_bind_service"])
    log = wait_started(p)
    assert "UDP Broadcast heartbeat started on port 694" in log()
    status = proc_status(p.pid)
    assert int(status["CapEff"], 16) == 0
    assert int(status["CapPrm"], 16) == 0
    assert int(status["CapAmb"], 16) == 0
    os.kill(p.pid, signal.SIGTERM)
    assert p.wait(timeout=10) == 0, log()


@pytest.mark.lab(hosts=("node1", "node2"), client=False)
def test_heartbeatd_without_socket_or_capability_says_what_it_needs(
        lab, build_dir, nobody_config):
    p = start_unprivileged(lab, build_dir, nobody_config, AS_NOBODY)
    assert p.wait(timeout=10) != 0
    assert "CAP_NET_BIND_SERVICE or a systemd socket unit" in \
        open(p.log_path, errors="replace").read()
