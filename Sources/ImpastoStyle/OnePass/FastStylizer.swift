import ImpastoCore
import ImpastoModels

/// Applies a trained style model to whole images in one pass: any size (the image is mirrored
/// out to multiples of 4 for the network and cropped back), optionally keeping the photo's
/// colours and blending with it.
public struct FastStylizer: Sendable {
    public var model: StyleModel
    /// 0 returns the photo, 1 the network's output; in between, a linear blend.
    public var strength: Float = 1
    public var colorPreservation = ColorPreservation.none

    public init(model: StyleModel, strength: Float = 1, colorPreservation: ColorPreservation = .none) {
        self.model = model
        self.strength = strength
        self.colorPreservation = colorPreservation
    }

    /// `1 × 3 × H × W` in [0, 1] → the same shape in [0, 1].
    public func stylize(_ photo: Tensor) -> Tensor {
        let shape = photo.shape
        let padded = mirrored(photo, height: (shape.h + 3) / 4 * 4, width: (shape.w + 3) / 4 * 4)
        var output = cropped(model.network(padded).laidOut(as: .nchw).detached(), like: shape)
        switch colorPreservation {
        case .none: break
        case .luminance: output = ColorControl.finish(output, content: photo, mode: .luminance)
        case .histogram: output = ColorControl.matchingColors(of: output, to: photo)
        }
        guard strength < 1 else { return output }
        let original = photo.laidOut(as: .nchw).scalars
        return Tensor(shape: shape, scalars: zip(output.scalars, original).map { strength * $0 + (1 - strength) * $1 })
    }

    /// `image` extended to `height × width` by mirroring its bottom rows and right columns.
    private func mirrored(_ image: Tensor, height: Int, width: Int) -> Tensor {
        let shape = image.shape
        guard height != shape.h || width != shape.w else { return image }
        func source(_ i: Int, _ size: Int) -> Int { i < size ? i : max(2 * (size - 1) - i, 0) }
        let values = image.laidOut(as: .nchw).scalars
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

    private func cropped(_ image: Tensor, like shape: Shape) -> Tensor {
        guard image.shape != shape else { return image }
        let values = image.scalars
        var output = [Float](repeating: 0, count: shape.count)
        for plane in 0..<(shape.n * shape.c) {
            for y in 0..<shape.h {
                let from = (plane * image.shape.h + y) * image.shape.w
                let to = (plane * shape.h + y) * shape.w
                output.replaceSubrange(to..<(to + shape.w), with: values[from..<(from + shape.w)])
            }
        }
        return Tensor(shape: shape, scalars: output)
    }
}
