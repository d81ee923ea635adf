#!/usr/bin/env python3
"""The build's guard that the decision libraries stay sans-IO.

heartbeatd's engine, membership core, ownership module, typed messages,
wire codec, configuration and protocol vocabularies decide; only the I/O
shell reads clocks, opens sockets, writes logs or runs the event loop
(heartbeatd/engine/README.md). A header does not stop a stray
`MonoClock::now()` or `sendto()` from compiling, so this script reads the
symbols each library's objects leave undefined (`nm -u`) and fails the
build when one names something only the shell may touch.

usage: sans_io_check.py --stamp OUT [--strict LIB.a ...] [--lenient LIB.a ...]
       sans_io_check.py --expect SYMBOL... --strict LIB.a   (the check's own test:
       succeeds only if every SYMBOL begins a reported violation)

--strict libraries (the engine side) may not touch files, the environment,
processes or randomness either; --lenient ones (conf, which reads ha.cf,
and vigil_base, which wipes secrets) only the clock, sockets, the event
loop, systemd and the log writer.
"""

import argparse
import re
import subprocess
import sys

# Every library: no clock, no socket, no event loop, no systemd, no log call.
_ALWAYS = [
    r"clock_gettime", r"gettimeofday", r"time", r"ftime",
    r"vigil::MonoClock::now\(\)",
    r"std::chrono::_V2::(steady|system|high_resolution)_clock::now\(\)",
    r"socket", r"socketpair", r"bind", r"connect", r"listen", r"accept4?",
    r"send", r"sendto", r"sendmsg", r"sendmmsg", r"recv", r"recvfrom", r"recvmsg",
    r"recvmmsg", r"poll", r"ppoll", r"select", r"epoll_\w+",
    r"event_\w+", r"evutil_\w+", r"bufferevent_\w+", r"evhttp_\w+",
    r"sd_\w+",
    r"vigil::log::write(_lines)?\(.*",
    r"syslog", r"openlog",
]
# The engine side only: no files, environment, processes, sleeping or
# entropy (randomness comes in as an input, heartbeatd/core/rng.h).
_STRICT = [
    r"open(at)?(64)?", r"fopen(64)?", r"read", r"write", r"pread(64)?", r"pwrite(64)?",
    r"std::basic_[io]?fstream<.*", r"std::basic_filebuf<.*",
    r"getenv", r"secure_getenv", r"setenv",
    r"fork", r"vfork", r"exec\w*", r"posix_spawn\w*", r"system", r"kill",
    r"sleep", r"usleep", r"nanosleep",
    r"getrandom", r"randombytes_\w+", r"std::random_device::.*",
]


def _undefined(archive):
    out = subprocess.run(["nm", "-u", "-C", "-A", archive], check=True,
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        # "lib.a:member.o:                 U name"
        head, _, name = line.rpartition(" U ")
        if not name:
            continue
        member = head.split(":")[1] if head.count(":") >= 1 else head
        yield member.strip(), name.strip()


def _violations(archive, patterns):
    rx = re.compile(r"^(?:%s)$" % "|".join(patterns))
    for member, name in _undefined(archive):
        bare = name.split("@")[0]
        if rx.match(bare):
            yield member, bare


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stamp")
    ap.add_argument("--strict", nargs="*", default=[])
    ap.add_argument("--lenient", nargs="*", default=[])
    ap.add_argument("--expect", nargs="*")
    args = ap.parse_args()
    found = []
    for archive in args.strict:
        found += [(archive, m, s) for m, s in _violations(archive, _ALWAYS + _STRICT)]
    for archive in args.lenient:
        found += [(archive, m, s) for m, s in _violations(archive, _ALWAYS)]
    if args.expect is not None:
        reported = {symbol for _, _, symbol in found}
        missed = [e for e in args.expect if not any(r.startswith(e) for r in reported)]
        for e in missed:
            print(f"not caught: {e} (reported: {sorted(reported)})", file=sys.stderr)
        return 1 if missed else 0
    if found:
        for archive, member, symbol in found:
            print(f"sans-IO violation: {archive.rsplit('/', 1)[-1]}({member}) uses {symbol}",
                  file=sys.stderr)
        print("The decision libraries must not read clocks, use sockets, the event loop, "
              "systemd, files or the log writer: take the value as an input and return an "
              "action instead (heartbeatd/engine/README.md).", file=sys.stderr)
        return 1
    if args.stamp:
        with open(args.stamp, "w") as f:
            f.write("ok\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
