#!/bin/bash
# Installs an already compiled meson build into DESTDIR (`meson install
# --no-rebuild --destdir`), for build-deb.sh / build-rpm.sh --from-build.
# Refuses a build whose layout is not the packages' (set up by
# packaging/setup-package-build.sh): its unit files would name the wrong
# paths.
#   packaging/install-build-tree.sh BUILDDIR DESTDIR
set -euo pipefail

build=${1:?usage: $0 BUILDDIR DESTDIR}
destdir=${2:?usage: $0 BUILDDIR DESTDIR}
meson introspect --buildoptions "$build" | python3 -c '
import json, sys
want = {"prefix": "/usr", "sysconfdir": "/etc", "localstatedir": "/var",
        "libexecdir": "libexec", "buildtype": "plain"}
have = {o["name"]: o["value"] for o in json.load(sys.stdin)}
wrong = ", ".join(f"{k}={have.get(k)!r} (want {v!r})"
                  for k, v in want.items() if have.get(k) != v)
if wrong:
    sys.exit(f"{sys.argv[1]}: not a package build ({wrong}); "
             "configure it with packaging/setup-package-build.sh")
' "$build"
meson install -C "$build" --no-rebuild --quiet --destdir "$destdir" >/dev/null
