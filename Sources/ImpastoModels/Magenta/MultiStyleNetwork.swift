import ImpastoCore

/// The 26-style network of `multistyle26.onnx` (Dumoulin et al. 2017, "A learned representation
/// for artistic style", as exported from PyTorch 2.4.1), run on Impasto's own ops:
///
///     9×9 conv 32 → 3×3/2 conv 32 → 3×3/2 conv 32 → 6 residual blocks of 32
///     → 2× nearest, 3×3 conv 8 → 2× nearest, 3×3 conv 4 → 9×9 conv 3 → sigmoid
///
/// Every convolution is reflection-padded by half its kernel, has no bias, and is followed by a
/// conditional instance norm (`ConditionalInstanceNorm`, ε 1e-5, biased variance); a ReLU follows
/// each norm except the residual blocks' second and the last. Layers keep the file's names
/// (`contract.0`, `res.3.1`, `expand.2`).
public struct MultiStyleNetwork: Sendable {
    public static let styleCount = 26
    public static let residualBlocks = 6
    /// The smallest image side the network takes: the 9×9 reflection padding needs 5 pixels.
    public static let minimumSide = 5

    /// One convolution of the network: its name in the file and its weight's shape.
    struct LayerShape {
        var name: String
        var outputs: Int
        var inputs: Int
        var kernel: Int
    }

    /// Every layer in order of use.
    static let layerShapes: [LayerShape] = {
        var shapes = [LayerShape(name: "contract.0", outputs: 32, inputs: 3, kernel: 9),
                      LayerShape(name: "contract.1", outputs: 32, inputs: 32, kernel: 3),
                      LayerShape(name: "contract.2", outputs: 32, inputs: 32, kernel: 3)]
        for block in 0..<residualBlocks {
            shapes += (0...1).map { LayerShape(name: "res.\(block).\($0)", outputs: 32, inputs: 32, kernel: 3) }
        }
        return shapes + [LayerShape(name: "expand.0", outputs: 8, inputs: 32, kernel: 3),
                         LayerShape(name: "expand.1", outputs: 4, inputs: 8, kernel: 3),
                         LayerShape(name: "expand.2", outputs: 3, inputs: 4, kernel: 9)]
    }()

    /// A convolution's weight (OIHW, NCHW layout) and the norm after it.
    struct Layer: Sendable {
        var weight: Tensor
        var norm: ConditionalInstanceNorm
    }

    let layers: [String: Layer]

    init(layers: [String: Layer]) {
        self.layers = layers
    }

    /// Stylises `N × 3 × H × W` RGB images in [0, 1] (H, W ≥ `minimumSide`) with the styles of
    /// `blend`; returns `N × 3 × 4⌈⌈H/2⌉/2⌉ × 4⌈⌈W/2⌉/2⌉` in [0, 1], as the file does: the
    /// stride-2 convolutions round up and the upsamplings double, so 50 × 38 comes out 52 × 40,
    /// pixel (y, x) still lying over the input's (y, x). `FastStylizer` crops it back.
    public func callAsFunction(_ images: Tensor, blend: StyleBlend) -> Tensor {
        precondition(images.shape.c == 3 && min(images.shape.h, images.shape.w) >= Self.minimumSide,
                     "MultiStyleNetwork takes N×3×H×W with H, W ≥ \(Self.minimumSide), not \(images.shape)")
        var y = normalised(convolved(images, "contract.0"), "contract.0", blend, relu: true)
        y = normalised(convolved(y, "contract.1", stride: 2), "contract.1", blend, relu: true)
        y = normalised(convolved(y, "contract.2", stride: 2), "contract.2", blend, relu: true)
        for block in 0..<Self.residualBlocks {
            let branch = normalised(convolved(y, "res.\(block).0"), "res.\(block).0", blend, relu: true)
            y = y + normalised(convolved(branch, "res.\(block).1"), "res.\(block).1", blend)
        }
        y = normalised(convolved(upsampledNearest2x(y), "expand.0"), "expand.0", blend, relu: true)
        y = normalised(convolved(upsampledNearest2x(y), "expand.1"), "expand.1", blend, relu: true)
        // Three output channels: computed by 2×2 output phases, as oneDNN pads channels to 16.
        // The output sides are multiples of 4, so the phases always fit.
        y = conv2dByOutputPhases(reflectionPadded(y, by: 4), weight: layers["expand.2"]!.weight)
        return normalised(y, "expand.2", blend).sigmoid()
    }

    private func convolved(_ x: Tensor, _ name: String, stride: Int = 1) -> Tensor {
        let weight = layers[name]!.weight
        return conv2d(reflectionPadded(x, by: weight.shape.h / 2), weight: weight, stride: stride)
    }

    private func normalised(_ x: Tensor, _ name: String, _ blend: StyleBlend, relu: Bool = false) -> Tensor {
        let (scale, shift) = layers[name]!.norm.scaleAndShift(for: blend)
        return instanceNorm(x, scale: scale, shift: shift, relu: relu)
    }
}
