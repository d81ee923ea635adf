"""A client probing the VIP every 10 ms, and what it saw.

Run as a program inside the client namespace (lab.spawn), it starts one
HTTP fetch of http://<vip>/ every `interval` seconds -- each on its own
connection, concurrently, so a fetch hanging on a lost SYN never delays
the next one and the probe's resolution stays at the interval -- and
writes one line per finished fetch:

    <start> <end> ok|fail <page's first line or the error>

with `start` and `end` from time.monotonic() (CLOCK_MONOTONIC is not
namespaced: the test's own time.monotonic() is on the same clock). A
fetch fails on any error, a status other than 200, or when it has not
finished `timeout` seconds after it started.

    from vip_probe import VipProbe

    with VipProbe(lab, "client", path) as probe:   # spawned, first ok seen
        ...
    samples = probe.samples()                      # after the with block
    failed(samples, since, until)                  # fetches that failed
    gaps(samples)                                  # every gap, see Gap
    outages(samples, since)                        # gaps that are not blips

The program: python3 vip_probe.py OUT [--vip A] [--interval S] [--timeout S];
SIGTERM ends it after writing what has finished.
"""
from __future__ import annotations

import argparse
import asyncio
import dataclasses
import pathlib
import signal
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT_VIP = "192.0.2.5"
DEFAULT_INTERVAL = 0.010
# Decides failure only: the probe's resolution is the interval. Long
# enough that a loaded machine's slow answer is not a failure; a lost SYN
# (the address held by nobody) waits 1 s for its retransmission, so an
# outage of the address always makes the fetches started in it fail.
DEFAULT_TIMEOUT = 0.9


@dataclasses.dataclass
class Sample:
    start: float
    end: float
    ok: bool
    text: str


@dataclasses.dataclass
class Gap:
    """Consecutive failed fetches (by start time). `length` is the time from
    the start of the last good fetch before them to the start of the first
    good one after them: an upper bound on the outage, within one interval."""
    last_ok: float | None   # start of the last good fetch before, if any
    first_fail: float
    next_ok: float | None   # start of the first good fetch after, if any
    failures: int
    errors: list[str]

    @property
    def length(self) -> float | None:
        if self.last_ok is None or self.next_ok is None:
            return None
        return self.next_ok - self.last_ok


def read_samples(path) -> list[Sample]:
    out = []
    try:
        text = pathlib.Path(path).read_text(errors="replace")
    except FileNotFoundError:
        return out
    for line in text.splitlines():
        parts = line.split(" ", 3)
        if len(parts) < 3:
            continue
        try:
            start, end = float(parts[0]), float(parts[1])
        except ValueError:
            continue
        out.append(Sample(start, end, parts[2] == "ok", parts[3] if len(parts) > 3 else ""))
    out.sort(key=lambda s: s.start)
    return out


def failed(samples, since=None, until=None) -> list[Sample]:
    """Failed fetches started in [since, until]."""
    return [s for s in samples if not s.ok and (since is None or s.start >= since)
            and (until is None or s.start <= until)]


def gaps(samples) -> list[Gap]:
    out = []
    last_ok = None
    current = None
    for s in samples:  # by start time
        if s.ok:
            if current is not None:
                current.next_ok = s.start
                out.append(current)
                current = None
            last_ok = s.start
        elif current is None:
            current = Gap(last_ok, s.start, None, 1, [s.text])
        else:
            current.failures += 1
            if len(current.errors) < 5:
                current.errors.append(s.text)
    if current is not None:
        out.append(current)
    return out


def is_blip(gap: Gap) -> bool:
    """One fetch that timed out between two good ones: the test machine
    stalled (2 shared cores; seen in CI-like runs), not an outage, since
    the fetches started just before and after it were answered."""
    return (gap.failures == 1 and gap.last_ok is not None and gap.next_ok is not None
            and gap.errors[0].startswith("timeout"))


def outages(samples, since=None) -> list[Gap]:
    """The gaps starting at or after `since`, blips left out."""
    return [g for g in gaps(samples)
            if (since is None or g.first_fail >= since) and not is_blip(g)]


def served_by(samples, since=None) -> set[str]:
    """The page texts of the good fetches started at or after `since`."""
    return {s.text for s in samples if s.ok and (since is None or s.start >= since)}


def describe(samples, since=None, until=None) -> str:
    chosen = [s for s in samples if (since is None or s.start >= since)
              and (until is None or s.start <= until)]
    if not chosen:
        return "no fetch"
    lat = sorted(s.end - s.start for s in chosen if s.ok)
    text = f"{len(chosen)} fetches, {sum(not s.ok for s in chosen)} failed"
    if lat:
        text += (f", latency median {lat[len(lat) // 2] * 1000:.1f} ms,"
                 f" max {lat[-1] * 1000:.1f} ms")
    return text


class VipProbe:
    """The probe program spawned in `host`; stopped (SIGTERM, by PID) at the
    end of the with block, or by stop()."""

    def __init__(self, lab, host, path, vip=DEFAULT_VIP, interval=DEFAULT_INTERVAL,
                 timeout=DEFAULT_TIMEOUT):
        self.lab = lab
        self.host = host
        self.path = pathlib.Path(path)
        self.argv = ["/usr/bin/python3", str(HERE / "vip_probe.py"), str(self.path),
                     "--vip", vip, "--interval", str(interval), "--timeout", str(timeout)]
        self.proc = None

    def start(self, wait_ok=10.0):
        self.proc = self.lab.spawn(self.host, self.argv,
                                   log_path=str(self.path) + ".stderr")
        deadline = time.monotonic() + wait_ok
        while not any(s.ok for s in read_samples(self.path)):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"probe saw no good fetch within {wait_ok}s: "
                                     f"{describe(read_samples(self.path))}")
            time.sleep(0.05)
        return self

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.lab.stop(self.proc)

    def samples(self) -> list[Sample]:
        return read_samples(self.path)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# --- the probe program ---------------------------------------------------------

async def _fetch(vip):
    reader, writer = await asyncio.open_connection(vip, 80)
    try:
        writer.write(f"GET / HTTP/1.0\r\nHost: {vip}\r\n\r\n".encode())
        await writer.drain()
        data = await reader.read()
    finally:
        writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status = head.split(b"\r\n", 1)[0].decode(errors="replace")
    if " 200 " not in status + " ":
        raise RuntimeError(f"status [{status}]")
    return body.decode(errors="replace").strip().splitlines()[0] if body.strip() else ""


async def _one(vip, timeout, out):
    start = time.monotonic()
    try:
        text = await asyncio.wait_for(_fetch(vip), timeout)
        verdict = "ok"
    except asyncio.TimeoutError:
        verdict, text = "fail", f"timeout after {timeout}s"
    except Exception as e:  # any failure is a failed fetch
        verdict, text = "fail", f"{type(e).__name__}: {e}"
    end = time.monotonic()
    text = " ".join(text.split())[:200]
    out.write(f"{start:.6f} {end:.6f} {verdict} {text}\n")
    out.flush()


async def _main(args):
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    tasks = set()
    with open(args.out, "a", buffering=1) as out:
        next_at = time.monotonic()
        while not stop.is_set():
            task = asyncio.ensure_future(_one(args.vip, args.timeout, out))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            next_at += args.interval
            delay = next_at - time.monotonic()
            if delay < 0:  # descheduled: do not burst to catch up
                next_at = time.monotonic()
                delay = 0
            try:
                await asyncio.wait_for(stop.wait(), delay)
            except asyncio.TimeoutError:
                pass
        if tasks:
            await asyncio.wait(tasks, timeout=args.timeout + 1)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out")
    p.add_argument("--vip", default=DEFAULT_VIP)
    p.add_argument("--interval", type=float, default=DEFAULT_INTERVAL)
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    args = p.parse_args(argv)
    asyncio.run(_main(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
