import ImpastoCore
import ImpastoImage
import Testing

/// E_warp on clips made from a photo (see `CameraMove`), decoded at 320×180 to stay fast.
@Suite("Flicker measured on test clips")
struct FlickerClipTests {
    /// The report for `outputs` (the inputs themselves when nil) against the flow of `inputs`.
    private func report(_ inputs: [Tensor], outputs: [Tensor]? = nil) throws -> FlickerReport {
        let meter = try FlickerMeter()
        for (input, output) in zip(inputs, outputs ?? inputs) { try meter.add(input: input, output: output) }
        return try meter.report()
    }

    @Test func stillClipHasNoFlicker() throws {
        let report: FlickerReport = try CameraMove.still.withFrames { try self.report($0) }
        #expect(report.frames == 20)
        #expect(report.eWarp < 1e-5 && report.reliableFraction > 0.99, "\(report)")
    }

    /// A camera move is followed by the flow, so the clip's own E_warp is small. An output made
    /// of the same frames in shuffled order does not move with the input, and scores far worse.
    /// (Shuffling input and output together would not do: DIS follows the larger jumps of a
    /// shuffled camera move too, and the mask drops what it cannot follow.)
    @Test(arguments: [CameraMove.pan, .zoom, .rotation])
    func cameraMovesAreFollowedButShuffledFramesAreNot(_ clip: CameraMove) throws {
        let (inOrder, shuffled): (FlickerReport, FlickerReport) = try clip.withFrames { frames in
            var generator = SeededGenerator(seed: 21)
            return (try report(frames), try report(frames, outputs: frames.shuffled(using: &generator)))
        }
        #expect(inOrder.eWarp < 1e-3 && inOrder.reliableFraction > 0.8, "\(clip) in order: \(inOrder)")
        #expect(shuffled.eWarp > 10 * inOrder.eWarp, "\(clip) shuffled \(shuffled.eWarp) against \(inOrder.eWarp)")
    }
}

