#!/usr/bin/env bash
# Builds a training set for `impasto train --dataset DIR/photos` from package registries:
# Debian's desktop-background packages and scikit-image's sample photos.
#
#   scripts/training-photos.sh DIR
#
# Writes DIR/photos/ (JPEG and PNG; WebP and SVG converted to PNG), DIR/MANIFEST.tsv (one row per
# photo: file, size, source package, version, path in the package, licence) and DIR/licences/
# (each package's copyright file, which the manifest's licences come from). Only the largest
# version of each distinct picture is kept: KDE-style wallpapers (NAME/contents/images/WxH.ext)
# are one picture per NAME (and its images_dark), others one per file name without a WxH suffix;
# byte-identical files are kept once. Pictures whose shorter side is under 512 pixels, and
# raster files under 20 kB (flat fills such as GNOME's vnc-*.webp), are left out.
#
# scikit-image's astronaut, chelsea, coffee and rocket are left out: they are the held-out
# evaluation photos (../shared/images/content), which are never trained on.
#
# Needs apt-get (no root: packages are downloaded, not installed), dpkg-deb, python3 -m pip,
# unzip, sha256sum and libvips' command-line tools (vips, vipsheader; with SVG support).
set -euo pipefail

packages=(gnome-backgrounds mate-backgrounds plasma-workspace-wallpapers desktop-base ukui-wallpapers)
# scikit-image sample photos: file, then licence as its docstring (skimage/data/_fetchers.py) gives it.
skimage_photos=(
    "hubble_deep_field.jpg" "public domain (NASA, via HubbleSite)"
    "motorcycle_left.png" "not stated (Middlebury 2014 stereo datasets, Scharstein et al.)"
)
minimum_side=512
minimum_bytes=20000
svg_side=2048

if [[ $# -ne 1 || $1 == -* ]]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
for tool in apt-get dpkg-deb python3 unzip sha256sum vips vipsheader; do
    command -v "$tool" >/dev/null || { echo "Error: $tool is needed (see the top of $0)" >&2; exit 1; }
done
out=$1
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -rf "$out/photos" "$out/licences" "$out/MANIFEST.tsv"
mkdir -p "$out/photos" "$out/licences"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The licence DEP-5 copyright file $1 gives the installed path $2 (the last stanza whose Files
# pattern matches the path's end, with any WxH suffix removed, as the stanzas name the unscaled
# original), or a pointer to the file when it is not machine-readable.
licence_of() {
    local copyright=$1 path=$2 package=$3
    if ! grep -m1 -v '^[[:space:]]*$' "$copyright" | grep -q '^Format: .*copyright-format'; then
        echo "not machine-readable: see licences/$package.copyright"
        return
    fi
    local plain
    plain=$(sed -E 's/[_-][0-9]{3,5}x[0-9]{3,5}(\.[^.]*)$/\1/' <<<"$path")
    awk -v path="/$path" -v plain="/$plain" '
        function matches(p, pattern,   regex) {
            regex = pattern
            gsub(/[.+^$(){}|\[\]\\]/, "\\\\&", regex)
            gsub(/\*/, ".*", regex)
            gsub(/\?/, ".", regex)
            return p ~ ("/" regex "$")
        }
        /^Files:/ { inFiles = 1; hit = 0; sub(/^Files:[ \t]*/, "") }
        /^[A-Za-z-]+:/ && !/^Files:/ { inFiles = 0 }
        inFiles { for (i = 1; i <= NF; i++) if (matches(path, $i) || matches(plain, $i)) hit = 1 }
        /^License:/ && hit { sub(/^License:[ \t]*/, ""); licence = $0; hit = 0 }
        END { print (licence == "" ? "unknown" : licence) }
    ' "$copyright"
}

# The picture a file is a version of: its folder above contents/images*/WxH.ext (with -dark for
# images_dark), else its folder and name without a WxH suffix; folders below usr/share/(wallpapers|
# desktop-base|backgrounds), joined by -.
picture_of() {
    local path=$1
    if [[ $path =~ ^usr/share/[^/]+/(.+)/contents/images(_dark)?/[^/]+$ ]]; then
        echo "${BASH_REMATCH[1]//\//-}${BASH_REMATCH[2]:+-dark}"
    else
        local stem=${path%.*}
        sed -E 's/[_-]?[0-9]{3,5}x[0-9]{3,5}$//; s|^.*/backgrounds/||; s|/|-|g' <<<"$stem"
    fi
}

manifest="$out/MANIFEST.tsv"
printf 'file\twidth\theight\tpackage\tversion\tsource\tlicence\tcopyright\n' >"$manifest"
digests="$work/digests"
touch "$digests"

# Adds the candidate lines "pixels<TAB>width<TAB>height<TAB>picture<TAB>path" on stdin, the
# largest of each picture, from package $1 version $2 unpacked in $3.
add_largest() {
    local package=$1 version=$2 root=$3 copyright=$4
    sort -t $'\t' -k4,4 -k1,1nr | awk -F'\t' '!seen[$4]++' | while IFS=$'\t' read -r _ width height picture path; do
        local digest
        digest=$(sha256sum "$root/$path" | cut -d' ' -f1)
        grep -qx "$digest" "$digests" && continue
        echo "$digest" >>"$digests"
        local extension=${path##*.} name
        name="$package--$(tr -c 'A-Za-z0-9._+\n-' '_' <<<"$picture")"
        case ${extension,,} in
            jpg | jpeg | png) name+=".${extension,,}"; cp "$root/$path" "$out/photos/$name" ;;
            webp) name+=".png"; vips copy "$root/$path" "$out/photos/$name" ;;
            svg) name+=".png"; vips thumbnail "$root/$path" "$out/photos/$name" "$svg_side"
                 width=$(vipsheader -f width "$out/photos/$name"); height=$(vipsheader -f height "$out/photos/$name") ;;
        esac
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "photos/$name" "$width" "$height" "$package" "$version" "/$path" \
            "$(licence_of "$copyright" "$path" "$package")" "$(basename "$copyright")" >>"$manifest"
        echo "  $name (${width}×${height})" >&2
    done
}

echo "Downloading ${packages[*]} …" >&2
(cd "$work" && apt-get download "${packages[@]}" >/dev/null)
for package in "${packages[@]}"; do
    deb=$(ls "$work"/"${package}"_*.deb)
    version=$(dpkg-deb -f "$deb" Version)
    root="$work/$package"
    dpkg-deb -x "$deb" "$root"
    cp "$root/usr/share/doc/$package/copyright" "$out/licences/$package.copyright"
    echo "$package $version:" >&2
    (cd "$root" && find usr/share/backgrounds usr/share/wallpapers usr/share/desktop-base -type f \
        \( -path '*/backgrounds/*' -o -path '*/contents/images*/*' \) \
        \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' -o -iname '*.webp' -o -iname '*.svg' \) 2>/dev/null || true) |
    while read -r path; do
        width=$(vipsheader -f width "$root/$path" 2>/dev/null) || continue
        height=$(vipsheader -f height "$root/$path" 2>/dev/null) || continue
        if [[ ${path,,} == *.svg ]]; then
            # Rendered with the longer side $svg_side; the declared size only ranks the versions.
            (( width > height )) && shorter=$(( svg_side * height / width )) || shorter=$(( svg_side * width / height ))
        else
            (( $(stat -c %s "$root/$path") >= minimum_bytes )) || continue
            shorter=$(( width < height ? width : height ))
        fi
        (( shorter >= minimum_side )) || continue
        printf '%s\t%s\t%s\t%s\t%s\n' "$(( width * height ))" "$width" "$height" "$(picture_of "$path")" "$path"
    done | add_largest "$package" "$version" "$root" "$out/licences/$package.copyright"
done

echo "Downloading scikit-image (its sample photos) …" >&2
python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$work/pip" scikit-image
wheel=$(ls "$work"/pip/scikit_image-*.whl)
version=$(basename "$wheel" | cut -d- -f2)
unzip -q "$wheel" 'skimage/data/*' '*.dist-info/LICENSE*' -d "$work/skimage"
cp "$work"/skimage/*.dist-info/LICENSE* "$out/licences/scikit-image.copyright"
echo "scikit-image $version:" >&2
for (( i = 0; i < ${#skimage_photos[@]}; i += 2 )); do
    file=${skimage_photos[i]}
    source="$work/skimage/skimage/data/$file"
    cp "$source" "$out/photos/scikit-image--$file"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "photos/scikit-image--$file" "$(vipsheader -f width "$source")" \
        "$(vipsheader -f height "$source")" scikit-image "$version" "skimage/data/$file" "${skimage_photos[i + 1]}" \
        "scikit-image.copyright" >>"$manifest"
    echo "  scikit-image--$file" >&2
done

echo "Wrote $(( $(wc -l <"$manifest") - 1 )) photos to $out/photos and their sources to $manifest" >&2
