#!/bin/bash
# Builds vigil's .rpm from this source tree with rpmbuild -bb, the version
# taken from the meson project (the one place it is written).
#   packaging/build-rpm.sh [--from-build BUILDDIR] [OUTDIR]
# (default OUTDIR: the current directory). --from-build packages a build
# that is already compiled (configured by packaging/setup-package-build.sh,
# as CI does) instead of compiling again.
# --nodeps skips only the BuildRequires check, so that the spec also builds
# on Debian (whose rpm database is empty); the build itself uses the
# installed -dev packages. Prints the path of the .rpm on its last line.
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
from_build=
if [ "${1:-}" = --from-build ]; then
  from_build=$(cd "${2:?--from-build needs a build directory}" && pwd)
  shift 2
fi
outdir=$(mkdir -p "${1:-.}" && cd "${1:-.}" && pwd)
version=$(meson introspect --projectinfo "$src/meson.build" |
          python3 -c 'import json, sys; print(json.load(sys.stdin)["version"])')

scratch=$(mktemp -d /var/tmp/vigil-pkg-rpm.XXXXXX)
trap 'rm -rf --one-file-system "$scratch"' EXIT
mkdir -p "$scratch"/{BUILD,BUILDROOT,RPMS,SOURCES,SPECS,SRPMS}
tar -C "$src" --exclude-vcs --exclude='./build' --exclude='./build-*' \
    --exclude='./obj-*' --exclude='./debian' \
    --transform="s,^\.,vigil-$version," -czf "$scratch/SOURCES/vigil-$version.tar.gz" .

prebuilt=()
if [ -n "$from_build" ]; then
  "$src/packaging/install-build-tree.sh" "$from_build" "$scratch/installed"
  prebuilt=(--define "vigil_installed_tree $scratch/installed")
fi

rpmbuild -bb --nodeps "${prebuilt[@]}" \
    --define "_topdir $scratch" \
    --define "vigil_version $version" \
    --define "_smp_mflags -j${VIGIL_BUILD_JOBS:-2}" \
    "$src/packaging/rpm/vigil.spec" >"$scratch/build.log" 2>&1 || {
  tail -60 "$scratch/build.log" >&2
  echo "build-rpm.sh: rpmbuild failed" >&2
  exit 1
}
rpm=$(ls "$scratch"/RPMS/*/vigil-"$version"-1*.rpm)
cp "$rpm" "$outdir/"
echo "$outdir/$(basename "$rpm")"
