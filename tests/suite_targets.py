#!/usr/bin/python3
"""Prints the targets (paths relative to the build directory, for ninja)
that some test suites need, so that CI compiles each configuration only as
far as its suites go (tests/run-all.sh).

    suite_targets.py BUILDDIR --for SUITE...     the programs those suites
        run, and what their tests declare with `depends :`
    suite_targets.py BUILDDIR --except SUITE...  every target but the
        programs only those suites run (the other suites' pytest files use
        the daemons and tools without declaring them)

A test that runs a program of this build must name it in `depends :` (or be
its command) to be built for `--for`.
"""
import json
import os
import subprocess
import sys


def introspect(build, what):
    out = subprocess.run(["meson", "introspect", build, what], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def main(argv):
    if len(argv) < 3 or argv[1] not in ("--for", "--except"):
        sys.exit(__doc__)
    build, mode, suites = argv[0], argv[1], set(argv[2:])
    targets = introspect(build, "--targets")
    tests = introspect(build, "--tests")
    by_id = {t["id"]: t for t in targets}
    by_file = {f: t for t in targets for f in t["filename"]}

    def needed_by(test):
        ids = set(test.get("depends", []))
        if test["cmd"] and test["cmd"][0] in by_file:
            ids.add(by_file[test["cmd"][0]]["id"])
        return ids

    def in_suites(test):
        return any(s.split(":")[-1] in suites for s in test["suite"])

    chosen = set()
    if mode == "--for":
        for test in tests:
            if in_suites(test):
                chosen |= needed_by(test)
    else:
        only_theirs = set()
        for test in tests:
            if in_suites(test):
                only_theirs |= needed_by(test)
        for test in tests:
            if not in_suites(test):
                only_theirs -= needed_by(test)
        chosen = {t["id"] for t in targets
                  if t["type"] != "static library" and
                  (t["installed"] or t["id"] not in only_theirs)}
    for tid in sorted(chosen):
        for f in by_id[tid]["filename"]:
            print(os.path.relpath(f, os.path.abspath(build)))


if __name__ == "__main__":
    main(sys.argv[1:])
