#!/bin/bash
# Sets everything up on a fresh Debian 12 machine (root) and runs every test
# suite: unit, simulator, integration (network namespaces), interop (real
# heartbeat 3.0.6), packaging, fuzz. Ends with the line `N passed, N failed`.
#
#   tests/run-all.sh [--no-install] [--no-sanitize] [--no-fuzz]
#
# The product is compiled once per configuration:
#   build-asan  ASan/UBSan at -O1 -g1, only the targets the unit and simulator suites
#               need (tests/suite_targets.py); runs those two suites (the
#               simulator with 100 seeds per family, tests/sim/meson.build).
#   build       Debian's flags and layout (packaging/setup-package-build.sh),
#               all but the unit programs; runs sim-proof (the simulator at
#               full seed counts and the heavy-loss proof), integration,
#               interop and package, whose .deb and .rpm are made from this
#               build. With --no-sanitize it also compiles and runs unit.
#   build-fuzz  clang, ASan/UBSan, libFuzzer: the fuzz targets only.
# Every stage has a deadline: a stage that overruns is stopped and named,
# and counts as a failure. The exit status and the last line are
# tests/summarize.py's over all the test logs (a pytest file that collects
# nothing, exit 5, counts as skipped, not failed). Before the last line, a table of each stage's
# time. Repeats, figures and long soaks are not here: tests/bench.
set -uo pipefail
cd "$(dirname "$0")/.."

install=1
sanitize=1
fuzz=1
for arg in "$@"; do
  case "$arg" in
    --no-install) install=0 ;;
    --no-sanitize) sanitize=0 ;;
    --no-fuzz) fuzz=0 ;;
    *) echo "usage: $0 [--no-install] [--no-sanitize] [--no-fuzz]" >&2; exit 2 ;;
  esac
done

# Deadlines in seconds, about twice each stage's time on the 2-core CI
# machine (measured: tests/bench/README.md's CI section). Raise the one
# your suite grows, with its new measured time.
declare -A DEADLINE=(
  [apt]=900
  [asan-build]=1800 [asan-unit-sim]=600
  [build]=900 [integration]=1200 [interop]=900 [package]=1500
  [unit-sim]=600 [sim-proof]=600 [fuzz-build]=900 [fuzz]=600
)

stage_rows=()      # "name seconds result" for the table
stage_failures=()  # passed to summarize.py, which counts each as a failure

# run_stage NAME CMD...: CMD under NAME's deadline. Returns CMD's status
# (124 when the deadline stopped it).
run_stage() {
  local name=$1; shift
  local limit=${DEADLINE[$name]:-} began=$SECONDS rc result
  if [ -z "$limit" ]; then
    # A stage without a deadline is a bug in this script: say so and count
    # it, rather than let `set -u` end the run without a last line.
    echo "run-all.sh: stage '$name' has no deadline in DEADLINE" >&2
    stage_failures+=(--stage-failure "stage $name: no deadline in tests/run-all.sh")
    stage_rows+=("$name 0 no-deadline")
    return 1
  fi
  echo "=== stage $name (deadline ${limit} s)"
  timeout --kill-after=60 "$limit" "$@"
  rc=$?
  result=ok
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    result="DEADLINE ${limit} s"
    echo "run-all.sh: stage '$name' did not finish within its deadline of ${limit} s;" \
         "stopped" >&2
    stage_failures+=(--stage-failure "stage $name: stopped at its deadline of ${limit} s")
  elif [ "$rc" != 0 ]; then
    result="exit $rc"
  fi
  stage_rows+=("$name $((SECONDS - began)) $result")
  return "$rc"
}

# configure_and_build STAGE DIR SETUP-COMMAND... -- [TARGETS-COMMAND...]:
# a fresh DIR, configured by SETUP-COMMAND, then compiled (all targets, or
# those TARGETS-COMMAND prints), within STAGE's deadline.
configure_and_build() {
  local stage=$1 dir=$2; shift 2
  local setup=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do setup+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  rm -rf "$dir"
  run_stage "$stage" bash -c '
    dir=$1; shift
    setup=(); while [ "$1" != -- ]; do setup+=("$1"); shift; done; shift
    "${setup[@]}" >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log"; exit 1; }
    targets=()
    if [ $# -gt 0 ]; then
      mapfile -t targets < <("$@") || exit 1
      [ ${#targets[@]} -gt 0 ] || { echo "no targets from: $*" >&2; exit 1; }
    fi
    ninja -C "$dir" "${targets[@]}"
  ' configure_and_build "$dir" "${setup[@]}" -- "$@"
}

# run_suites STAGE DIR SUITE...: those suites of DIR (already compiled),
# each stage logging to its own meson-logs/testlog-STAGE.json, which
# tests/summarize.py reads.
run_suites() {
  local stage=$1 dir=$2; shift 2
  local suites=()
  for s in "$@"; do suites+=(--suite "$s"); done
  run_stage "$stage" meson test -C "$dir" --no-rebuild --print-errorlogs \
    --logbase "testlog-$stage" "${suites[@]}"
  local rc=$?
  # Failed tests are counted from the log; a run that failed without one
  # (not at its deadline, counted already) is counted here. A suite with
  # no test (exit 0, no log) is nothing.
  if [ "$rc" != 0 ] && [ "$rc" != 124 ] && [ "$rc" != 137 ] &&
     [ ! -s "$dir/meson-logs/testlog-$stage.json" ]; then
    stage_failures+=(--stage-failure "stage $stage: meson test failed without a test log")
  fi
}

print_stage_table() {
  echo
  echo "stage               seconds  result"
  local row name secs result total=0
  for row in "${stage_rows[@]}"; do
    read -r name secs result <<<"$row"
    printf '%-19s %7d  %s\n' "$name" "$secs" "$result"
    total=$((total + secs))
  done
  printf '%-19s %7d\n' total "$total"
}

if [ "$install" = 1 ]; then
  if ! run_stage apt packaging/build-deps.sh; then
    [ ${#stage_failures[@]} -gt 0 ] ||
      stage_failures+=(--stage-failure "stage apt: packaging/build-deps.sh failed")
    print_stage_table
    /usr/bin/python3 tests/summarize.py "${stage_failures[@]}"
    exit 1
  fi
fi

summaries=()
if [ "$sanitize" = 1 ]; then
  if configure_and_build asan-build build-asan \
       meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false \
       --buildtype=plain -Dcpp_args='-O1 -g1' -Dintegration_tests=false -- \
       /usr/bin/python3 tests/suite_targets.py build-asan --for unit sim; then
    run_suites asan-unit-sim build-asan unit sim
  fi
  summaries+=(build-asan)
fi

# With the sanitizer build running unit and sim, this one skips their
# programs (a third of the compile).
only=()
[ "$sanitize" = 1 ] && only=(-- /usr/bin/python3 tests/suite_targets.py build --except unit sim)
if configure_and_build build build packaging/setup-package-build.sh build "${only[@]}"; then
  # sim-proof: the simulator at full seed counts and the heavy-loss proof,
  # which the sanitizer build runs only in part (tests/sim/meson.build).
  if [ "$sanitize" = 0 ]; then
    run_suites unit-sim build unit sim-proof
  else
    run_suites sim-proof build sim-proof
  fi
  run_suites integration build integration
  run_suites interop build interop
  VIGIL_PKG_FROM_BUILD=$PWD/build run_suites package build package
fi
summaries+=(build)

# Fuzz (tests/fuzz/meson.build): only the targets and the libraries they
# link; each runs 60 s on its corpus plus fresh inputs (four targets:
# within 5 minutes).
if [ "$fuzz" = 1 ]; then
  if configure_and_build fuzz-build build-fuzz \
       env CXX=clang++ CC=clang meson setup build-fuzz -Dfuzz=true \
       -Dintegration_tests=false -Db_sanitize=address,undefined -Db_lundef=false -- \
       printf '%s\n' tests/fuzz/fuzz_wire tests/fuzz/fuzz_conf tests/fuzz/fuzz_ipc \
         tests/fuzz/fuzz_control; then
    run_suites fuzz build-fuzz fuzz
  fi
  summaries+=(build-fuzz)
fi

print_stage_table
# One closing line over every suite of every build; its status is ours (a
# build that failed left no test log there, which counts as a failure).
/usr/bin/python3 tests/summarize.py "${stage_failures[@]}" "${summaries[@]}"
