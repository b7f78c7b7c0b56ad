#!/usr/bin/env bash
# The studio's browser test (Tests/Browser/studio_browser_test.py), run by `make test` after the
# Swift suite: installs Debian's chromium and chromium-driver and Selenium from PyPI when missing.
# IMPASTO_BIN picks the binary (default: the debug build `make test` made); extra arguments go
# to the test (for example --screenshots DIR --report FILE --min-fps 25).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh chromium chromium-driver
python3 -c "import selenium" 2>/dev/null || python3 -m pip install -q "selenium>=4.20"

exec python3 Tests/Browser/studio_browser_test.py --impasto "${IMPASTO_BIN:-.build/debug/impasto}" "$@"
