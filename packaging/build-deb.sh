#!/bin/bash
# Builds vigil's .deb from this source tree with dpkg-buildpackage, the
# version taken from the meson project (the one place it is written).
#   packaging/build-deb.sh [--from-build BUILDDIR] [OUTDIR]
# (default OUTDIR: the current directory). DEB_BUILD_OPTIONS passes through
# (nocheck skips the unit tests and builds only what is installed).
# --from-build packages a build that is already compiled (configured by
# packaging/setup-package-build.sh, as CI does) instead of compiling again.
# Prints the path of the .deb on its last line. The tree is copied into a
# scratch directory, with packaging/debian as debian/, so the checkout is
# never written to.
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

scratch=$(mktemp -d /var/tmp/vigil-pkg-deb.XXXXXX)
trap 'rm -rf --one-file-system "$scratch"' EXIT
tree="$scratch/vigil-$version"
mkdir "$tree"
# Everything but VCS data and build directories (build, build-*, obj-*).
tar -C "$src" --exclude-vcs --exclude='./build' --exclude='./build-*' \
    --exclude='./obj-*' --exclude='./debian' -cf - . | tar -C "$tree" -xf -
cp -a "$src/packaging/debian" "$tree/debian"
if [ -n "$from_build" ]; then
  "$src/packaging/install-build-tree.sh" "$from_build" "$scratch/installed"
  # debian/rules packages this tree instead of building (see there).
  export VIGIL_INSTALLED_TREE="$scratch/installed"
fi

cat > "$tree/debian/changelog" <<CHANGELOG
vigil ($version) unstable; urgency=medium

  * Release $version (version from meson.build).

 -- vigil developers <vigil-devel@lists.example.org>  $(date -R)
CHANGELOG

(cd "$tree" && dpkg-buildpackage -us -uc -b) >"$scratch/build.log" 2>&1 || {
  tail -60 "$scratch/build.log" >&2
  echo "build-deb.sh: dpkg-buildpackage failed" >&2
  exit 1
}
deb=$(ls "$scratch"/vigil_"$version"_*.deb)
cp "$deb" "$outdir/"
echo "$outdir/$(basename "$deb")"
