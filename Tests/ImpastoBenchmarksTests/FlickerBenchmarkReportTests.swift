import Foundation
@testable import ImpastoBenchmarks
import Testing

@Suite("Flicker benchmark report")
struct FlickerBenchmarkReportTests {
    /// Scripts read `bench flicker --json`, so every key is written, at every level.
    @Test func jsonKeysAreStable() throws {
        let method = FlickerBenchmark.Method(method: "blend", strength: 0.6, e_warp: 0.002, fidelity: 0.004,
                                             e_warp_reduction: 9.5, extra_ms_per_frame: 25, extra_ms_per_frame_fastest: 22)
        let report = FlickerBenchmark.Report(width: 640, height: 480, network_ms_per_frame: 300, clips: [
            .init(clip: "pan", frames: 30, input_e_warp: 6e-6, reliable_fraction: 0.98, methods: [method])])
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
        let clip = try #require((object["clips"] as? [[String: Any]])?.first)
        let entry = try #require((clip["methods"] as? [[String: Any]])?.first)
        #expect(Set(object.keys) == ["width", "height", "network_ms_per_frame", "clips"])
        #expect(Set(clip.keys) == ["clip", "frames", "input_e_warp", "reliable_fraction", "methods"])
        #expect(Set(entry.keys) == ["method", "strength", "e_warp", "fidelity", "e_warp_reduction", "extra_ms_per_frame",
                                    "extra_ms_per_frame_fastest"])
        #expect(report.table.contains("pan       blend           0.60"), "\(report.table)")
    }
}
