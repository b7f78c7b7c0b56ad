#ifndef IMPASTO_VIPS_H
#define IMPASTO_VIPS_H

#include <stddef.h>

/// Starts libvips once per process, safely from any number of threads. Returns 0 on success.
int impasto_vips_start(void);

/// The calling thread's last libvips error as one line (owned by the shim; valid until that
/// thread's next call).
const char *impasto_vips_last_error(void);

/// impasto_vips_load_rgb's result when the file is not in a format libvips knows; other
/// failures (truncated or corrupt data) return -1.
#define IMPASTO_VIPS_NOT_AN_IMAGE (-2)

/// Decodes `path` to interleaved 8-bit sRGB: EXIF orientation applied, an embedded colour
/// profile converted to sRGB, grey/CMYK/16-bit converted, alpha flattened onto white, and
/// shrunk (never enlarged) to `width` × `height` when those are smaller than the source
/// (pass 0 to keep the size). Truncated files fail. On success `*pixels` must be released
/// with impasto_vips_free.
int impasto_vips_load_rgb(const char *path, int width, int height,
                          unsigned char **pixels, int *out_width, int *out_height);

/// Reads only the header: the size after EXIF orientation. Returns 0 on success.
int impasto_vips_probe(const char *path, int *width, int *height);

/// Resizes interleaved 8-bit RGB to exactly `width` × `height` with a Lanczos-3 kernel.
int impasto_vips_resize_rgb(const unsigned char *pixels, int width, int height,
                            int new_width, int new_height, unsigned char **resized);

/// Encodes interleaved 8-bit RGB to `path`; the format comes from the extension
/// (.jpg/.jpeg, .png, .webp, .tif/.tiff). `quality` applies to JPEG and WebP.
int impasto_vips_save_rgb(const unsigned char *pixels, int width, int height,
                          const char *path, int quality);

/// Encodes interleaved 8-bit RGB in memory as `format` ("jpeg" or "png"; `quality` applies to
/// JPEG). On success `*encoded` holds `*length` bytes, released with impasto_vips_free.
int impasto_vips_encode_rgb(const unsigned char *pixels, int width, int height, const char *format, int quality,
                            void **encoded, size_t *length);

void impasto_vips_free(void *pointer);

#endif
