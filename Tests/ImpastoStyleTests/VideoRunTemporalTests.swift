import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels
import ImpastoStyle
import Testing
import _TestSupport

/// `VideoRun` with a flicker report and the temporal blend, on a 1 s pan clip shrunk to 96×54
/// and a small random TransformerNet (its output moves with the scene, like a trained one's).
@Suite("Video runs with --report and --temporal")
struct VideoRunTemporalTests {
    private static let keys: Set<String> = ["e_warp", "input_e_warp", "fidelity", "frames", "flow_ms_per_frame",
                                            "reliable_fraction"]

    /// Runs the clip through each mode in a fresh folder and returns each run's report as JSON.
    private static func reports(_ modes: [TemporalMode]) throws -> [[String: Any]] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("impasto-video-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = folder.appendingPathComponent("pan.mp4")
        try CameraMove.pan.make(from: try Fixtures.file("images/chelsea-cat.png"), to: clip, seconds: 1)
        let model = StyleModel(network: TransformerNet(seed: 3, baseChannels: 4),
                               metadata: .init(baseChannels: 4, scaling: .unit, style: "test"))
        return try modes.enumerated().map { index, mode in
            let report = folder.appendingPathComponent("report-\(index).json")
            try VideoRun(stylizer: FastStylizer(model: model), input: clip,
                         output: folder.appendingPathComponent("out-\(index).mp4"), maxDimension: 96, temporal: mode,
                         report: report).run()
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: report))
            return try #require(object as? [String: Any])
        }
    }

    @Test func reportHasStableKeysAndZeroStrengthChangesNothing() throws {
        let reports = try Self.reports([.none, .blend(strength: 0), .blend(strength: 0.9)])
        for report in reports { #expect(Set(report.keys) == Self.keys) }
        let (alone, zero, strong) = (reports[0], reports[1], reports[2])
        #expect(alone["frames"] as? Int == 10 && alone["fidelity"] as? Double == 0)
        #expect(zero["e_warp"] as? Double == alone["e_warp"] as? Double && zero["fidelity"] as? Double == 0)
        let (strongWarp, aloneWarp) = (try #require(strong["e_warp"] as? Double), try #require(alone["e_warp"] as? Double))
        #expect(strongWarp < aloneWarp && (strong["fidelity"] as? Double ?? 0) > 0, "\(strong) against \(alone)")
    }
}
