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
    }
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

int impasto_vips_probe(const char *path, int *width, int *height) {
    VipsImage *image = vips_image_new_from_file(path, NULL);
    if (!image) return fail();
    VipsImage *rotated = NULL;
    int status = vips_autorot(image, &rotated, NULL);
    g_object_unref(image);
    if (status) return fail();
    *width = vips_image_get_width(rotated);
    *height = vips_image_get_height(rotated);
    g_object_unref(rotated);
    return 0;
}

int impasto_vips_load_rgb(const char *path, int width, int height,
                          unsigned char **pixels, int *out_width, int *out_height) {
    VipsImage *image = vips_image_new_from_file(path, "access", VIPS_ACCESS_RANDOM,
                                                "fail_on", VIPS_FAIL_ON_TRUNCATED, NULL);
    if (!image) {
        fail();
        return IMPASTO_VIPS_NOT_AN_IMAGE;
    }
    STEP(vips_autorot(image, &next, NULL));
    if (vips_image_get_typeof(image, VIPS_META_ICC_NAME)) {
        // An embedded profile wins over the interpretation tag; relative intent, as browsers do.
        STEP(vips_icc_transform(image, &next, "srgb", "embedded", TRUE, "intent", VIPS_INTENT_RELATIVE,
                                "depth", 8, NULL));
    }
    STEP(vips_colourspace(image, &next, VIPS_INTERPRETATION_sRGB, NULL));
    if (vips_image_hasalpha(image)) {
        VipsArrayDouble *white = vips_array_double_newv(3, 255.0, 255.0, 255.0);
        STEP(vips_flatten(image, &next, "background", white, NULL));
        vips_area_unref(VIPS_AREA(white));
    }
    if (vips_image_get_bands(image) > 3) STEP(vips_extract_band(image, &next, 0, "n", 3, NULL));
    STEP(vips_cast_uchar(image, &next, NULL));

    int source_width = vips_image_get_width(image), source_height = vips_image_get_height(image);
    if (width > 0 && height > 0 && (width < source_width || height < source_height)) {
        STEP(vips_resize(image, &next, (double)width / source_width, "vscale", (double)height / source_height,
                         "kernel", VIPS_KERNEL_LANCZOS3, NULL));
    }
    size_t size = 0;
    *pixels = vips_image_write_to_memory(image, &size);
    *out_width = vips_image_get_width(image);
    *out_height = vips_image_get_height(image);
    g_object_unref(image);
    if (!*pixels) return fail();   // decoding happens here: truncated and corrupt data fail now
    if (size != (size_t)(*out_width) * (*out_height) * 3) {
        g_free(*pixels);
        *pixels = NULL;
        strcpy(last_error, "decoded image is not 3-band 8-bit");
        return -1;
    }
    return 0;
}

int impasto_vips_resize_rgb(const unsigned char *pixels, int width, int height,
                            int new_width, int new_height, unsigned char **resized) {
    VipsImage *image = vips_image_new_from_memory_copy(pixels, (size_t)width * height * 3, width, height, 3,
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

int impasto_vips_save_rgb(const unsigned char *pixels, int width, int height, const char *path, int quality) {
    VipsImage *image = vips_image_new_from_memory_copy(pixels, (size_t)width * height * 3, width, height, 3,
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
