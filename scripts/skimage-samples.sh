#!/usr/bin/env bash
# Copies sample images out of scikit-image 0.26.0's PyPI wheel (its skimage/data folder) into
# DEST: the NAMEs given, or every PNG and JPEG when none are. Used by demo.sh and
# train-demo-model.sh; needs only pip and the package registry.
set -euo pipefail
dest=$1
shift
mkdir -p "$dest"
wheel_dir=$(mktemp -d)
trap 'rm -rf "$wheel_dir"' EXIT
python3 -m pip download --no-deps --only-binary :all: --disable-pip-version-check -q -d "$wheel_dir" scikit-image==0.26.0
python3 - "$wheel_dir" "$dest" "$@" <<'PY'
import glob, sys, zipfile
wheel = zipfile.ZipFile(glob.glob(sys.argv[1] + "/*.whl")[0])
wanted = set(sys.argv[3:])
for name in wheel.namelist():
    base = name.split("/")[-1]
    if name.startswith("skimage/data/") and name.endswith((".png", ".jpg")) and (not wanted or base in wanted):
        open(f"{sys.argv[2]}/{base}", "wb").write(wheel.read(name))
PY
