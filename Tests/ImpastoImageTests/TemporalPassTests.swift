import ImpastoCore
import ImpastoImage
import Testing
import _TestSupport

/// The pass `impasto video` runs after the network, on a 1 s pan clip decoded at 160×90, with
/// "network outputs" made by adding fresh noise to each frame: flicker the flow cannot explain.
@Suite("Temporal pass: blend and measure with one flow")
struct TemporalPassTests {
    private static func flickering(_ frames: [Tensor]) -> [Tensor] {
        frames.enumerated().map { index, frame in
            let noise = randomTensor(frame.shape, in: -0.05...0.05, seed: UInt64(index + 1)).scalars
            return Tensor(shape: frame.shape, scalars: zip(frame.scalars, noise).map(+))
        }
    }

    /// Runs `mode` over the frames and returns the outputs and the report.
    private static func run(_ mode: TemporalMode, inputs: [Tensor], fresh: [Tensor]) throws -> ([Tensor], FlickerReport) {
        let pass = try TemporalPass(mode: mode, measuring: true)
        let outputs = try zip(inputs, fresh).map { try pass.process(input: $0, fresh: $1) }
        return (outputs, try #require(try pass.report()))
    }

    @Test func zeroStrengthIsFrameByFrame() throws {
        try CameraMove.pan.withFrames(seconds: 1, width: 160, height: 90) { inputs in
            let fresh = Self.flickering(inputs)
            let (outputs, blended) = try Self.run(.blend(strength: 0), inputs: inputs, fresh: fresh)
            let (_, alone) = try Self.run(.none, inputs: inputs, fresh: fresh)
            #expect(outputs.map(\.scalars) == fresh.map(\.scalars))
            #expect(blended.eWarp == alone.eWarp && blended.reliableFraction == alone.reliableFraction)
            #expect(blended.fidelity == 0 && blended.frames == inputs.count)
        }
    }

    /// Noise of ±0.05 per frame gives E_warp ≈ 2 × 0.05²/3 frame by frame; at strength 0.8 the
    /// reliable pixels keep a fifth of each frame's noise, so E_warp falls well over 5 times.
    @Test func blendLowersFlickerOnAPan() throws {
        try CameraMove.pan.withFrames(seconds: 1, width: 160, height: 90) { inputs in
            let fresh = Self.flickering(inputs)
            let (_, alone) = try Self.run(.none, inputs: inputs, fresh: fresh)
            let (_, blended) = try Self.run(.blend(strength: 0.8), inputs: inputs, fresh: fresh)
            #expect(blended.eWarp < alone.eWarp / 5, "blend \(blended.eWarp) against frame by frame \(alone.eWarp)")
            #expect(alone.fidelity == 0 && (blended.fidelity ?? 0) > 0)
            #expect(blended.inputEWarp == alone.inputEWarp && blended.reliableFraction > 0.8)
        }
    }

    @Test func withoutMeasuringThereIsNoReport() throws {
        let pass = try TemporalPass(mode: .blend(strength: 0.5), measuring: false)
        let frame = FlowTestImages.texture(width: 32, height: 24)
        _ = try pass.process(input: frame, fresh: frame)
        _ = try pass.process(input: frame, fresh: frame)
        #expect(try pass.report() == nil)
    }
}
