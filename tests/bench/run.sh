#!/bin/sh
# The bench: vigil beside the real heartbeat 3.0.6 and keepalived 2.2.7 in
# network namespaces (tests/bench/README in bench.py's docstring).
#
#   tests/bench/run.sh [--quick] [--no-install] [--out DIR] [scenario...]
#
# Fresh Debian 12, as root. Installs what it needs from Debian's archive
# (the build and test dependencies, keepalived and gnuplot-nox, none of
# them started on this machine), builds vigil into build/ if needed, then
# runs tests/bench/bench.py with Debian's python3. Not run by CI.
set -eu
cd "$(dirname "$0")/../.."
install=1
for a in "$@"; do [ "$a" = --no-install ] && install=0; done
if [ "$(id -u)" != 0 ]; then
  echo "run.sh: needs root (network namespaces, the daemons' privileges)" >&2
  exit 2
fi
if [ $install = 1 ]; then
  packaging/build-deps.sh
  # keepalived's postinst would start it in the machine's own namespaces:
  # policy-rc.d forbids that for this install only.
  created=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    created=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    keepalived gnuplot-nox >/dev/null
  [ $created = 1 ] && rm -f /usr/sbin/policy-rc.d
fi
if [ ! -x build/heartbeatd/heartbeatd ]; then
  [ -d build ] || meson setup build >/dev/null
fi
meson compile -C build -j "$(nproc)" >/dev/null
exec /usr/bin/python3 tests/bench/bench.py "$@"
