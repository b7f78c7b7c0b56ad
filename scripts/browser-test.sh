#!/usr/bin/env bash
# The studio's browser test (Tests/Browser/studio_browser_test.py), run by `make test` after the
# Swift suite: installs Debian's chromium and chromium-driver and Selenium from PyPI when missing.
# IMPASTO_BIN picks the binary (default: the debug build `make test` made); extra arguments go
# to the test (for example --screenshots DIR --report FILE --min-fps 25).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for package in chromium chromium-driver; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]} for the browser test …"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    log=$(mktemp)
    if ! { $sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"; } >"$log" 2>&1; then
        tail -n 20 "$log"
        echo "error: could not install ${missing[*]} with apt-get (see above)" >&2
        exit 1
    fi
    rm -f "$log"
fi
python3 -c "import selenium" 2>/dev/null || python3 -m pip install -q "selenium>=4.20"

exec python3 Tests/Browser/studio_browser_test.py --impasto "${IMPASTO_BIN:-.build/debug/impasto}" "$@"
