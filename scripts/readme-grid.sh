#!/usr/bin/env bash
# Makes the README's picture grid with Impasto itself: two photos from ../shared/images/content
# in the style of three paintings from ../shared/images/style, plus the colour-preserving
# variant of the first painting. L-BFGS, 150 iterations at 384 pixels, fixed seed.
set -euo pipefail
cd "$(dirname "$0")/.."
impasto=.build/release/impasto
shared=${IMPASTO_SHARED:-../shared}
out=docs/images
mkdir -p "$out"

run() { # content style name extra-flags…
    local content=$1 style=$2 name=$3
    shift 3
    "$impasto" stylize "$shared/images/content/$content" "$shared/images/style/$style" -o "$out/$name.jpg" \
        --optimizer lbfgs --epochs 1 --steps-per-epoch 150 --max-dim 384 --seed 1 --quality 88 --quiet "$@"
    rm -f "$out/$name.jpg.json"
}

for content in tubingen-neckarfront chelsea-cat; do
    ext=png; [ -f "$shared/images/content/$content.jpg" ] && ext=jpg
    vips thumbnail "$shared/images/content/$content.$ext" "$out/$content.jpg[Q=88]" 384
    for style in starry-night great-wave composition-vii; do
        run "$content.$ext" "$style.jpg" "$content-$style"
    done
    run "$content.$ext" starry-night.jpg "$content-starry-night-luminance" --preserve-colors luminance
done
for style in starry-night great-wave composition-vii; do
    vips thumbnail "$shared/images/style/$style.jpg" "$out/$style.jpg[Q=88]" 384
done
