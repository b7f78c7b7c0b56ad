#!/usr/bin/env bash
# The README's studio screenshots and the measured live frames/s: the browser test run with the
# release build, a real photo and painting from ../shared/images, and a camera clip panning over
# a photo. Writes docs/images/studio-running.jpg, docs/images/studio-live.jpg and the report
# (frames/s) to out/studio-report.json.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=$(cd ../shared/images && pwd)
swift build -c release --product impasto
mkdir -p out/studio-shots docs/images
clip=out/studio-shots/camera.y4m
ffmpeg -loglevel error -y -loop 1 -i "$shared/content/coffee-cup.png" \
    -vf "scale=960:-2,crop=640:480:'(in_w-640)*(0.5+0.5*sin(t))':'(in_h-480)/2',format=yuv420p" \
    -t 6 -r 30 "$clip"
IMPASTO_BIN=.build/release/impasto scripts/browser-test.sh --screenshots out/studio-shots \
    --report out/studio-report.json --photo "$shared/content/chelsea-cat.png" \
    --painting "$shared/style/starry-night.jpg" --size 384 --steps 60 --shot-at-step 12 \
    --camera-clip "$clip" --live-seconds 10 "$@"
vips copy out/studio-shots/studio-running.png docs/images/studio-running.jpg[Q=85,strip]
vips copy out/studio-shots/studio-live-640x480.png docs/images/studio-live.jpg[Q=85,strip]
