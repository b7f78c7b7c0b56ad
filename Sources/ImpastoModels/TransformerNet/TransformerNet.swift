import ImpastoCore

/// The image transformation network of Johnson et al. 2016 as pytorch/examples'
/// `fast_neural_style` builds it (instance normalisation, upsample-then-convolve):
///
///     9×9 conv 32 → 3×3/2 conv 64 → 3×3/2 conv 128 → 5 residual blocks of 128
///     → 2× upsample, 3×3 conv 64 → 2× upsample, 3×3 conv 32 → 9×9 conv 3
///
/// every convolution reflection-padded by half its kernel, instance norm and ReLU after each
/// but the last (the residual blocks' second convolution has no ReLU). `baseChannels` scales
/// the widths (32 in the paper; the import test uses a narrower copy). Parameters keep
/// PyTorch's state-dict names, so a pytorch/examples checkpoint maps onto them one to one.
public struct TransformerNet: Sendable {
    /// How pixel values enter and leave the network.
    public enum Scaling: String, Sendable, Codable {
        /// Impasto's own models: input in [0, 1], output through a sigmoid into [0, 1].
        case unit
        /// pytorch/examples' models: input and output in 0…255 (the output clipped).
        case byte
    }

    public static let residualBlocks = 5

    public private(set) var parameters: [String: Tensor]
    public let baseChannels: Int
    public let scaling: Scaling

    public init(parameters: [String: Tensor], baseChannels: Int, scaling: Scaling) throws {
        let expected = Self.parameterShapes(baseChannels: baseChannels)
        for (name, shape) in expected {
            guard let tensor = parameters[name] else { throw TransformerNetError.missing(name) }
            guard tensor.shape == shape else { throw TransformerNetError.wrongShape(name, expected: shape, found: tensor.shape) }
        }
        if let extra = Set(parameters.keys).subtracting(expected.map { $0.name }).sorted().first {
            throw TransformerNetError.unexpected(extra)
        }
        self.parameters = parameters.mapValues { $0.laidOut(as: .nchw) }
        self.baseChannels = baseChannels
        self.scaling = scaling
    }

    /// Fresh weights as PyTorch initialises them (uniform ±1/√fan-in for convolutions, scale 1
    /// and shift 0 for instance norm), from `seed`.
    public init(seed: UInt64, baseChannels: Int = 32, scaling: Scaling = .unit) {
        var generator = SeededGenerator(seed: seed)
        var parameters: [String: Tensor] = [:]
        for (name, shape) in Self.parameterShapes(baseChannels: baseChannels) {
            if name.hasPrefix("in") || name.contains(".in") {
                parameters[name] = Tensor(repeating: name.hasSuffix("weight") ? 1 : 0, shape: shape)
            } else {
                let fanIn = Self.fanIn(of: name, baseChannels: baseChannels)
                let bound = Float(1 / Double(fanIn).squareRoot())
                parameters[name] = Tensor(uniform: -bound...bound, shape: shape, using: &generator)
            }
        }
        try! self.init(parameters: parameters, baseChannels: baseChannels, scaling: scaling)
    }

    /// Every parameter's name and shape; biases and norm parameters are `1 × C × 1 × 1`.
    public static func parameterShapes(baseChannels base: Int) -> [(name: String, shape: Shape)] {
        var shapes: [(String, Shape)] = []
        func conv(_ name: String, _ input: Int, _ output: Int, _ kernel: Int) {
            shapes.append(("\(name).conv2d.weight", Shape(output, input, kernel, kernel)))
            shapes.append(("\(name).conv2d.bias", Shape(1, output, 1, 1)))
        }
        func norm(_ name: String, _ channels: Int) {
            shapes.append(("\(name).weight", Shape(1, channels, 1, 1)))
            shapes.append(("\(name).bias", Shape(1, channels, 1, 1)))
        }
        conv("conv1", 3, base, 9); norm("in1", base)
        conv("conv2", base, 2 * base, 3); norm("in2", 2 * base)
        conv("conv3", 2 * base, 4 * base, 3); norm("in3", 4 * base)
        for block in 1...residualBlocks {
            conv("res\(block).conv1", 4 * base, 4 * base, 3); norm("res\(block).in1", 4 * base)
            conv("res\(block).conv2", 4 * base, 4 * base, 3); norm("res\(block).in2", 4 * base)
        }
        conv("deconv1", 4 * base, 2 * base, 3); norm("in4", 2 * base)
        conv("deconv2", 2 * base, base, 3); norm("in5", base)
        conv("deconv3", base, 3, 9)
        return shapes
    }

    private static func fanIn(of name: String, baseChannels: Int) -> Int {
        let weightName = name.replacingOccurrences(of: ".conv2d.bias", with: ".conv2d.weight")
        let shape = parameterShapes(baseChannels: baseChannels).first { $0.name == weightName }!.shape
        return shape.c * shape.h * shape.w
    }

    /// The number of learned values.
    public var parameterCount: Int { parameters.values.map(\.shape.count).reduce(0, +) }

    /// Stylises `N × 3 × H × W` RGB images in [0, 1] whose sides are multiples of 4 (the two
    /// stride-2 convolutions and the two upsamplings must meet); returns the same shape in [0, 1].
    public func callAsFunction(_ images: Tensor) -> Tensor {
        precondition(images.shape.c == 3 && images.shape.h % 4 == 0 && images.shape.w % 4 == 0,
                     "TransformerNet takes N×3×H×W with H and W multiples of 4, not \(images.shape)")
        var y = scaling == .byte ? images.scaled(by: 255) : images
        y = normalised(convolved(y, "conv1", kernel: 9), "in1", relu: true)
        y = normalised(convolved(y, "conv2", kernel: 3, stride: 2), "in2", relu: true)
        y = normalised(convolved(y, "conv3", kernel: 3, stride: 2), "in3", relu: true)
        for block in 1...Self.residualBlocks {
            let branch = normalised(convolved(y, "res\(block).conv1", kernel: 3), "res\(block).in1", relu: true)
            y = y + normalised(convolved(branch, "res\(block).conv2", kernel: 3), "res\(block).in2")
        }
        y = normalised(convolved(upsampledNearest2x(y), "deconv1", kernel: 3), "in4", relu: true)
        y = normalised(convolved(upsampledNearest2x(y), "deconv2", kernel: 3), "in5", relu: true)
        // Three output channels: computed by 2×2 output phases, as oneDNN pads channels to 16.
        y = conv2dByOutputPhases(reflectionPadded(y, by: 4), weight: parameters["deconv3.conv2d.weight"]!,
                                 bias: parameters["deconv3.conv2d.bias"]!)
        switch scaling {
        case .unit:
            return y.sigmoid()
        case .byte:
            var clipped = y.scaled(by: 1 / 255).laidOut(as: .nchw).detached()
            clipped.withUnsafeMutableBufferPointer { values in
                for i in values.indices { values[i] = min(max(values[i], 0), 1) }
            }
            return clipped
        }
    }

    private func convolved(_ x: Tensor, _ name: String, kernel: Int, stride: Int = 1) -> Tensor {
        conv2d(reflectionPadded(x, by: kernel / 2), weight: parameters["\(name).conv2d.weight"]!,
               bias: parameters["\(name).conv2d.bias"]!, stride: stride, padding: 0)
    }

    private func normalised(_ x: Tensor, _ name: String, relu: Bool = false) -> Tensor {
        instanceNorm(x, scale: parameters["\(name).weight"]!, shift: parameters["\(name).bias"]!, relu: relu)
    }

    /// The same network with `parameters` replaced (same names and shapes), e.g. after a step.
    public func replacing(_ parameters: [String: Tensor]) throws -> TransformerNet {
        try TransformerNet(parameters: parameters, baseChannels: baseChannels, scaling: scaling)
    }
}

/// Why a set of parameters does not make a TransformerNet.
public enum TransformerNetError: Error, CustomStringConvertible, Equatable {
    case missing(String)
    case unexpected(String)
    case wrongShape(String, expected: Shape, found: Shape)

    public var description: String {
        switch self {
        case .missing(let name): "has no parameter \(name)"
        case .unexpected(let name): "has a parameter \(name) that TransformerNet does not use"
        case .wrongShape(let name, let expected, let found): "\(name) has shape \(found), expected \(expected)"
        }
    }
}
