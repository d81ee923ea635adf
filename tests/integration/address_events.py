"""Address changes of a netlab host as the kernel reports them, with their
times: `ip -ts monitor address` spawned in the host's namespace.

    with AddressMonitor(lab, "node1", path) as mon:   # listening when entered
        ...
    mon.events("192.0.2.5")   # [AddressEvent(when, added, interface, address)]

`when` is wall-clock time (time.time() scale, from ip's own timestamp,
taken when it read the notification), so events of several hosts compare
with each other. stderr log lines of vigil's daemons use the same clock
(log_time()).
"""
from __future__ import annotations

import dataclasses
import datetime
import pathlib
import re
import time

_LINE = re.compile(r"^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+)\] (Deleted )?\d+: (\S+)\s+inet6? "
                   r"([0-9a-fA-F.:]+)/")
_LOG_TIME = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) ")


@dataclasses.dataclass
class AddressEvent:
    when: float       # seconds since the epoch
    added: bool       # False: deleted
    interface: str
    address: str


def _local_epoch(text, fmt):
    # ip and the daemons print local time; mktime reads it back as local.
    dt = datetime.datetime.strptime(text, fmt)
    return time.mktime(dt.timetuple()) + dt.microsecond / 1e6


def log_time(line):
    """Wall-clock time of a daemon's stderr log line, or None."""
    m = _LOG_TIME.match(line)
    return _local_epoch(m.group(1), "%Y-%m-%d %H:%M:%S.%f") if m else None


def parse(text) -> list[AddressEvent]:
    out = []
    for line in text.splitlines():
        m = _LINE.match(line)
        if m:
            out.append(AddressEvent(_local_epoch(m.group(1), "%Y-%m-%dT%H:%M:%S.%f"),
                                    m.group(2) is None, m.group(3), m.group(4)))
    return out


class AddressMonitor:
    def __init__(self, lab, host, path):
        self.lab = lab
        self.host = host
        self.path = pathlib.Path(path)
        self.proc = None

    def start(self):
        self.proc = self.lab.spawn(self.host, ["ip", "-ts", "monitor", "address"],
                                   log_path=str(self.path))
        # ip prints nothing until a change: give it time to subscribe, and
        # prove it with a change of our own (a throw-away address on lo).
        probe_addr = "127.0.0.77"
        deadline = time.monotonic() + 5
        while True:
            self.lab.run(self.host, ["ip", "addr", "add", f"{probe_addr}/32", "dev", "lo"],
                         check=False)
            self.lab.run(self.host, ["ip", "addr", "del", f"{probe_addr}/32", "dev", "lo"],
                         check=False)
            if any(e.address == probe_addr for e in self.events()):
                return self
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{self.host}: ip monitor is not reporting: "
                                     + self.path.read_text(errors="replace")[-1000:])
            time.sleep(0.05)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.lab.stop(self.proc)

    def events(self, address=None) -> list[AddressEvent]:
        try:
            text = self.path.read_text(errors="replace")
        except FileNotFoundError:
            return []
        return [e for e in parse(text) if address is None or e.address == address]

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
