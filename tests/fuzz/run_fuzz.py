#!/usr/bin/python3
"""Run one libFuzzer target on its seed corpus plus fresh inputs, for CI.

    run_fuzz.py TARGET SEED_DIR SECONDS JUNIT_FILE

The seeds are copied to a scratch corpus first, so what the fuzzer adds
never lands in the source tree. Fails on any crash, leak, timeout or
sanitizer report (the targets are built with -fno-sanitize-recover), prints
the reproducer (path, bytes, command line) and keeps it in the build
directory under fuzz-artifacts/. Writes one JUnit test case per run so
tests/summarize.py counts it. tests/bench/fuzz_hour.py runs the same
function for longer.
"""
import base64
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET


def run(target, seeds, seconds, keep_dir):
    """Fuzz `target` for `seconds`; returns a dict of figures and findings."""
    target = pathlib.Path(target)
    with tempfile.TemporaryDirectory(prefix=f"vigil-{target.name}-") as tmp:
        tmp = pathlib.Path(tmp)
        corpus = tmp / "corpus"
        shutil.copytree(seeds, corpus)
        seed_count = len(list(corpus.iterdir()))
        artifacts = tmp / "artifacts"
        artifacts.mkdir()
        env = dict(os.environ)
        env["ASAN_OPTIONS"] = "detect_leaks=1:abort_on_error=1:symbolize=1"
        env["UBSAN_OPTIONS"] = "halt_on_error=1:print_stacktrace=1"
        cmd = [str(target), f"-max_total_time={seconds}", "-timeout=10",
               "-rss_limit_mb=2048", "-print_final_stats=1",
               f"-artifact_prefix={artifacts}/", str(corpus)]
        proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True,
                              errors="replace", timeout=seconds + 120)
        out = proc.stdout
        found = sorted(artifacts.iterdir())
        kept = []
        for a in found:
            keep_dir.mkdir(parents=True, exist_ok=True)
            dest = keep_dir / a.name
            shutil.copy(a, dest)
            kept.append(dest)
        figures = {
            "target": target.name,
            "seconds": seconds,
            "seeds": seed_count,
            "corpus": len(list(corpus.iterdir())),
            "execs": _stat(out, "stat::number_of_executed_units"),
            "cov": _last(out, r"\bcov: (\d+)"),
            "ft": _last(out, r"\bft: (\d+)"),
            "returncode": proc.returncode,
            "artifacts": kept,
            "output": out,
        }
        return figures


def _stat(out, name):
    m = re.search(rf"^{re.escape(name)}:\s*(\d+)", out, re.M)
    return int(m.group(1)) if m else None


def _last(out, pattern):
    found = re.findall(pattern, out)
    return int(found[-1]) if found else None


def failed(figures):
    return figures["returncode"] != 0 or bool(figures["artifacts"])


def report(figures):
    """What a reader needs: the figures, and for a failure the reproducer."""
    lines = [f"{figures['target']}: {figures['execs']} executions in "
             f"{figures['seconds']} s, cov {figures['cov']}, ft {figures['ft']}, "
             f"corpus {figures['seeds']} seeds -> {figures['corpus']} inputs"]
    if failed(figures):
        tail = figures["output"].splitlines()[-60:]
        lines.append(f"FAILED (exit {figures['returncode']}); the fuzzer's last lines:")
        lines.extend("  " + t for t in tail)
        for a in figures["artifacts"]:
            data = a.read_bytes()
            lines.append(f"reproducer: {a} ({len(data)} bytes)")
            lines.append(f"  base64: {base64.b64encode(data[:4096]).decode()}")
            lines.append(f"  run it: {figures['target_path']} {a}")
    return "\n".join(lines)


def write_junit(path, figures, text):
    suite = ET.Element("testsuite", name="fuzz", tests="1",
                       failures="1" if failed(figures) else "0")
    case = ET.SubElement(suite, "testcase", classname="fuzz",
                         name=f"{figures['target']}: no crash, leak or sanitizer "
                              f"report in {figures['seconds']} s")
    if failed(figures):
        ET.SubElement(case, "failure", message="fuzzer found a failing input").text = text
    ET.SubElement(case, "system-out").text = text.splitlines()[0]
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)


def main(argv):
    if len(argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    target, seeds, seconds, junit = argv[1], argv[2], int(argv[3]), argv[4]
    seconds = int(os.environ.get("VIGIL_FUZZ_SECONDS", seconds))
    keep = pathlib.Path(junit).parent / "fuzz-artifacts"
    figures = run(target, seeds, seconds, keep)
    figures["target_path"] = target
    text = report(figures)
    print(text)
    write_junit(junit, figures, text)
    return 1 if failed(figures) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
