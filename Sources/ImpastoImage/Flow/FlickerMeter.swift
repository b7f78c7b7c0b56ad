import ImpastoCore

/// Measures flicker as frames arrive, keeping only the previous frame: feed it each input
/// frame with its output (and, for fidelity, the reference output), then ask for the report.
public final class FlickerMeter {
    private let estimator: OpticalFlow
    private var previous: (input: Tensor, output: Tensor)?
    private var frames = 0
    private var outputError = 0.0
    private var inputError = 0.0
    private var reliable = 0.0
    private var flowTime = Duration.zero
    private var fidelitySum = 0.0
    private var referenceFrames = 0

    public init(preset: OpticalFlow.Preset = OpticalFlow.defaultPreset) throws {
        estimator = try OpticalFlow(preset: preset)
    }

    /// Adds frame t: `input` and `output` are `1 × 3 × H × W` images in [0, 1] of one size;
    /// `reference` is the reference output for this frame, given for every frame or for none.
    public func add(input: Tensor, output: Tensor, reference: Tensor? = nil) throws {
        try checkSizes(input: input, output: output, reference: reference)
        let alignment = try previous.map { try FrameAlignment(previous: $0.input, current: input, using: estimator) }
        try add(input: input, output: output, reference: reference, alignment: alignment)
    }

    /// Adds frame t with its alignment to the previous input frame already computed (nil for
    /// the first frame), so that a temporal blend and the measure share one flow per frame.
    public func add(input: Tensor, output: Tensor, reference: Tensor?, alignment: FrameAlignment?) throws {
        try checkSizes(input: input, output: output, reference: reference)
        precondition((alignment == nil) == (previous == nil), "give an alignment for every frame but the first")
        precondition(frames == 0 || (reference != nil) == (referenceFrames > 0), "give a reference for every frame or for none")
        if let previous, let alignment {
            flowTime += alignment.flowTime
            outputError += alignment.warpingError(current: output, previous: previous.output)
            inputError += alignment.warpingError(current: input, previous: previous.input)
            reliable += alignment.mask.reliableFraction
        }
        if let reference {
            fidelitySum += meanSquaredDifference(output, reference)
            referenceFrames += 1
        }
        previous = (input, output)
        frames += 1
    }

    /// The report over the frames added so far; needs at least two.
    public func report() throws -> FlickerReport {
        guard frames >= 2 else { throw FlowError.tooFewFrames(count: frames) }
        let pairs = Double(frames - 1)
        return FlickerReport(eWarp: outputError / pairs, inputEWarp: inputError / pairs,
                             fidelity: referenceFrames > 0 ? fidelitySum / Double(referenceFrames) : nil,
                             frames: frames, flowMsPerFrame: flowTime.seconds * 1000 / pairs,
                             reliableFraction: reliable / pairs)
    }

    private func checkSizes(input: Tensor, output: Tensor, reference: Tensor?) throws {
        let expected = previous?.input.shape ?? input.shape
        for (what, image) in [("the input frame", input), ("the output frame", output), ("the reference frame", reference)] {
            guard let image, image.shape != expected else { continue }
            throw FlowError.sizeMismatch(what: "\(what) \(frames)", expected: "\(expected)", actual: "\(image.shape)")
        }
    }
}

/// The mean squared difference per value between two images of one size.
func meanSquaredDifference(_ a: Tensor, _ b: Tensor) -> Double {
    zip(a.scalars, b.scalars).reduce(0.0) { sum, pair in
        let difference = Double(pair.0 - pair.1)
        return sum + difference * difference
    } / Double(a.shape.count)
}
