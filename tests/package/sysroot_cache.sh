#!/bin/bash
# Prints the path of a tarball holding a fresh Debian 12 tree (debootstrap
# minbase + systemd), building it on first use. The tarball is cached in
# /var/tmp/vigil-sysroot-cache under a hash of everything that shapes the
# tree (suite, variant, package list, mirror), so every run of the install
# test on one machine starts from the same pristine tree in seconds instead
# of a minute or more of debootstrap. Run as root.
set -euo pipefail

readonly suite=bookworm
readonly variant=minbase
# systemd as PID 1 needs systemd, systemd-sysv and dbus; iproute2 and procps
# let the test look at addresses and processes inside the booted system.
readonly include=systemd,systemd-sysv,dbus,iproute2,procps
readonly cache_dir=/var/tmp/vigil-sysroot-cache

mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}

key=$(printf '%s\n' "$suite" "$variant" "$include" "$mirror" | sha256sum | cut -c1-16)
tarball="$cache_dir/debian12-$key.tar"

if [[ ! -s "$tarball" ]]; then
  mkdir -p "$cache_dir"
  work=$(mktemp -d /var/tmp/vigil-sysroot-build.XXXXXX)
  trap 'rm -rf --one-file-system "$work"' EXIT
  debootstrap --variant="$variant" --include="$include" \
      "$suite" "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  # A machine-id is made at first boot; an empty file means "first boot".
  : > "$work/root/etc/machine-id"
  rm -rf "$work/root/var/cache/apt/archives/"*.deb
  tar -C "$work/root" --numeric-owner -cf "$tarball.part" .
  mv "$tarball.part" "$tarball"
fi
echo "$tarball"
