"""PyTorch's speed on the workloads `impasto bench stylize` and `impasto bench fast` time, so
that the README can compare the two on the same machine.

Run from the repository root with a CPU build of PyTorch installed:
    pip install 'torch==2.13.0+cpu'
    python3 Tools/reference/pytorch_speed.py

Weights are random (speed does not depend on them). Threads: as many as the machine's cores, as
Impasto uses. Each figure is the median of repeated runs after two warm-up runs.
  - Gatys step: VGG19 up to block5_conv2 on a 1×3×300×451 image, Grams of block1_conv1 …
    block5_conv1, the content and style losses, and the gradient with respect to the image
    (the step `impasto bench stylize` times, without the optimiser's update).
  - TransformerNet (pytorch/examples' architecture, widths 32/64/128) on 512×512 and 1280×720,
    inference only.
"""
import os
import statistics
import time

import torch

from make_transformer_fixture import TransformerNet

VGG19_BLOCKS = [(3, 64, 2), (64, 128, 2), (128, 256, 4), (256, 512, 4), (512, 512, 2)]
STYLE_LAYERS = {"block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1", "block5_conv1"}
CONTENT_LAYER = "block5_conv2"


def vgg19_convolutions():
    layers = {}
    for block, (first, width, count) in enumerate(VGG19_BLOCKS, start=1):
        for index in range(1, count + 1):
            layers[f"block{block}_conv{index}"] = torch.nn.Conv2d(first if index == 1 else width, width, 3, padding=1)
    return layers


def features(layers, image):
    found, x = {}, image
    for name, conv in layers.items():
        if name.endswith("conv1") and not name.startswith("block1"):
            x = torch.nn.functional.max_pool2d(x, 2)
        x = torch.relu(conv(x))
        if name in STYLE_LAYERS or name == CONTENT_LAYER:
            found[name] = x
        if name == CONTENT_LAYER:
            break
    return found


def gram(feature):
    _, channels, height, width = feature.shape
    flat = feature.reshape(channels, height * width)
    return flat @ flat.T / (height * width)


def median_seconds(run, repeats):
    for _ in range(2):
        run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def gatys_step_seconds():
    layers = vgg19_convolutions()
    for conv in layers.values():
        conv.requires_grad_(False)
    image = torch.rand(1, 3, 300, 451, requires_grad=True)
    with torch.no_grad():
        targets = features(layers, torch.rand(1, 3, 300, 451))
        style_targets = {name: gram(targets[name]) for name in STYLE_LAYERS}

    def step():
        found = features(layers, image)
        loss = 1e4 * torch.mean((found[CONTENT_LAYER] - targets[CONTENT_LAYER]) ** 2)
        for name in STYLE_LAYERS:
            loss = loss + 1e-2 / 5 * torch.mean((gram(found[name]) - style_targets[name]) ** 2)
        image.grad = None
        loss.backward()

    return median_seconds(step, repeats=10)


def transformer_seconds(height, width):
    net = TransformerNet(base=32).eval()
    image = torch.rand(1, 3, height, width) * 255
    with torch.inference_mode():
        return median_seconds(lambda: net(image), repeats=5)


def main():
    torch.set_num_threads(os.cpu_count())
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    print(f"Gatys step 451×300:        {gatys_step_seconds():.3f} s")
    print(f"TransformerNet 512×512:    {1000 * transformer_seconds(512, 512):.1f} ms")
    print(f"TransformerNet 1280×720:   {1000 * transformer_seconds(720, 1280):.1f} ms")


if __name__ == "__main__":
    main()
