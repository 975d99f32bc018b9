#!/usr/bin/env bash
# Installs, with apt, the Debian packages that Portico's builds and tests need and that are
# missing: GTK and WebKit headers (desktop build), Xvfb and ImageMagick (the desktop test's
# display and screenshot), xdotool and Python's GTK 3 bindings (the desktop drop test's
# pointer and drag source), Chromium (the browser tests) and pkg-config. Does nothing when
# all are there. Uses sudo only when not run as root.
set -euo pipefail

packages=(libgtk-3-dev libwebkit2gtk-4.0-dev xvfb imagemagick xdotool python3-gi
  gir1.2-gtk-3.0 pkg-config chromium)

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  if [ "$status" != "install ok installed" ]; then
    missing+=("$pkg")
  fi
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  as_root=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
