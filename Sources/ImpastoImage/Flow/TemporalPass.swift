import ImpastoCore

/// How a video's frames are tied together in time after the network.
public enum TemporalMode: Sendable, Equatable {
    /// Each frame on its own: the network's output unchanged.
    case none
    /// Each output blended with the previous one moved along the flow (`TemporalBlend`).
    case blend(strength: Float)
}

/// What a video run does to each frame after the network: the optional temporal blend and the
/// optional flicker measure. Both need the flow between consecutive input frames, so it is
/// computed once per frame here and handed to both. One pass per video, frames in order.
public final class TemporalPass {
    private let estimator: OpticalFlow
    private let blend: TemporalBlend?
    private let meter: FlickerMeter?
    private var previous: (input: Tensor, output: Tensor)?

    /// - Parameters:
    ///   - mode: whether to blend, and how strongly.
    ///   - measuring: whether to keep a flicker report, with the network's own output of each
    ///     frame as the reference for fidelity.
    public init(mode: TemporalMode, measuring: Bool, preset: OpticalFlow.Preset = OpticalFlow.defaultPreset) throws {
        estimator = try OpticalFlow(preset: preset)
        switch mode {
        case .none: blend = nil
        case .blend(let strength): blend = TemporalBlend(strength: strength)
        }
        meter = measuring ? try FlickerMeter(preset: preset) : nil
    }

    /// The output for the next frame: `input` is the decoded frame and `fresh` the network's
    /// output for it, both `1 × 3 × H × W` in [0, 1].
    public func process(input: Tensor, fresh: Tensor) throws -> Tensor {
        let alignment = try previous.map { try FrameAlignment(previous: $0.input, current: input, using: estimator) }
        var output = fresh
        if let blend, let alignment, let previous {
            output = blend.blended(fresh: fresh, previousOutput: previous.output, alignment: alignment)
        }
        try meter?.add(input: input, output: output, reference: fresh, alignment: alignment)
        previous = (input, output)
        return output
    }

    /// The flicker report over the frames so far (at least two), or nil when not measuring.
    public func report() throws -> FlickerReport? {
        try meter?.report()
    }
}
