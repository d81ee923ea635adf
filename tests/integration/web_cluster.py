"""The seed's web cluster on netlab hosts: a real LSB init script
(`httpsvc`) that serves a page naming its node on the VIP, the client's
view of that page, and the node factory the failover suites share.

    from web_cluster import VIP, fetch, make_web_node, wait_served_by, web_workdir

    with web_workdir() as workdir:              # killed servers, removed dir
        node1 = make_web_node(lab, workdir, "node1")   # haresources
                                                # `node1 192.0.2.5 httpsvc`
        node1.start_all()
        wait_served_by(lab, "node1", 15)        # seconds it took
        start_serving_pair(lab, node1, node2)   # node1 serves, node2 joins
        fetch(lab)                              # "served by node1\n" or None

make_web_node takes ha_cf text (default: vigil_node.ha_cf for node1/node2
over bcast eth1 at keepalive 100ms / deadtime 500ms), haresources and
authkeys. The page's text is "served by <host>".
"""
from __future__ import annotations

import contextlib
import os
import pathlib
import re
import shutil
import signal
import tempfile
import time

from netlab import wait_until
from vigil_node import AUTH_CRC, VigilNode, ha_cf

VIP = "192.0.2.5"
HTTPSVC = r"""#!/bin/sh
# httpsvc: an LSB init script serving this node's page on {vip}:80.
PIDFILE={rundir}/httpsvc.pid
DOCROOT={docroot}
# A killed server may linger as a zombie until its (new) parent reaps it:
# that is not running.
alive() {{
    [ -r "/proc/$1/stat" ] && ! sed 's/.*) //' "/proc/$1/stat" | grep -q '^Z'
}}
running() {{
    [ -f "$PIDFILE" ] && alive "$(cat "$PIDFILE")"
}}
case "$1" in
  start)
    running && exit 0
    setsid /usr/bin/python3 -m http.server 80 --bind {vip} --directory "$DOCROOT" \
        </dev/null >/dev/null 2>&1 &
    echo $! > "$PIDFILE"
    i=0
    while [ $i -lt 100 ]; do
        /usr/bin/python3 -c 'import socket; socket.create_connection(("{vip}", 80), 0.2)' \
            2>/dev/null && exit 0
        running || exit 1
        sleep 0.05; i=$((i + 1))
    done
    exit 1 ;;
  stop)
    if running; then
        pid=$(cat "$PIDFILE")
        kill "$pid" 2>/dev/null
        i=0
        while alive "$pid" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
        kill -9 "$pid" 2>/dev/null
    fi
    rm -f "$PIDFILE"
    exit 0 ;;
  status)
    if running; then echo "httpsvc is running"; exit 0; fi
    echo "httpsvc is stopped"; exit 3 ;;
  *)
    echo "Usage: $0 {{start|stop|status}}"; exit 2 ;;
esac
"""


def fetch(lab):
    """The page at http://192.0.2.5/ as the client sees it, or None."""
    r = lab.run("client", ["curl", "-s", "--max-time", "0.5", f"http://{VIP}/"], check=False)
    return r.stdout if r.returncode == 0 else None


def wait_served_by(lab, name, timeout):
    start = time.monotonic()
    wait_until(lambda: (fetch(lab) or "").strip() == f"served by {name}", timeout=timeout,
               interval=0.02, what=f"http://{VIP}/ served by {name}")
    return time.monotonic() - start


def kill_web_servers(workdir):
    """The web servers run in their own sessions (setsid): end them by the
    PIDs their pid files name (our own processes, never by name)."""
    for pidfile in pathlib.Path(workdir).glob("**/httpsvc.pid"):
        try:
            os.kill(int(pidfile.read_text().strip()), signal.SIGKILL)
        except (ValueError, ProcessLookupError, FileNotFoundError):
            pass


@contextlib.contextmanager
def web_workdir(prefix="vigil-failover-"):
    d = pathlib.Path(tempfile.mkdtemp(prefix=prefix))
    os.chmod(d, 0o755)
    try:
        yield d
    finally:
        kill_web_servers(d)
        if os.environ.get("VIGIL_KEEP_WORKDIR"):
            print(f"\nworkdir kept: {d}")
        else:
            shutil.rmtree(d, ignore_errors=True)


def install_httpsvc(config_dir, runtime_dir, docroot):
    """Writes resource.d/httpsvc under config_dir (a heartbeat resource
    script: the same file works in /etc/ha.d/resource.d of a real node)."""
    rd = pathlib.Path(config_dir) / "resource.d"
    rd.mkdir(exist_ok=True)
    script = rd / "httpsvc"
    script.write_text(HTTPSVC.format(vip=VIP, rundir=runtime_dir, docroot=docroot))
    os.chmod(script, 0o755)
    return script


def make_web_node(lab, workdir, name, ha_cf_text=None, haresources=f"node1 {VIP} httpsvc\n",
                  authkeys=AUTH_CRC, node_name=None):
    text = ha_cf_text if ha_cf_text is not None else ha_cf(["node1", "node2"], ["bcast eth1"])
    node = VigilNode(lab, name, workdir, text, haresources=haresources, authkeys=authkeys,
                     node_name=node_name)
    docroot = node.dir / "www"
    docroot.mkdir()
    (docroot / "index.html").write_text(f"served by {name}\n")
    install_httpsvc(node.config_dir, node.runtime_dir, docroot)
    return node


def start_serving_pair(lab, node1, node2, timeout=15):
    """node1 starts first and serves the page; node2 joins; each logs the
    other active. Both still advertise the start-up deadtime bump (§5.10)
    for 5 s: a test that times a crash waits that out itself."""
    node1.start_all()
    node1.wait_for_log(
        re.escape(f"Acquiring resource group: {node1.node_name} {VIP} httpsvc"), timeout)
    wait_served_by(lab, node1.host, timeout)
    node2.start_all()
    node2.wait_for_log(re.escape(f"Status update for node {node1.node_name}: status active"),
                       timeout)
    node1.wait_for_log(re.escape(f"Status update for node {node2.node_name}: status active"),
                       timeout)
