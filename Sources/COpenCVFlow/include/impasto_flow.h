#ifndef IMPASTO_FLOW_H
#define IMPASTO_FLOW_H

#ifdef __cplusplus
extern "C" {
#endif

/// OpenCV's DIS presets, in the order of cv::DISOpticalFlow's own constants.
typedef enum {
    IMPASTO_FLOW_ULTRAFAST = 0,
    IMPASTO_FLOW_FAST = 1,
    IMPASTO_FLOW_MEDIUM = 2,
} impasto_flow_preset;

/// A DIS optical-flow estimator; it keeps its buffers between frames, so reuse one per video.
/// Not safe to use from two threads at once.
typedef struct impasto_flow impasto_flow;

/// A new estimator, or NULL (see impasto_flow_last_error). Release it with impasto_flow_destroy.
impasto_flow *impasto_flow_create(impasto_flow_preset preset);

void impasto_flow_destroy(impasto_flow *estimator);

/// Dense flow from `from` to `to`: for each pixel p of `from`, `flow` receives (dx, dy) such
/// that p + (dx, dy) is where that content lies in `to`. Frames are planar RGB floats in [0, 1]
/// (three `width × height` planes, as Impasto's 1×3×H×W tensors hold them); they are turned
/// into 8-bit luma first, which is what DIS works on. `flow` holds 2 × width × height floats,
/// interleaved (dx, dy) row by row. Returns 0 on success.
int impasto_flow_compute(impasto_flow *estimator, const float *from, const float *to,
                         int width, int height, float *flow);

/// The calling thread's last error as one line (owned by the shim; valid until that thread's
/// next call).
const char *impasto_flow_last_error(void);

#ifdef __cplusplus
}
#endif

#endif
