#!/usr/bin/env bash
# Trains the README's demonstration fast-style model: scikit-image's sample photographs
# (from its PyPI wheel) cut into overlapping square crops, in the style of The Starry Night
# from ../shared/images/style, then applies it to the photos in ../shared/images/content.
# ITERATIONS (default 1500) and IMAGE_SIZE (default 128) trade quality for time.
set -euo pipefail
cd "$(dirname "$0")/.."
impasto=.build/release/impasto
shared=${IMPASTO_SHARED:-../shared}
work=out/train-demo
mkdir -p "$work/photos" docs/images

if [ -z "$(ls -A "$work/photos")" ]; then
    echo "Cutting training crops from scikit-image 0.26.0's sample photographs …"
    scripts/skimage-samples.sh "$work/photos"
    # Keep colour photographs at least 256 pixels on the shorter side, then cut each into crops
    # at two scales (whole-height squares sliding across, and half-height squares on a grid).
    for photo in "$work/photos"/*; do
        bands=$(vipsheader -f bands "$photo"); width=$(vipsheader -f width "$photo"); height=$(vipsheader -f height "$photo")
        short=$(( width < height ? width : height ))
        if [ "$bands" -lt 3 ] || [ "$short" -lt 256 ]; then rm "$photo"; continue; fi
        base=$(basename "${photo%.*}")
        for size in "$short" $(( short / 2 )); do
            for x in 0 $(( (width - size) / 2 )) $(( width - size )); do
                for y in 0 $(( (height - size) / 2 )) $(( height - size )); do
                    vips crop "$photo" "$work/photos/$base-$size-$x-$y.png" "$x" "$y" "$size" "$size"
                done
            done
        done
        rm "$photo"
    done
fi
echo "$(ls "$work/photos" | wc -l) training crops"

start=$(date +%s)
"$impasto" train "$shared/images/style/starry-night.jpg" --dataset "$work/photos" -o "$work/starry-night.safetensors" \
    --image-size "${IMAGE_SIZE:-128}" --style-size 256 --iterations "${ITERATIONS:-1500}" --checkpoint-every 100 --seed 1 "$@"
echo "Training took $(( $(date +%s) - start )) s"

for photo in tubingen-neckarfront.jpg chelsea-cat.png astronaut-eileen-collins.png; do
    "$impasto" apply "$work/starry-night.safetensors" "$shared/images/content/$photo" --max-dim 512 \
        --quality 85 -o "docs/images/fast-${photo%.*}.jpg"
done
