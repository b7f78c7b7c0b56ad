"""Writes the small PyTorch checkpoint fixtures the weight-reader tests read.

Run from the repository root with a CPU build of PyTorch installed:
    pip install 'torch==2.13.0+cpu'
    python3 Tools/reference/make_checkpoint_fixtures.py

It saves the same state dict in the zip format (current torch.save) and in the legacy
format, and the expected values as JSON. The dict holds the cases a reader must get right:
float32, float16 and uint8 storages, a transposed (strided) view, two tensors sharing one
storage at different offsets, and an nn.Parameter.
"""
import json
from collections import OrderedDict
from pathlib import Path

import torch

OUT = Path("Tests/ImpastoModelsTests/Fixtures")


def state_dict():
    torch.manual_seed(7)
    shared = torch.arange(12, dtype=torch.float32) / 7
    return OrderedDict([
        ("conv.weight", torch.randn(2, 3, 3, 3)),
        ("conv.bias", torch.randn(2)),
        ("half", torch.randn(4).half()),
        ("codes", torch.arange(0, 250, 25, dtype=torch.uint8)),
        ("transposed", torch.arange(6, dtype=torch.float32).reshape(2, 3).t()),
        ("shared.first", shared[:5]),
        ("shared.rest", shared[5:].reshape(7, 1)),
        ("parameter", torch.nn.Parameter(torch.tensor([1.5, -2.5]))),
    ])


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    tensors = state_dict()
    torch.save(tensors, OUT / "checkpoint-zip.pt")
    torch.save(tensors, OUT / "checkpoint-legacy.pt", _use_new_zipfile_serialization=False)
    expected = {name: {"shape": list(t.shape), "values": t.detach().float().contiguous().view(-1).tolist()}
                for name, t in tensors.items()}
    (OUT / "checkpoint-expected.json").write_text(json.dumps(expected, indent=1) + "\n")


if __name__ == "__main__":
    main()
