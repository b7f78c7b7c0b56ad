#ifndef IMPASTO_CDNNL_SHIM_H
#define IMPASTO_CDNNL_SHIM_H

#include <oneapi/dnnl/dnnl.h>

// oneDNN defines its argument indices as macros that alias other macros, which
// Swift does not import; these constants give them names Swift can see.
static const int IMPASTO_ARG_SRC = DNNL_ARG_SRC;
static const int IMPASTO_ARG_DST = DNNL_ARG_DST;
static const int IMPASTO_ARG_WEIGHTS = DNNL_ARG_WEIGHTS;
static const int IMPASTO_ARG_BIAS = DNNL_ARG_BIAS;
static const int IMPASTO_ARG_WORKSPACE = DNNL_ARG_WORKSPACE;
static const int IMPASTO_ARG_DIFF_SRC = DNNL_ARG_DIFF_SRC;
static const int IMPASTO_ARG_DIFF_DST = DNNL_ARG_DIFF_DST;
static const int IMPASTO_ARG_DIFF_WEIGHTS = DNNL_ARG_DIFF_WEIGHTS;
static const int IMPASTO_ARG_DIFF_BIAS = DNNL_ARG_DIFF_BIAS;
static const int IMPASTO_ARG_FROM = DNNL_ARG_FROM;
static const int IMPASTO_ARG_TO = DNNL_ARG_TO;
static const int IMPASTO_ARG_SCRATCHPAD = DNNL_ARG_SCRATCHPAD;

#endif
