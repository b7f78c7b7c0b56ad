import ImpastoCore

/// The building block of `--temporal blend`: a fresh stylised frame blended with the previous
/// output moved onto it by the input's flow, so strokes follow the scene instead of being
/// redrawn every frame. Works after any network, since it only sees outputs.
public struct TemporalBlend: Sendable {
    /// How much of the warped previous output to keep where the flow is reliable, in [0, 1];
    /// occluded and disoccluded pixels always take the fresh frame, so new content appears at once.
    public var strength: Float

    public init(strength: Float) {
        precondition((0...1).contains(strength), "a blend strength lies in [0, 1], not \(strength)")
        self.strength = strength
    }

    /// fresh + strength · M · (warp(previousOutput) − fresh), per pixel, with M the alignment's
    /// consistency mask. `alignment` relates the previous input frame to the current one.
    public func blended(fresh: Tensor, previousOutput: Tensor, alignment: FrameAlignment) -> Tensor {
        precondition(fresh.shape == previousOutput.shape, "outputs of different sizes: \(fresh.shape) and \(previousOutput.shape)")
        let warped = alignment.warpedPrevious(previousOutput).scalars
        let plane = alignment.mask.width * alignment.mask.height
        let weights = alignment.mask.weights
        let values = fresh.scalars.enumerated().map { index, value in
            value + strength * weights[index % plane] * (warped[index] - value)
        }
        return Tensor(shape: fresh.shape, scalars: values)
    }
}
