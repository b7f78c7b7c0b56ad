/// How much a stylised video flickers, as `impasto video --report` writes it. The JSON keys
/// are part of the interface (scripts compare reports), so they are spelled out and `fidelity`
/// is written as null rather than left out when there is no reference.
public struct FlickerReport: Codable, Sendable, Equatable {
    /// Lai et al. 2018's warping error of the output, mean over consecutive frame pairs, with
    /// the flow computed on the input frames. Per value, on [0, 1] RGB.
    public var eWarp: Double
    /// The same measure for the input clip itself: what a perfectly coherent output scores
    /// (warping and flow errors alone).
    public var inputEWarp: Double
    /// Mean squared difference per value between the output and a reference output (the
    /// frame-by-frame result), averaged over frames; nil without a reference.
    public var fidelity: Double?
    public var frames: Int
    /// Wall time of the optical flow (both directions, DIS) per frame pair, in milliseconds.
    public var flowMsPerFrame: Double
    /// The share of pixels the consistency mask kept, mean over frame pairs.
    public var reliableFraction: Double

    public init(eWarp: Double, inputEWarp: Double, fidelity: Double?, frames: Int, flowMsPerFrame: Double,
                reliableFraction: Double) {
        (self.eWarp, self.inputEWarp, self.fidelity) = (eWarp, inputEWarp, fidelity)
        (self.frames, self.flowMsPerFrame, self.reliableFraction) = (frames, flowMsPerFrame, reliableFraction)
    }

    enum CodingKeys: String, CodingKey {
        case eWarp = "e_warp"
        case inputEWarp = "input_e_warp"
        case fidelity
        case frames
        case flowMsPerFrame = "flow_ms_per_frame"
        case reliableFraction = "reliable_fraction"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(eWarp, forKey: .eWarp)
        try container.encode(inputEWarp, forKey: .inputEWarp)
        try container.encode(fidelity, forKey: .fidelity)
        try container.encode(frames, forKey: .frames)
        try container.encode(flowMsPerFrame, forKey: .flowMsPerFrame)
        try container.encode(reliableFraction, forKey: .reliableFraction)
    }
}
