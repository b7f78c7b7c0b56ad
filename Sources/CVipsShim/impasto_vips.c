#include "impasto_vips.h"

#include <ctype.h>
#include <pthread.h>
#include <string.h>
#include <vips/vips.h>

// Per thread: each thread reads the message of the call it just made, and tests run in parallel.
static _Thread_local char last_error[1024];

static int fail(void) {
    const char *message = vips_error_buffer();
    size_t length = 0;
    // Keep the first line only: libvips stacks one line per failed operation.
    while (message[length] && message[length] != '\n' && length + 1 < sizeof last_error) length++;
    memcpy(last_error, message, length);
    last_error[length] = '\0';
    // Some loaders fail without a message (libpng on a header cut short).
    if (length == 0) strcpy(last_error, "the data ends early or is corrupt");
    vips_error_clear();
    return -1;
}

const char *impasto_vips_last_error(void) { return last_error; }

static pthread_once_t start_once = PTHREAD_ONCE_INIT;
static char start_error[sizeof last_error];
static int start_status = 0;

static void start_library(void) {
    // Impasto reports every failure itself, in one line; libvips' own warnings would repeat it.
    g_setenv("VIPS_WARNING", "0", FALSE);
    if (VIPS_INIT("impasto")) {
        start_status = fail();
        memcpy(start_error, last_error, sizeof start_error);
        return;
    }
    // One worker per pipeline. With several, a truncated JPEG decoded while other images load
    // sometimes succeeds (libvips 8.14): one worker's load fails, another reads the half-decoded
    // pixels, and the failure is lost (up to 1 load in 5 with three threads loading). Decoding
    // is one thread anyway; the resize after it took 10 % longer on a 6000×4000 JPEG.
    vips_concurrency_set(1);
}

// Once per process, whichever thread comes first: two threads starting libvips together let one
// look up file loaders before the other had registered them (a crash in parallel tests).
int impasto_vips_start(void) {
    pthread_once(&start_once, start_library);
    if (start_status) memcpy(last_error, start_error, sizeof last_error);
    return start_status;
}

/// Runs one libvips operation that writes `next` from `image`, then makes `next` the image;
/// on failure releases the image and returns the error from the enclosing function.
#define STEP(call)                                     \
    do {                                               \
        VipsImage *next = NULL;                        \
        int status = (call);                           \
        if (status || !next) {                         \
            g_object_unref(image);                     \
            return fail();                             \
        }                                              \
        g_object_unref(image);                         \
        image = next;                                  \
    } while (0)

/// A file libvips could not open: damaged (-1) when its first bytes name a format libvips reads
/// (a cut or corrupt photo), IMPASTO_VIPS_NOT_AN_IMAGE otherwise. Keeps the open's message.
static int unopened(const char *path) {
    fail();
    const char *loader = vips_foreign_find_load(path);
    vips_error_clear();
    return loader ? -1 : IMPASTO_VIPS_NOT_AN_IMAGE;
}

int impasto_vips_probe(const char *path, int *width, int *height, int *frames) {
    VipsImage *image = vips_image_new_from_file(path, NULL);
    if (!image) return unopened(path);
    *frames = vips_image_get_n_pages(image);
    VipsImage *rotated = NULL;
    int status = vips_autorot(image, &rotated, NULL);
    g_object_unref(image);
    if (status) return fail();
    *width = vips_image_get_width(rotated);
    *height = vips_image_get_height(rotated);
    g_object_unref(rotated);
    return 0;
}

// At most half the whole shrink, so that Lanczos-3 still does at least 2× of it, as vips_thumbnail
// decides. The ratio pairs long with long and short with short, so EXIF rotation cannot change it.
int impasto_vips_jpeg_shrink(int width, int height, int target_width, int target_height) {
    if (target_width <= 0 || target_height <= 0) return 1;
    int source_long = width > height ? width : height, source_short = width > height ? height : width;
    int target_long = target_width > target_height ? target_width : target_height;
    int target_short = target_width > target_height ? target_height : target_width;
    double longer = (double)source_long / target_long, shorter = (double)source_short / target_short;
    double whole = longer < shorter ? longer : shorter;
    int shrink = 8;
    while (shrink > 1 && 2.0 * shrink > whole) shrink /= 2;
    return shrink;
}

/// Opens the first frame of `path` for decoding, failing on truncated data. A JPEG bound for a
/// much smaller size is opened at a reduced size: its decoder skips most of the work and memory.
static VipsImage *open_for_size(const char *path, int width, int height) {
    VipsImage *image = vips_image_new_from_file(path, "access", VIPS_ACCESS_RANDOM,
                                                "fail_on", VIPS_FAIL_ON_TRUNCATED, NULL);
    if (!image) return NULL;
    const char *loader = NULL;
    if (vips_image_get_typeof(image, VIPS_META_LOADER) && !vips_image_get_string(image, VIPS_META_LOADER, &loader)
        && strcmp(loader, "jpegload") == 0) {
        int shrink = impasto_vips_jpeg_shrink(vips_image_get_width(image), vips_image_get_height(image), width, height);
        if (shrink > 1) {
            VipsImage *shrunk = vips_image_new_from_file(path, "access", VIPS_ACCESS_RANDOM,
                                                         "fail_on", VIPS_FAIL_ON_TRUNCATED, "shrink", shrink, NULL);
            // The full-size image is as correct, only slower: keep it if the reduced open fails.
            if (shrunk) {
                g_object_unref(image);
                image = shrunk;
            } else {
                vips_error_clear();
            }
        }
    }
    return image;
}

/// `image` as 8-bit sRGB at `width` × `height` (0: its own size, never enlarged): 3 bands, or 4
/// with the alpha last when `keep_alpha` is set and it has one. Intermediate images belong to
/// `context`; NULL on failure.
static VipsImage *decoded(VipsObject *context, VipsImage *image, int keep_alpha, int width, int height) {
    VipsImage **t = (VipsImage **)vips_object_local_array(context, 9);
    if (vips_autorot(image, &t[0], NULL)) return NULL;
    image = t[0];
    if (vips_image_get_typeof(image, VIPS_META_ICC_NAME)) {
        // An embedded profile wins over the interpretation tag; relative intent, as browsers do.
        if (vips_icc_transform(image, &t[1], "srgb", "embedded", TRUE, "intent", VIPS_INTENT_RELATIVE, "depth", 8,
                               NULL)) return NULL;
        image = t[1];
    }
    if (vips_colourspace(image, &t[2], VIPS_INTERPRETATION_sRGB, NULL)) return NULL;
    image = t[2];
    VipsImage *alpha = NULL;
    if (vips_image_hasalpha(image)) {
        if (keep_alpha) {
            if (vips_extract_band(image, &t[3], vips_image_get_bands(image) - 1, NULL)) return NULL;
            alpha = t[3];
        }
        // The colour is flattened either way: transparent pixels hold arbitrary colours that the
        // network would see and smear into the visible edges.
        VipsArrayDouble *white = vips_array_double_newv(3, 255.0, 255.0, 255.0);
        int status = vips_flatten(image, &t[4], "background", white, NULL);
        vips_area_unref(VIPS_AREA(white));
        if (status) return NULL;
        image = t[4];
    }
    if (vips_image_get_bands(image) > 3) {
        if (vips_extract_band(image, &t[5], 0, "n", 3, NULL)) return NULL;
        image = t[5];
    }
    if (alpha) {
        if (vips_bandjoin2(image, alpha, &t[6], NULL)) return NULL;
        image = t[6];
    }
    if (vips_cast_uchar(image, &t[7], NULL)) return NULL;
    image = t[7];
    int source_width = vips_image_get_width(image), source_height = vips_image_get_height(image);
    if (width > 0 && height > 0 && (width < source_width || height < source_height)) {
        if (vips_resize(image, &t[8], (double)width / source_width, "vscale", (double)height / source_height,
                        "kernel", VIPS_KERNEL_LANCZOS3, NULL)) return NULL;
        image = t[8];
    }
    return image;
}

int impasto_vips_load(const char *path, int width, int height, int keep_alpha,
                      unsigned char **pixels, int *out_width, int *out_height, int *out_bands) {
    VipsImage *image = open_for_size(path, width, height);
    if (!image) return unopened(path);
    VipsObject *context = VIPS_OBJECT(vips_image_new());
    VipsImage *result = decoded(context, image, keep_alpha, width, height);
    size_t size = 0;
    *pixels = result ? vips_image_write_to_memory(result, &size) : NULL;
    if (result) {
        *out_width = vips_image_get_width(result);
        *out_height = vips_image_get_height(result);
        *out_bands = vips_image_get_bands(result);
    }
    g_object_unref(context);
    g_object_unref(image);
    if (!*pixels) return fail();   // decoding happens here: truncated and corrupt data fail now
    if (size != (size_t)(*out_width) * (*out_height) * (*out_bands) || (*out_bands != 3 && *out_bands != 4)) {
        g_free(*pixels);
        *pixels = NULL;
        strcpy(last_error, "decoded image is not 8-bit RGB");
        return -1;
    }
    return 0;
}

int impasto_vips_resize(const unsigned char *pixels, int width, int height, int bands,
                        int new_width, int new_height, unsigned char **resized) {
    VipsImage *image = vips_image_new_from_memory_copy(pixels, (size_t)width * height * bands, width, height, bands,
                                                       VIPS_FORMAT_UCHAR);
    if (!image) return fail();
    STEP(vips_resize(image, &next, (double)new_width / width, "vscale", (double)new_height / height,
                     "kernel", VIPS_KERNEL_LANCZOS3, NULL));
    size_t size = 0;
    *resized = vips_image_write_to_memory(image, &size);
    int exact = vips_image_get_width(image) == new_width && vips_image_get_height(image) == new_height;
    g_object_unref(image);
    if (!*resized) return fail();
    if (!exact) {
        g_free(*resized);
        *resized = NULL;
        strcpy(last_error, "resize produced an unexpected size");
        return -1;
    }
    return 0;
}

static int has_extension(const char *path, const char *extension) {
    const char *dot = strrchr(path, '.');
    if (!dot) return 0;
    for (dot++; *dot && *extension; dot++, extension++) {
        if (tolower((unsigned char)*dot) != *extension) return 0;
    }
    return *dot == '\0' && *extension == '\0';
}

int impasto_vips_save(const unsigned char *pixels, int width, int height, int bands, const char *path,
                      int quality) {
    VipsImage *image = vips_image_new_from_memory_copy(pixels, (size_t)width * height * bands, width, height, bands,
                                                       VIPS_FORMAT_UCHAR);
    if (!image) return fail();
    image->Type = VIPS_INTERPRETATION_sRGB;
    int status;
    if (has_extension(path, "jpg") || has_extension(path, "jpeg")) {
        status = vips_jpegsave(image, path, "Q", quality, NULL);
    } else if (has_extension(path, "png")) {
        status = vips_pngsave(image, path, NULL);
    } else if (has_extension(path, "webp")) {
        status = vips_webpsave(image, path, "Q", quality, NULL);
    } else if (has_extension(path, "tif") || has_extension(path, "tiff")) {
        status = vips_tiffsave(image, path, NULL);
    } else {
        g_object_unref(image);
        strcpy(last_error, "unknown output format; use .jpg, .png, .webp or .tif");
        return -1;
    }
    g_object_unref(image);
    return status ? fail() : 0;
}

int impasto_vips_encode_rgb(const unsigned char *pixels, int width, int height, const char *format, int quality,
                            void **encoded, size_t *length) {
    VipsImage *image = vips_image_new_from_memory_copy(pixels, (size_t)width * height * 3, width, height, 3,
                                                       VIPS_FORMAT_UCHAR);
    if (!image) return fail();
    image->Type = VIPS_INTERPRETATION_sRGB;
    int status;
    if (strcmp(format, "jpeg") == 0) {
        status = vips_jpegsave_buffer(image, encoded, length, "Q", quality, NULL);
    } else if (strcmp(format, "png") == 0) {
        status = vips_pngsave_buffer(image, encoded, length, NULL);
    } else {
        g_object_unref(image);
        strcpy(last_error, "unknown in-memory format; use jpeg or png");
        return -1;
    }
    g_object_unref(image);
    return status ? fail() : 0;
}

void impasto_vips_free(void *pointer) { g_free(pointer); }
