import ImpastoCore
import ImpastoModels

/// Applies a one-pass network (a trained model, the built-in 26-style network or the
/// arbitrary-style network) to whole images of any size, optionally keeping the photo's colours
/// and blending with it.
public struct FastStylizer: Sendable {
    public var network: OnePassNetwork
    /// 0 returns the photo, 1 the network's output; in between, a linear blend of pixels, or for
    /// the arbitrary-style network a blend of style vectors (sharp strokes at every strength).
    public var strength: Float = 1
    public var colorPreservation = ColorPreservation.none

    public init(network: OnePassNetwork, strength: Float = 1, colorPreservation: ColorPreservation = .none) {
        self.network = network
        self.strength = strength
        self.colorPreservation = colorPreservation
    }

    /// A trained model's stylizer.
    public init(model: StyleModel, strength: Float = 1, colorPreservation: ColorPreservation = .none) {
        self.init(network: .trained(model), strength: strength, colorPreservation: colorPreservation)
    }

    /// `1 × 3 × H × W` in [0, 1] → the same shape in [0, 1].
    public func stylize(_ photo: Tensor) throws -> Tensor {
        var output = try network.stylized(photo, strength: strength)
        switch colorPreservation {
        case .none: break
        case .luminance: output = ColorControl.finish(output, content: photo, mode: .luminance)
        case .histogram: output = ColorControl.matchingColors(of: output, to: photo)
        }
        guard strength < 1, !network.interpolatesStyle else { return output }
        let original = photo.laidOut(as: .nchw).scalars
        return Tensor(shape: photo.shape, scalars: zip(output.scalars, original).map { strength * $0 + (1 - strength) * $1 })
    }
}
