import ImpastoCore
import ImpastoImage
import ImpastoModels

/// Any painting as a style, in one pass (Magenta's arbitrary-style networks): the predictor
/// turns each painting into a style vector once, and the transformer stylises any number of
/// photos or frames with it.
///
/// Strength moves along the line between the photo's own style vector (0) and the painting's
/// (1), as Ghiasi et al. do, rather than mixing pixels: the picture keeps the network's sharp
/// strokes at every strength. Several paintings blend the same way, by their vectors.
public struct ArbitraryStylizer: Sendable {
    public let predictor: StylePredictor
    public let transformer: ArbitraryTransformer

    public init(predictor: StylePredictor, transformer: ArbitraryTransformer) {
        self.predictor = predictor
        self.transformer = transformer
    }

    /// The style vector of `image` (any size; squashed to the predictor's 256 × 256, as Magenta
    /// feeds it).
    public func styleVector(of image: Tensor) throws -> [Float] {
        let side = StylePredictor.inputSide
        let square = image.shape.h == side && image.shape.w == side ? image
            : try ImageFile.resized(image, width: side, height: side)
        return predictor.styleVector(of: square)
    }

    /// The weighted mean of several paintings' vectors (weights need not sum to 1).
    public static func blended(_ vectors: [(vector: [Float], weight: Float)]) -> [Float] {
        let total = vectors.map(\.weight).reduce(0, +)
        precondition(total > 0 && vectors.allSatisfy { $0.vector.count == StylePredictor.vectorLength },
                     "a blend needs style vectors and a positive total weight")
        return (0..<StylePredictor.vectorLength).map { index in
            vectors.map { $0.vector[index] * $0.weight }.reduce(0, +) / total
        }
    }

    /// `photo` (`1 × 3 × H × W` in [0, 1]) in the style of `styleVector`, at `strength` between the
    /// photo's own style (0) and it (1); the same shape, NCHW.
    public func stylized(_ photo: Tensor, styleVector: [Float], strength: Float = 1) throws -> Tensor {
        var vector = styleVector
        if strength < 1 {
            let own = try self.styleVector(of: photo)
            vector = zip(styleVector, own).map { strength * $0 + (1 - strength) * $1 }
        }
        return transformer.transform(photo, styleVector: vector).laidOut(as: .nchw).detached().cropped(to: photo.shape)
    }
}
