#!/bin/bash
# The main job, on a fresh Debian 12 machine as root: installs what vigil
# needs, builds it, and shows it at work on the classic tutorial's
# configuration (packaging/examples/seed): the configuration check, then a
# live two-node cluster in network namespaces (created and removed here,
# never touching this machine's own network) failing over when node1's
# heartbeatd is killed, and failing back when it returns.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" != --no-install ]; then
  packaging/build-deps.sh
fi
if [ ! -d build ]; then meson setup build >/dev/null; fi
meson compile -C build >/dev/null

echo "== vigil check-config on the seed tutorial's files (node1.example.com)"
seed=$(mktemp -d)
trap 'rm -rf "$seed"' EXIT
cp packaging/examples/seed/ha.cf packaging/examples/seed/haresources \
   packaging/examples/seed/authkeys "$seed/"
chmod 600 "$seed/authkeys"   # git keeps no file modes but the executable bit
build/vigilctl/vigilctl check-config --config-dir "$seed" --node-name node1.example.com

echo
echo "== a live two-node cluster: node1 and node2 in network namespaces"
VIGIL_BUILD_DIR="$PWD/build" /usr/bin/python3 tests/integration/demo.py
