#!/bin/bash
# Configures a meson build directory the way the packages build vigil:
# Debian's hardening flags and -O2 from dpkg-buildflags (hardening=+all, as
# debian/rules sets it), buildtype plain, and the installed layout of both
# packages (/usr, /etc, /var, /usr/libexec). CI builds the product once this
# way, runs the integration suites on it, and packages that same build
# (build-deb.sh / build-rpm.sh --from-build DIR) instead of compiling it twice
# more inside dpkg-buildpackage and rpmbuild.
#   packaging/setup-package-build.sh DIR [MESON-SETUP-ARGS...]
set -euo pipefail

dir=${1:?usage: $0 DIR [MESON-SETUP-ARGS...]}
shift
eval "$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --export=sh)"
exec meson setup "$dir" --buildtype=plain --prefix=/usr --sysconfdir=/etc \
  --localstatedir=/var --libexecdir=libexec "$@"
