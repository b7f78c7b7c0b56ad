#!/usr/bin/env bash
# Writes the small image fixtures the image I/O tests read, with the libvips command-line tools
# (Debian libvips-tools) and Python for one hand-made EXIF block. Run from the repository root.
set -euo pipefail
out=Tests/ImpastoImageTests/Fixtures
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A 12×8 gradient with a saturated red corner: the reference every fixture starts from.
python3 - "$work/base.ppm" <<'PY'
import sys
w, h = 12, 8
rows = []
for y in range(h):
    for x in range(w):
        rows.append((255, 0, 0) if x < 3 and y < 3 else (x * 20, y * 30, 128))
with open(sys.argv[1], "wb") as f:
    f.write(b"P6\n%d %d\n255\n" % (w, h) + bytes(v for p in rows for v in p))
PY
vips copy "$work/base.ppm" "$out/base.png"
vips colourspace "$out/base.png" "$out/grey.png" b-w
vips colourspace "$out/base.png" "$out/rgb16.png" rgb16
vips bandjoin_const "$out/base.png" "$out/rgba-transparent.png" 0
vips icc_transform "$out/base.png" "$work/cmyk.v" cmyk
vips copy "$work/cmyk.v" "$out/cmyk.jpg[Q=100,strip]"
vips icc_transform "$out/base.png" "$work/p3.v" p3
vips copy "$work/p3.v" "$out/display-p3.jpg[Q=100]"
vips copy "$out/base.png" "$work/base.jpg[Q=100]"
vips rot "$out/base.png" "$work/rotated.png" d270
vips copy "$work/rotated.png" "$work/rotated.jpg[Q=100]"
# EXIF orientation 6 ("rotate 90° clockwise to display") on the 8×12 image stored rotated back.
python3 - "$work/rotated.jpg" "$out/exif-orientation-6.jpg" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
tiff = b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", 1) + struct.pack(">HHIHH", 0x0112, 3, 1, 6, 0) + struct.pack(">I", 0)
app1 = b"Exif\x00\x00" + tiff
segment = b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1
open(sys.argv[2], "wb").write(data[:2] + segment + data[2:])
PY
vips resize "$out/base.png" "$work/big.png" 8 --kernel nearest
vips copy "$work/big.png" "$work/big.jpg[Q=95]"
# The first two thirds of a valid JPEG: the header reads, the pixels do not.
head -c $(( $(stat -c %s "$work/big.jpg") * 2 / 3 )) "$work/big.jpg" > "$out/truncated.jpg"
printf 'this is not an image\n' > "$out/not-an-image.png"
