"""PID 1 of a real-heartbeat test node (see real_heartbeat.py).

    node_init.py NODE_DIR HOSTNAME

Runs inside fresh PID, UTS, IPC and mount namespaces (and the node's network
namespace). Prepares a private view of the files heartbeat uses, starts it
with its own init script, then reaps zombies until killed.
"""
import os
import pathlib
import socket
import subprocess
import sys
import time


def bind(src, dst):
    subprocess.run(["mount", "--bind", str(src), str(dst)], check=True)


def main():
    node_dir = pathlib.Path(sys.argv[1])
    hostname = sys.argv[2]
    socket.sethostname(hostname)
    subprocess.run(["ip", "link", "set", "lo", "up"], check=False)

    bind(node_dir / "etc-ha.d", "/etc/ha.d")
    bind(node_dir / "var-lib-heartbeat", "/var/lib/heartbeat")
    bind(node_dir / "run", "/run")
    bind(node_dir / "var-log", "/var/log")
    bind(node_dir / "init.d", "/etc/init.d")
    # A resource stop that keeps failing makes ResourceManager reboot the
    # machine; these stubs (and the PID namespace) keep that inside the node.
    for path in ("/usr/bin/systemctl", "/usr/lib/systemd/systemd", "/sbin/reboot"):
        if os.path.exists(path):
            bind("/bin/true", path)
    for d in ("/run/lock", "/run/resource-agents"):
        os.makedirs(d, exist_ok=True)

    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C"}
    subprocess.run(["/etc/init.d/heartbeat", "start"], env=env, check=False)
    (node_dir / "booted").write_text(str(os.getpid()))

    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            time.sleep(0.2)


if __name__ == "__main__":
    main()
