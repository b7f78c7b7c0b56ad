import ImpastoCore
import ImpastoModels

/// The layer sizes of a one-pass network, as much as its memory depends on: every convolution's
/// channels, kernel and stride, and whether a 2× upsampling comes before it. All three networks
/// share one plan (Johnson et al.'s): convolutions down, residual blocks, convolutions up, the
/// last to three channels computed by output phases.
public struct OnePassArchitecture: Sendable, Equatable {
    struct Convolution: Sendable, Equatable {
        var inputs: Int
        var outputs: Int
        var kernel: Int
        var stride = 1
        var upsampledBefore = false
    }

    var encoder: [Convolution]
    var residualChannels: Int
    var residualBlocks: Int
    /// The upsampling convolutions; the last convolution (to RGB) follows them.
    var decoder: [Convolution]
    var finalKernel: Int
    /// Parameters besides the convolutions' (norms, a style predictor), in floats.
    var otherParameters: Int

    /// Every parameter, in floats.
    var parameters: Int {
        let residual = Convolution(inputs: residualChannels, outputs: residualChannels, kernel: 3)
        let last = Convolution(inputs: decoder.last?.outputs ?? residualChannels, outputs: 3, kernel: finalKernel)
        let convolutions = encoder + Array(repeating: residual, count: 2 * residualBlocks) + decoder + [last]
        return convolutions.map { $0.inputs * $0.outputs * $0.kernel * $0.kernel + $0.outputs }.reduce(0, +) + otherParameters
    }

    /// `TransformerNet` (pytorch/examples' fast-neural-style) of `baseChannels` first-layer channels.
    public static func transformerNet(baseChannels b: Int) -> OnePassArchitecture {
        OnePassArchitecture(
            encoder: [Convolution(inputs: 3, outputs: b, kernel: 9), Convolution(inputs: b, outputs: 2 * b, kernel: 3, stride: 2),
                      Convolution(inputs: 2 * b, outputs: 4 * b, kernel: 3, stride: 2)],
            residualChannels: 4 * b, residualBlocks: TransformerNet.residualBlocks,
            decoder: [Convolution(inputs: 4 * b, outputs: 2 * b, kernel: 3, upsampledBefore: true),
                      Convolution(inputs: 2 * b, outputs: b, kernel: 3, upsampledBefore: true)],
            finalKernel: 9, otherParameters: 2 * (10 * b + 10 * 4 * b))
    }

    /// Magenta's 26-style network (`MultiStyleNetwork`), 32 channels throughout, narrowing to 8
    /// and 4 on the way up, with a scale and shift per style for every norm's channels.
    public static let multiStyle = OnePassArchitecture(
        encoder: [Convolution(inputs: 3, outputs: 32, kernel: 9), Convolution(inputs: 32, outputs: 32, kernel: 3, stride: 2),
                  Convolution(inputs: 32, outputs: 32, kernel: 3, stride: 2)],
        residualChannels: 32, residualBlocks: MultiStyleNetwork.residualBlocks,
        decoder: [Convolution(inputs: 32, outputs: 8, kernel: 3, upsampledBefore: true),
                  Convolution(inputs: 8, outputs: 4, kernel: 3, upsampledBefore: true)],
        finalKernel: 9, otherParameters: MultiStyleNetwork.styleCount * 2 * (32 * 15 + 8 + 4 + 3))

    /// Magenta's arbitrary-style transformer: the full-width TransformerNet's layers, run from
    /// its ONNX graph, plus the style predictor's MobileNet-v2 (about 2.6 M parameters), which
    /// sees only a 256 × 256 painting.
    public static let arbitrary: OnePassArchitecture = {
        var architecture = transformerNet(baseChannels: 32)
        architecture.otherParameters += 2_600_000
        return architecture
    }()
}

extension OnePassNetwork {
    /// The architecture the memory plan counts for this network.
    public var architecture: OnePassArchitecture {
        switch self {
        case .trained(let model): .transformerNet(baseChannels: model.network.baseChannels)
        case .builtin: .multiStyle
        case .arbitrary: .arbitrary
        }
    }
}
