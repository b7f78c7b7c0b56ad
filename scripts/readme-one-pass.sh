#!/usr/bin/env bash
# Makes the README's one-pass pictures with Impasto itself: the contact sheet of the 26 built-in
# styles on a photo, and three photos from ../shared/images/content in the style of three
# paintings from ../shared/images/style through the arbitrary-style network, each beside the
# Gatys result for the same pair (L-BFGS, 150 iterations at 384 pixels, seed 1, as
# scripts/readme-grid.sh makes them). Prints the seconds each took; run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
impasto=.build/release/impasto
shared=${IMPASTO_SHARED:-../shared}
out=docs/images
mkdir -p "$out"

seconds() { # command…: runs it and prints its wall time in seconds
    local start end
    start=$(date +%s.%N)
    "$@"
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

photo() { # name: the photo's path (png or jpg)
    if [ -f "$shared/images/content/$1.jpg" ]; then echo "$shared/images/content/$1.jpg"; else echo "$shared/images/content/$1.png"; fi
}

"$impasto" styles "$(photo chelsea-cat)" -o "$out/styles-sheet.jpg" --tile 160 --quality 85 --quiet
for pair in coffee-cup:starry-night chelsea-cat:great-wave astronaut-eileen-collins:composition-vii; do
    content=${pair%%:*} style=${pair##*:}
    one_pass=$(seconds "$impasto" apply --style-image "$shared/images/style/$style.jpg" "$(photo "$content")" \
        -o "$out/arbitrary-$content-$style.jpg" --max-dim 384 --quality 88 --quiet)
    gatys=$(seconds "$impasto" stylize "$(photo "$content")" "$shared/images/style/$style.jpg" -o "$out/$content-$style.jpg" \
        --optimizer lbfgs --epochs 1 --steps-per-epoch 150 --max-dim 384 --seed 1 --quality 88 --quiet)
    rm -f "$out/arbitrary-$content-$style.jpg.json" "$out/$content-$style.jpg.json"
    printf '%s × %s: one pass %.1f s, Gatys %.1f s (whole commands, model loading included)\n' "$content" "$style" "$one_pass" "$gatys"
done
