#!/bin/bash
# Installs, from Debian 12's archive, everything vigil needs to build and to
# run all of its tests. Idempotent; run as root.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

build_deps=(
  g++ meson ninja-build pkg-config
  libevent-dev libsodium-dev libfmt-dev catch2 nettle-dev
  libnl-3-dev libnl-route-3-dev libsystemd-dev libcap-dev nlohmann-json3-dev
)
test_deps=(
  python3 python3-pytest iproute2 nftables tcpdump procps psmisc curl
)

apt-get update -qq
apt-get install -y -qq --no-install-recommends "${build_deps[@]}" "${test_deps[@]}" >/dev/null
