import Foundation
import ImpastoCore
import ImpastoImage
import Testing

@Suite("Flicker report")
struct FlickerReportTests {
    private let keys: Set<String> = ["e_warp", "input_e_warp", "fidelity", "frames", "flow_ms_per_frame", "reliable_fraction"]

    private func jsonKeys(_ report: FlickerReport) throws -> Set<String> {
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any]
        return Set(object?.keys.map { $0 } ?? [])
    }

    @Test(arguments: [0.0031, nil])
    func keysAreStableAndRoundTrip(_ fidelity: Double?) throws {
        let report = FlickerReport(eWarp: 0.012, inputEWarp: 0.0004, fidelity: fidelity, frames: 20,
                                   flowMsPerFrame: 9.5, reliableFraction: 0.93)
        #expect(try jsonKeys(report) == keys)
        #expect(try JSONDecoder().decode(FlickerReport.self, from: JSONEncoder().encode(report)) == report)
    }

    @Test func decodesAReportWrittenByHand() throws {
        let json = #"{"e_warp": 0.01, "input_e_warp": 0.001, "fidelity": null, "frames": 3, "flow_ms_per_frame": 4, "reliable_fraction": 0.9}"#
        let report = try JSONDecoder().decode(FlickerReport.self, from: Data(json.utf8))
        #expect(report == FlickerReport(eWarp: 0.01, inputEWarp: 0.001, fidelity: nil, frames: 3, flowMsPerFrame: 4,
                                        reliableFraction: 0.9))
    }
}

@Suite("Flicker meter on synthetic frames")
struct FlickerMeterTests {
    /// Output = input moved by a shift that the flow follows: no flicker. Output with a sparse
    /// pattern that changes every frame flickers (less than twice the pattern's variance,
    /// because warping blurs the previous frame's pattern), and its fidelity is the pattern's
    /// mean square, 0.1² × 1/5.
    @Test func separatesCoherentFromFlickeringOutput() throws {
        let base = FlowTestImages.texture(width: 96, height: 72)
        let inputs = (0..<4).map { FlowTestImages.shifted(base, dx: Float($0) * 1.5, dy: 0) }
        let coherent = try FlickerMeter(), flickering = try FlickerMeter()
        for (index, input) in inputs.enumerated() {
            try coherent.add(input: input, output: input, reference: input)
            let noisy = input.scalars.enumerated().map { $1 + (($0 * 7 + index * 13) % 5 == 0 ? 0.1 : 0) }
            try flickering.add(input: input, output: Tensor(shape: input.shape, scalars: noisy), reference: input)
        }
        let (calm, noisy) = (try coherent.report(), try flickering.report())
        #expect(calm.frames == 4 && calm.fidelity == 0)
        #expect(calm.eWarp < 1e-4, "coherent output scored \(calm.eWarp)")
        #expect(noisy.eWarp > 100 * calm.eWarp && noisy.eWarp > 5e-4, "flickering output scored \(noisy.eWarp) against \(calm.eWarp)")
        #expect(abs((noisy.fidelity ?? 0) - 0.002) < 2e-4, "fidelity \(String(describing: noisy.fidelity))")
    }

    @Test func needsTwoFramesOfOneSize() throws {
        let meter = try FlickerMeter()
        #expect(throws: FlowError.tooFewFrames(count: 0)) { try meter.report() }
        let frame = Tensor(zeros: Shape(1, 3, 16, 16))
        try meter.add(input: frame, output: frame)
        #expect(throws: FlowError.self) { try meter.add(input: frame, output: Tensor(zeros: Shape(1, 3, 16, 20))) }
    }
}
