import Foundation
import ImpastoCore

/// Magenta's style predictor (Ghiasi et al. 2017): MobileNet-v2 from a 256×256 painting to the
/// 100 numbers that steer the arbitrary-style transformer's instance norms.
///
/// Run as the file's own graph over Impasto's ops (`QuantizedGraph`), which reproduces its 65
/// activation quantisations; the graph is checked once when loaded.
public struct StylePredictor: Sendable {
    /// The painting's side the network was trained at and the file declares.
    public static let inputSide = 256
    public static let vectorLength = 100

    let graph: QuantizedGraph

    public init(model: ONNXModel, file: String) throws {
        graph = try QuantizedGraph(graph: model.graph, file: file)
        guard graph.inputs.count == 1 else {
            throw ONNXError(file: file, location: "graph", problem: .invalidValue("the style predictor has one input"))
        }
    }

    public static func load(contentsOf url: URL) throws -> StylePredictor {
        try StylePredictor(model: try ONNXModel.read(contentsOf: url), file: url.path)
    }

    /// The style vector of `painting`, `1 × 3 × 256 × 256` RGB in [0, 1] (resize it first).
    public func styleVector(of painting: Tensor) -> [Float] {
        precondition(painting.shape == Shape(1, 3, Self.inputSide, Self.inputSide),
                     "StylePredictor: the painting must be 1×3×256×256, not \(painting.shape)")
        return graph.run([graph.inputs[0]: painting.detached()]).laidOut(as: .nchw).scalars
    }
}
