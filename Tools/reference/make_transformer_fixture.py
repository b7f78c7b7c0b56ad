"""Writes the fast_neural_style import fixture: a TransformerNet checkpoint as pytorch/examples
saves it, a fixed input and PyTorch's output for it.

Run from the repository root with a CPU build of PyTorch installed:
    pip install 'torch==2.13.0+cpu'
    python3 Tools/reference/make_transformer_fixture.py

The network re-implements the architecture of pytorch/examples' TransformerNet (fast_neural_style),
with the same module names, so its state dict has the same keys; one thing differs: the widths are a
parameter, and the fixture uses 8/16/32 instead of 32/64/128 so that the file stays small
(about 0.4 MB). The state-dict names and the forward pass are the example's. Weights are
PyTorch's default initialisation from a fixed seed, with the instance norms' scale and shift
randomised too (so that they are exercised), and the last layer's weights scaled by 40 and its
bias set to 128 so that outputs spread over 0…255 instead of being clipped or all near one value.
"""
import json
from pathlib import Path

import torch

OUT = Path("Tests/ImpastoModelsTests/Fixtures")


class ConvLayer(torch.nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride):
        super().__init__()
        self.reflection_pad = torch.nn.ReflectionPad2d(kernel_size // 2)
        self.conv2d = torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride)

    def forward(self, x):
        return self.conv2d(self.reflection_pad(x))


class ResidualBlock(torch.nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = ConvLayer(channels, channels, kernel_size=3, stride=1)
        self.in1 = torch.nn.InstanceNorm2d(channels, affine=True)
        self.conv2 = ConvLayer(channels, channels, kernel_size=3, stride=1)
        self.in2 = torch.nn.InstanceNorm2d(channels, affine=True)
        self.relu = torch.nn.ReLU()

    def forward(self, x):
        residual = x
        out = self.relu(self.in1(self.conv1(x)))
        out = self.in2(self.conv2(out))
        return out + residual


class UpsampleConvLayer(torch.nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride, upsample):
        super().__init__()
        self.upsample = upsample
        self.reflection_pad = torch.nn.ReflectionPad2d(kernel_size // 2)
        self.conv2d = torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride)

    def forward(self, x):
        x = torch.nn.functional.interpolate(x, mode="nearest", scale_factor=self.upsample)
        return self.conv2d(self.reflection_pad(x))


class TransformerNet(torch.nn.Module):
    def __init__(self, base=32):
        super().__init__()
        self.conv1 = ConvLayer(3, base, kernel_size=9, stride=1)
        self.in1 = torch.nn.InstanceNorm2d(base, affine=True)
        self.conv2 = ConvLayer(base, 2 * base, kernel_size=3, stride=2)
        self.in2 = torch.nn.InstanceNorm2d(2 * base, affine=True)
        self.conv3 = ConvLayer(2 * base, 4 * base, kernel_size=3, stride=2)
        self.in3 = torch.nn.InstanceNorm2d(4 * base, affine=True)
        self.res1 = ResidualBlock(4 * base)
        self.res2 = ResidualBlock(4 * base)
        self.res3 = ResidualBlock(4 * base)
        self.res4 = ResidualBlock(4 * base)
        self.res5 = ResidualBlock(4 * base)
        self.deconv1 = UpsampleConvLayer(4 * base, 2 * base, kernel_size=3, stride=1, upsample=2)
        self.in4 = torch.nn.InstanceNorm2d(2 * base, affine=True)
        self.deconv2 = UpsampleConvLayer(2 * base, base, kernel_size=3, stride=1, upsample=2)
        self.in5 = torch.nn.InstanceNorm2d(base, affine=True)
        self.deconv3 = ConvLayer(base, 3, kernel_size=9, stride=1)
        self.relu = torch.nn.ReLU()

    def forward(self, x):
        y = self.relu(self.in1(self.conv1(x)))
        y = self.relu(self.in2(self.conv2(y)))
        y = self.relu(self.in3(self.conv3(y)))
        y = self.res5(self.res4(self.res3(self.res2(self.res1(y)))))
        y = self.relu(self.in4(self.deconv1(y)))
        y = self.relu(self.in5(self.deconv2(y)))
        return self.deconv3(y)


def main():
    torch.manual_seed(2016)
    net = TransformerNet(base=8).eval()
    with torch.no_grad():
        for name, parameter in net.named_parameters():
            if ".in" in name or name.startswith("in"):
                parameter.copy_(torch.rand_like(parameter) + 0.5 if name.endswith("weight") else torch.randn_like(parameter) * 0.1)
        net.deconv3.conv2d.weight.mul_(40)
        net.deconv3.conv2d.bias.fill_(128)
    image = torch.rand(1, 3, 24, 32)
    with torch.no_grad():
        output = net(image * 255)
    torch.save(net.state_dict(), OUT / "transformer-net-w8.pt")
    (OUT / "transformer-net-w8-expected.json").write_text(json.dumps({
        "shape": list(image.shape),
        "input": [float(f"{v:.9g}") for v in image.flatten().tolist()],
        "output_0_255": [float(f"{v:.9g}") for v in output.flatten().tolist()],
    }))
    inside = ((output > 0) & (output < 255)).float().mean()
    print(f"output range {float(output.min()):.1f}…{float(output.max()):.1f}, std {float(output.std()):.1f}, "
          f"{100 * float(inside):.1f} % inside 0…255")


if __name__ == "__main__":
    main()
