import Foundation
import ImpastoCore

/// Magenta's arbitrary-style transformer (Ghiasi et al. 2017): a photo and a style vector from
/// `StylePredictor` in, the photo in that style out, in one pass at any size.
///
/// Run as the file's own graph (`QuantizedGraph`), which reproduces its activation
/// quantisations. The file declares a 384 × 384 input, but every op in it works at any size, so
/// photos are stylised at their own resolution. Its two stride-2 convolutions round up, so the
/// output can be up to 3 pixels larger than the photo on each axis, at the bottom and right.
public struct ArbitraryTransformer: Sendable {
    /// The smallest image side the network takes: its 9×9 reflection padding needs 5 pixels, and
    /// so do the 3×3 ones after two halvings.
    public static let minimumSide = 5

    let graph: QuantizedGraph
    let imageInput: String
    let styleInput: String

    public init(model: ONNXModel, file: String) throws {
        graph = try QuantizedGraph(graph: model.graph, file: file)
        let images = model.graph.inputs.filter { $0.dims?.last == .fixed(3) }
        let styles = model.graph.inputs.filter { $0.dims?.last == .fixed(Int64(StylePredictor.vectorLength)) }
        guard model.graph.inputs.count == 2, images.count == 1, styles.count == 1 else {
            throw ONNXError(file: file, location: "graph.input",
                            problem: .invalidValue("expected an NHWC image and a style vector of \(StylePredictor.vectorLength)"))
        }
        imageInput = images[0].name
        styleInput = styles[0].name
    }

    public static func load(contentsOf url: URL) throws -> ArbitraryTransformer {
        try ArbitraryTransformer(model: try ONNXModel.read(contentsOf: url), file: url.path)
    }

    /// The network's own output for `photo` (`1 × 3 × H × W` RGB in [0, 1]): `1 × 3 × H′ × W′`
    /// with H′ = 4⌈H/4⌉ (likewise W′).
    public func transform(_ photo: Tensor, styleVector: [Float]) -> Tensor {
        precondition(styleVector.count == StylePredictor.vectorLength, "a style vector has \(StylePredictor.vectorLength) numbers")
        precondition(photo.shape.n == 1 && photo.shape.c == 3 && min(photo.shape.h, photo.shape.w) >= Self.minimumSide,
                     "ArbitraryTransformer: one RGB image with sides ≥ \(Self.minimumSide), not \(photo.shape)")
        let style = Tensor(shape: Shape(1, StylePredictor.vectorLength, 1, 1), scalars: styleVector)
        return graph.run([imageInput: photo.detached(), styleInput: style])
    }
}
