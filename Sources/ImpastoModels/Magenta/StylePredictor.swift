import Foundation
import ImpastoCore

/// Magenta's style predictor (Ghiasi et al. 2017): MobileNet-v2 from a 256×256 painting to the
/// 100 numbers that steer the arbitrary-style transformer's instance norms.
///
/// Run as the ONNX file's own graph over Impasto's ops rather than as a hand-built network: the
/// file is an int8 TFLite conversion whose 65 activation quantisations sit between particular
/// ops, and following the graph node by node reproduces them exactly (`fakeQuantized`).
/// The graph is checked once when loaded (`StylePredictorProgram`), so running cannot fail.
public struct StylePredictor: Sendable {
    /// The painting's side the network was trained at and the file declares.
    public static let inputSide = 256
    public static let vectorLength = 100

    let program: StylePredictorProgram

    public init(model: ONNXModel, file: String) throws {
        program = try StylePredictorProgram(graph: model.graph, file: file)
    }

    public static func load(contentsOf url: URL) throws -> StylePredictor {
        try StylePredictor(model: try ONNXModel.read(contentsOf: url), file: url.path)
    }

    /// The style vector of `painting`, `1 × 3 × 256 × 256` RGB in [0, 1] (resize it first).
    public func styleVector(of painting: Tensor) -> [Float] {
        precondition(painting.shape == Shape(1, 3, Self.inputSide, Self.inputSide),
                     "StylePredictor: the painting must be 1×3×256×256, not \(painting.shape)")
        return program.run(painting.detached()).laidOut(as: .nchw).scalars
    }
}
