#!/usr/bin/python3
"""Checks tests/run-all.sh without running it: the script parses, and every
stage it runs (run_stage, run_suites, configure_and_build) has a deadline
in DEADLINE. A stage without one once ended CI's run with no last line."""
import pathlib
import re
import subprocess
import sys

script = pathlib.Path(sys.argv[1])
text = script.read_text()
subprocess.run(["bash", "-n", str(script)], check=True)

table = re.search(r"declare -A DEADLINE=\((.*?)\)", text, re.S)
if not table:
    sys.exit(f"{script}: no `declare -A DEADLINE=(...)` table")
deadlines = set(re.findall(r"\[([\w-]+)\]=\d+", table.group(1)))

used = {}
for number, line in enumerate(text.splitlines(), 1):
    m = re.match(r"\s*(?:if !? ?)?(?:\w+=\S+ )*(run_stage|run_suites|configure_and_build)"
                 r" ([\w-]+)", line)
    if m and not line.lstrip().startswith(("#", m.group(1) + "()")):
        used.setdefault(m.group(2), number)

missing = {name: n for name, n in used.items() if name not in deadlines}
for name, n in sorted(missing.items()):
    print(f"{script}:{n}: stage '{name}' has no deadline in DEADLINE")
if not used:
    sys.exit(f"{script}: found no stage at all; this check is out of date")
if missing:
    sys.exit(1)
print(f"{len(used)} stages, each with a deadline: {', '.join(sorted(used))}")
