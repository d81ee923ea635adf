#!/bin/bash
# Installs, from Debian 12's archive, everything vigil needs to build and to
# run all of its tests. Idempotent; run as root.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

build_deps=(
  g++ meson ninja-build pkg-config
  libevent-dev libsodium-dev libfmt-dev catch2 nettle-dev
  libnl-3-dev libnl-route-3-dev libsystemd-dev libcap-dev nlohmann-json3-dev
  libcpg-dev libquorum-dev libcmap-dev   # vigil.cf `membership corosync`
)
test_deps=(
  python3 python3-pytest iproute2 nftables tcpdump procps psmisc curl util-linux
  clang-14 libclang-rt-14-dev   # libFuzzer and its sanitizers (tests/fuzz)
  # A private bus and a fake systemd for resourced's D-Bus health checks
  # (tests/resourced/test_systemd_unit_state.cpp, fake_systemd1.py).
  dbus-daemon python3-dbus python3-gi
)
# Building and testing the packages: .deb, .rpm, lintian, unit checks, and
# a Debian 12 tree booted with systemd for the install test.
package_deps=(
  dpkg-dev debhelper fakeroot lintian rpm debootstrap systemd
)
# The real Linux-HA heartbeat 3.0.6 (the interoperability oracle) and
# Debian's OCF agents (resourced's real test subject). Neither may start a
# daemon on this machine: policy-rc.d keeps their postinst from doing so.
# resource-agents' Filesystem agent calls modprobe (kmod) and the shared
# storage scenario (tests/integration/test_shared_storage.py) makes its
# ext4 image with mkfs.ext4 (e2fsprogs).
oracle_deps=(
  heartbeat cluster-glue resource-agents kmod e2fsprogs
)
# Real corosync 3 for tests/integration/test_corosync.py (instances in
# namespaces only), and its quorum device and arbiter for the two-node +
# qnetd bench (tests/bench/corosync_qnetd.py): Debian's corosync.service,
# corosync-qdevice.service and corosync-qnetd.service must never run on
# this machine, so they are masked as well as kept from starting by
# policy-rc.d.
corosync_deps=(
  corosync corosync-qdevice corosync-qnetd
)
corosync_services=(corosync corosync-qdevice corosync-qnetd)

# Only for this install: removed again afterwards if we created it.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
# Masked before it is installed (a mask needs no unit file yet).
mkdir -p /etc/systemd/system
for service in "${corosync_services[@]}"; do
  systemctl mask "$service.service" >/dev/null 2>&1 ||
    ln -sf /dev/null "/etc/systemd/system/$service.service"
done
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  "${build_deps[@]}" "${test_deps[@]}" "${package_deps[@]}" "${oracle_deps[@]}" \
  "${corosync_deps[@]}" >/dev/null
