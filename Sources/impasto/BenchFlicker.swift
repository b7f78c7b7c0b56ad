import ArgumentParser
import Foundation
import ImpastoBenchmarks
import ImpastoStyle

extension Bench {
    struct Flicker: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Flicker of stylised video on pan, zoom and rotation clips made from a photo, at 640×480: E_warp, "
                + "fidelity and extra ms per frame, frame by frame and with --temporal blend at several strengths."
        )

        @OptionGroup var network: OnePassNetworkOptions
        @OptionGroup var look: OnePassLookOptions
        @Option(help: "The photo the camera moves over (default: the committed fixture, relative to the repository root).")
        var photo = "Tests/Fixtures/images/chelsea-cat.png"
        @Option(help: ArgumentHelp("--temporal blend strengths to measure, separated by commas.", valueName: "list"))
        var temporalStrengths = "0.5,0.6,0.7,0.8"
        @Option(help: "Length of each clip in seconds (10 frames per second).") var seconds = 3
        @Flag(help: ArgumentHelp("Print one JSON object (width, height, network_ms_per_frame, clips: clip, frames, "
                                 + "input_e_warp, reliable_fraction, methods: method, strength, e_warp, fidelity, "
                                 + "e_warp_reduction, extra_ms_per_frame, extra_ms_per_frame_fastest) instead of a table."))
        var json = false

        func validate() throws {
            _ = try strengths
            guard (1...10).contains(seconds) else { throw ValidationError("--seconds must be 1–10, not \(seconds)") }
            guard FileManager.default.fileExists(atPath: photo) else { throw ValidationError("--photo \(photo): no such file") }
        }

        /// `--temporal-strengths` parsed, each in 0…1.
        var strengths: [Float] {
            get throws {
                let values = temporalStrengths.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces)) }
                guard !values.isEmpty, values.allSatisfy({ $0.map { $0.isFinite && (0...1).contains($0) } ?? false }) else {
                    throw ValidationError("--temporal-strengths \(temporalStrengths): give numbers in 0…1 separated by commas")
                }
                return values.map { $0! }
            }
        }

        func run() throws {
            let (model, _) = try network.model(andInputsFrom: [])
            let stylizer = try network.stylizer(model: model, look: look, quiet: false)
            let benchmark = FlickerBenchmark(photo: URL(fileURLWithPath: photo), strengths: try strengths, seconds: seconds)
            let report = try benchmark.run(stylizer: stylizer) { Terminal.status($0) }
            print(json ? try sortedJSON(report) : report.table)
        }
    }
}
