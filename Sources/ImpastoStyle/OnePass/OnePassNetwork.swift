import ImpastoCore
import ImpastoModels

/// The networks that stylise a photo in one pass: a trained `StyleModel`, the built-in
/// 26-style network with a blend of its styles, or the arbitrary-style network with a painting's
/// style vector.
///
/// An enum rather than a protocol: the networks are few and known, and each has its own way of
/// fitting a photo of any size (see `stylized(_:)`); another kind of network is another case.
public enum OnePassNetwork: Sendable {
    case trained(StyleModel)
    case builtin(MultiStyleNetwork, StyleBlend)
    case arbitrary(ArbitraryStylizer, styleVector: [Float])

    /// The smallest side a TransformerNet is run at.
    static let trainedMinimumSide = 8

    /// Whether the network applies a strength itself (along its style vector) rather than
    /// leaving a pixel blend with the photo to the caller.
    public var interpolatesStyle: Bool {
        if case .arbitrary = self { true } else { false }
    }

    /// `1 × 3 × H × W` in [0, 1] → the same shape in [0, 1], NCHW.
    ///
    /// A TransformerNet needs sides that are multiples of 4 and at least 8 (its 9×9 reflection
    /// padding, and the 3×3 ones after two halvings), so the photo is mirrored out to them and
    /// the output cropped back. The 26-style network takes any side of at least 5 and
    /// returns sides rounded up to multiples of 4 with the photo's pixels at the top left, as
    /// onnxruntime runs the file; that output is cropped, and only smaller photos are mirrored out.
    /// The arbitrary-style network likewise rounds up and is cropped; `strength` moves its style
    /// vector towards the photo's own (the other networks ignore it). Throws only when the
    /// photo cannot be resized for the style predictor.
    public func stylized(_ photo: Tensor, strength: Float = 1) throws -> Tensor {
        let shape = photo.shape
        switch self {
        case .trained(let model):
            func side(_ size: Int) -> Int { max((size + 3) / 4 * 4, Self.trainedMinimumSide) }
            let padded = photo.mirrored(height: side(shape.h), width: side(shape.w))
            return model.network(padded).laidOut(as: .nchw).detached().cropped(to: shape)
        case .builtin(let network, let blend):
            let side = MultiStyleNetwork.minimumSide
            let padded = photo.mirrored(height: max(shape.h, side), width: max(shape.w, side))
            return network(padded, blend: blend).laidOut(as: .nchw).detached().cropped(to: shape)
        case .arbitrary(let stylizer, let styleVector):
            let side = ArbitraryTransformer.minimumSide
            let padded = photo.mirrored(height: max(shape.h, side), width: max(shape.w, side))
            return try stylizer.stylized(padded, styleVector: styleVector, strength: strength).cropped(to: shape)
        }
    }
}

extension Tensor {
    /// The image extended to `height × width` by mirroring its bottom rows and right columns.
    func mirrored(height: Int, width: Int) -> Tensor {
        guard height != shape.h || width != shape.w else { return self }
        func source(_ i: Int, _ size: Int) -> Int { i < size ? i : max(2 * (size - 1) - i, 0) }
        let values = laidOut(as: .nchw).scalars
        var output = [Float](repeating: 0, count: shape.n * shape.c * height * width)
        for plane in 0..<(shape.n * shape.c) {
            for y in 0..<height {
                for x in 0..<width {
                    output[(plane * height + y) * width + x] =
                        values[(plane * shape.h + source(y, shape.h)) * shape.w + source(x, shape.w)]
                }
            }
        }
        return Tensor(shape: Shape(shape.n, shape.c, height, width), scalars: output)
    }

    /// The top-left `target.h × target.w` of an NCHW image at least that large.
    func cropped(to target: Shape) -> Tensor {
        guard shape != target else { return self }
        let values = scalars
        var output = [Float](repeating: 0, count: target.count)
        for plane in 0..<(target.n * target.c) {
            for y in 0..<target.h {
                let from = (plane * shape.h + y) * shape.w
                let to = (plane * target.h + y) * target.w
                output.replaceSubrange(to..<(to + target.w), with: values[from..<(from + target.w)])
            }
        }
        return Tensor(shape: target, scalars: output)
    }
}
