#ifndef IMPASTO_VIPS_H
#define IMPASTO_VIPS_H

#include <stddef.h>

/// Starts libvips once per process, safely from any number of threads. Returns 0 on success.
int impasto_vips_start(void);

/// The calling thread's last libvips error as one line (owned by the shim; valid until that
/// thread's next call).
const char *impasto_vips_last_error(void);

/// impasto_vips_probe's and impasto_vips_load's result when the file's first bytes are not those
/// of a format libvips reads; other failures (truncated or corrupt data) return -1.
#define IMPASTO_VIPS_NOT_AN_IMAGE (-2)

/// Decodes the first frame of `path` to interleaved 8-bit sRGB: EXIF orientation applied, an
/// embedded colour profile converted to sRGB, grey/CMYK/16-bit converted, alpha flattened onto
/// white, and shrunk (never enlarged) to `width` × `height` when those are smaller than the source
/// (pass 0 to keep the size). With `keep_alpha` set, a file with alpha gives 4 bands: the
/// flattened colour, then the alpha. A JPEG that shrinks by 4× or more is decoded at a reduced
/// size first (at most half the shrink), the rest done by Lanczos-3. Truncated files fail.
/// On success `*pixels` holds `*out_width` × `*out_height` × `*out_bands` bytes, released with
/// impasto_vips_free.
int impasto_vips_load(const char *path, int width, int height, int keep_alpha,
                      unsigned char **pixels, int *out_width, int *out_height, int *out_bands);

/// The JPEG shrink-on-load factor impasto_vips_load uses (1, 2, 4 or 8) for a source of
/// `width` × `height` bound for `target_width` × `target_height` (0: its own size).
int impasto_vips_jpeg_shrink(int width, int height, int target_width, int target_height);

/// Reads only the header: the size after EXIF orientation and the number of frames (pages).
/// Returns 0 on success, IMPASTO_VIPS_NOT_AN_IMAGE or -1 as impasto_vips_load does.
int impasto_vips_probe(const char *path, int *width, int *height, int *frames);

/// Resizes interleaved 8-bit pixels of `bands` bands to exactly `width` × `height` with a
/// Lanczos-3 kernel.
int impasto_vips_resize(const unsigned char *pixels, int width, int height, int bands,
                        int new_width, int new_height, unsigned char **resized);

/// Encodes interleaved 8-bit sRGB (3 bands) or sRGB and alpha (4 bands) to `path`; the format
/// comes from the extension (.jpg/.jpeg, .png, .webp, .tif/.tiff). `quality` applies to JPEG
/// and WebP.
int impasto_vips_save(const unsigned char *pixels, int width, int height, int bands,
                      const char *path, int quality);

/// Encodes interleaved 8-bit RGB in memory as `format` ("jpeg" or "png"; `quality` applies to
/// JPEG). On success `*encoded` holds `*length` bytes, released with impasto_vips_free.
int impasto_vips_encode_rgb(const unsigned char *pixels, int width, int height, const char *format, int quality,
                            void **encoded, size_t *length);

void impasto_vips_free(void *pointer);

#endif
