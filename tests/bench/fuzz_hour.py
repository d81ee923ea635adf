#!/usr/bin/python3
"""Run every libFuzzer target of tests/fuzz for a shared budget (not CI).

    tests/bench/fuzz_hour.py [--seconds N] [BUILD_FUZZ_DIR]

BUILD_FUZZ_DIR (default build-fuzz) is a -Dfuzz=true clang build with the
targets compiled (tests/fuzz/meson.build says how). The budget, one hour by
default, is split equally between the targets, which run one after the
other on their checked-in seeds plus what they find. Prints per target:
seconds, executions, coverage (edges) and features, corpus growth and every
crash with its reproducer (run_fuzz.py); exits 1 if any target failed.
"""
import argparse
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "fuzz"))
import run_fuzz  # noqa: E402

TARGETS = ("wire", "conf", "ipc", "control")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=3600, help="total budget")
    ap.add_argument("build", nargs="?", default="build-fuzz")
    args = ap.parse_args()
    build = pathlib.Path(args.build)
    share = max(1, args.seconds // len(TARGETS))
    rows, bad = [], 0
    for name in TARGETS:
        target = build / "tests" / "fuzz" / f"fuzz_{name}"
        figures = run_fuzz.run(target, HERE.parent / "fuzz" / "corpus" / name, share,
                               build / "fuzz-artifacts")
        figures["target_path"] = str(target)
        print(run_fuzz.report(figures), flush=True)
        crashes = len(figures["artifacts"]) + (1 if figures["returncode"] and
                                                not figures["artifacts"] else 0)
        bad += crashes
        rows.append((name, share, figures["execs"], figures["cov"], figures["ft"],
                     f"{figures['seeds']}->{figures['corpus']}", crashes))
    print(f"\n{'target':8} {'seconds':>8} {'execs':>12} {'cov':>6} {'ft':>6} "
          f"{'corpus':>10} {'crashes':>8}")
    for r in rows:
        print(f"{r[0]:8} {r[1]:>8} {r[2] or 0:>12} {r[3] or 0:>6} {r[4] or 0:>6} "
              f"{r[5]:>10} {r[6]:>8}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
