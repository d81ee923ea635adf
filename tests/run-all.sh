#!/bin/bash
# Sets everything up on a fresh Debian 12 machine (root) and runs every test
# suite: unit, simulator, integration (network namespaces), interop (real
# heartbeat 3.0.6), packaging, fuzz. Ends with the line `N passed, N failed`.
#
#   tests/run-all.sh [--no-install] [--no-sanitize] [--no-fuzz]
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

if [ "$install" = 1 ]; then
  packaging/build-deps.sh || { echo "0 passed, 1 failed"; exit 1; }
fi

status=0
build_and_test() {  # DIR SUMMARY-LABEL MESON-SETUP-ARGS... -- MESON-TEST-ARGS...
  local dir=$1; shift
  local setup=() testargs=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do setup+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  testargs=("$@")
  rm -rf "$dir"
  if ! meson setup "$dir" "${setup[@]}" >"$dir.setup.log" 2>&1; then
    cat "$dir.setup.log"; status=1; return 1
  fi
  if ! meson compile -C "$dir"; then status=1; return 1; fi
  find "$dir" -name '*.junit.xml' -delete
  meson test -C "$dir" --print-errorlogs "${testargs[@]}" || status=1
}

# The sanitizer build runs the suites that need no root or network:
# unit tests and the simulator.
summaries=()
if [ "$sanitize" = 1 ]; then
  build_and_test build-asan -Db_sanitize=address,undefined -Db_lundef=false \
    -Dintegration_tests=false -- --suite unit --suite sim
  summaries+=(build-asan)
fi
build_and_test build --
summaries+=(build)

# --- Fuzz stage (tests/fuzz/meson.build): clang, ASan/UBSan, libFuzzer.
# Only the targets and the libraries they link are compiled; each runs
# 60 s on its corpus plus fresh inputs (three targets: under 5 minutes).
if [ "$fuzz" = 1 ]; then
  rm -rf build-fuzz
  if CXX=clang++ CC=clang meson setup build-fuzz -Dfuzz=true -Dintegration_tests=false \
       -Db_sanitize=address,undefined -Db_lundef=false >build-fuzz.setup.log 2>&1 &&
     ninja -C build-fuzz tests/fuzz/fuzz_wire tests/fuzz/fuzz_conf tests/fuzz/fuzz_ipc; then
    meson test -C build-fuzz --no-rebuild --print-errorlogs --suite fuzz || status=1
  else
    cat build-fuzz.setup.log; status=1
  fi
  summaries+=(build-fuzz)
fi

# One closing line over every suite of every build.
/usr/bin/python3 tests/summarize.py "${summaries[@]}"
rc=$?
[ "$status" = 0 ] || rc=1
exit "$rc"
