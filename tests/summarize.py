#!/usr/bin/python3
"""Sum up every suite of a `meson test` run as test cases, not executables.

Reads meson's test logs (meson-logs/testlog*.json: tests/run-all.sh runs
each stage with its own --logbase; one JSON object per test run) and, for each
test, the JUnit file its runner wrote (Catch2 `-r junit -o NAME.junit.xml`,
pytest `--junitxml=NAME.junit.xml`) anywhere under the build directory.
A test with a JUnit file counts its test cases; a test that failed while
its JUnit file shows no failure (crash, timeout, truncated file) counts one
more failure; a test without a JUnit file counts as one case. A pytest run
that collected nothing (exit 5, an empty JUnit file) counts as skipped.
Each `--stage-failure TEXT` (a stage of tests/run-all.sh stopped at its
deadline, say) counts as one failure.

Prints the failing cases, then the last line `N passed, N failed`.
Exit status 0 only when nothing failed and something ran.
"""
import json
import pathlib
import sys
import xml.etree.ElementTree as ET


def junit_counts(path):
    """(passed, failed, skipped, failure names) of one JUnit file."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError):
        return None
    passed = failed = skipped = 0
    names = []
    for case in root.iter("testcase"):
        bad = case.find("failure") is not None or case.find("error") is not None
        if bad:
            failed += 1
            names.append(f'{case.get("classname", "")}::{case.get("name", "")}')
        elif case.find("skipped") is not None:
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped, names


def main(args):
    total_pass = total_fail = total_skip = 0
    failures = []
    build_dirs = []
    while args:
        arg = args.pop(0)
        if arg == "--stage-failure" and args:
            failures.append(args.pop(0))
            total_fail += 1
        else:
            build_dirs.append(arg)
    for build_dir in build_dirs:
        p, f, s, names = summarize_build(pathlib.Path(build_dir))
        total_pass += p
        total_fail += f
        total_skip += s
        failures.extend(f"[{build_dir}] {n}" for n in names)
    for f in failures:
        print(f"FAILED {f}")
    tail = f"{total_pass} passed, {total_fail} failed"
    if total_skip:
        tail += f", {total_skip} skipped"
    print(tail)
    return 0 if total_fail == 0 and total_pass > 0 else 1


def log_entries(build):
    for log in sorted((build / "meson-logs").glob("testlog*.json")):
        for line in log.read_text().splitlines():
            if line.strip():
                yield json.loads(line)


def summarize_build(build):
    if not list((build / "meson-logs").glob("testlog*.json")):
        return 0, 1, 0, [f"{build}/meson-logs/testlog*.json not found: "
                         "the build or meson test did not run"]
    junit_by_name = {p.name[: -len(".junit.xml")]: p for p in build.rglob("*.junit.xml")}
    total_pass = total_fail = total_skip = 0
    failures = []
    for entry in log_entries(build):
        name = entry["name"].split(" / ")[-1]
        result = entry["result"]
        junit = junit_by_name.get(name)
        counts = junit_counts(junit) if junit else None
        if result == "SKIP":
            total_skip += 1
            continue
        if counts is None:
            if result == "OK":
                total_pass += 1
            else:
                total_fail += 1
                failures.append(f"{name}: {result}")
            continue
        passed, failed, skipped, names = counts
        if entry.get("returncode") == 5 and passed + failed + skipped == 0:
            total_skip += 1  # pytest collected no test
            continue
        total_pass += passed
        total_skip += skipped
        total_fail += failed
        failures.extend(f"{name}: {n}" for n in names)
        if result not in ("OK", "EXPECTEDFAIL") and failed == 0:
            total_fail += 1
            failures.append(f"{name}: {result} (runner ended without a JUnit failure)")
    return total_pass, total_fail, total_skip, failures


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["build"]))
