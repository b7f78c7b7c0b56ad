import ArgumentParser
import Foundation
import ImpastoBenchmarks
import ImpastoCore
import ImpastoImage
import ImpastoModels
import ImpastoStyle

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Impasto's speed on this machine.",
        subcommands: [Conv.self, Stylize.self, Quality.self, Fast.self, Flicker.self]
    )

    struct Conv: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "VGG19 conv1_1…conv5_2, forward and backward-data, against a 4096³ sgemm."
        )

        @Option(help: "Input height.") var height = 300
        @Option(help: "Input width.") var width = 451
        @Option(help: "Timed repeats per layer (the median is reported).") var repeats = 5
        @Option(help: "automatic (Winograd where it is faster) or direct.") var convolutions: ConvolutionAlgorithm = .automatic
        @Flag(help: "Print one JSON object instead of a table.") var json = false

        func validate() throws {
            guard height >= 16, width >= 16 else { throw ValidationError("--height and --width must be at least 16") }
            guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
        }

        func run() throws {
            ConvolutionAlgorithm.current = convolutions
            let report = ConvolutionBenchmark(height: height, width: width, repeats: repeats).run()
            print(json ? try report.json() : report.table)
        }
    }
}

extension Bench {
    struct Stylize: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Seconds per Adam step of the reference loop, against its convolutions alone, and peak memory."
        )

        @OptionGroup var workload: ReferenceWorkload
        @Option(help: "Timed steps (the median is reported).") var steps = 20
        @Flag(help: "Print one JSON object instead of a table.") var json = false
        @OptionGroup var network: NetworkOptions

        func run() throws {
            guard steps >= 1 else { throw CommandError("--steps must be at least 1") }
            let benchmark = StylizeBenchmark(content: workload.contentURL, style: workload.styleURL,
                                             steps: steps)
            let report = try benchmark.run(network: try network.loadNetwork())
            print(json ? try sortedJSON(report) : report.table)
        }
    }
}

extension Bench {
    struct Quality: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Wall time for L-BFGS and coarse-to-fine to reach the loss of the reference's 1000 Adam steps."
        )

        @OptionGroup var workload: ReferenceWorkload
        @Option(help: "Reference Adam steps.") var steps = 1000
        @Option(help: "Evaluate the full-size loss every N steps.") var checkEvery = 10
        @Option(help: "Write the loss-versus-time curves here as CSV.") var csv: String?
        @Option(help: "Plot the curves into this PNG.") var plot: String?
        @OptionGroup var network: NetworkOptions

        func run() throws {
            guard steps >= 1, checkEvery >= 1 else { throw CommandError("--steps and --check-every must be at least 1") }
            let inputs = [workload.content, workload.style]
            let csvURL = try csv.map { try checkOutput($0, flag: "--csv", inputs: inputs, extensions: ["csv"]) }
            let plotURL = try plot.map { try checkOutput($0, flag: "--plot", inputs: inputs, extensions: ["png"]) }
            let benchmark = QualityBenchmark(content: workload.contentURL, style: workload.styleURL,
                                             referenceSteps: steps, checkEvery: checkEvery)
            let report = try benchmark.run(network: try network.loadNetwork()) { Terminal.status($0) }
            print(report.table)
            if let csvURL { try report.csv.write(to: csvURL, atomically: true, encoding: .utf8) }
            if let plotURL { try renderSVG(report.plotSVG, to: plotURL) }
        }
    }
}

/// The reference workload's images, shared by the benchmarks that run the whole loop. The
/// defaults are committed with the tests, so a fresh clone benchmarks from its root.
struct ReferenceWorkload: ParsableArguments {
    @Option(help: "Content image (default: the committed fixture, relative to the repository root).")
    var content = "Tests/Fixtures/images/chelsea-cat.png"
    @Option(help: "Style image (default: the committed fixture).") var style = "Tests/Fixtures/images/starry-night.jpg"

    var contentURL: URL { URL(fileURLWithPath: content) }
    var styleURL: URL { URL(fileURLWithPath: style) }
}

/// Renders SVG text to a PNG through libvips (librsvg), via a temporary file beside the PNG.
func renderSVG(_ svg: String, to url: URL) throws {
    let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).svg")
    defer { try? FileManager.default.removeItem(at: temporary) }
    try svg.write(to: temporary, atomically: true, encoding: .utf8)
    try ImageFile.save(try ImageFile.load(temporary), to: url)
}

extension Bench {
    struct Fast: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One-pass speed: the arbitrary-style, 26-style and TransformerNet networks at 320×240, 640×480 and "
                + "1280×720, the style vector, training images/s at 256×256 batch 4."
        )

        @Option(help: "Timed runs per size (the median is reported).") var repeats = 5
        @Option(help: "Timed training steps.") var trainingSteps = 3
        @Flag(help: ArgumentHelp("Print one JSON object (ms_320x240_arbitrary, frames_per_second_640x480_multistyle26, "
                                 + "style_vector_ms, train_images_per_second, …) instead of a table."))
        var json = false
        @OptionGroup var network: NetworkOptions

        func run() throws {
            guard repeats >= 1, trainingSteps >= 1 else { throw CommandError("--repeats and --training-steps must be at least 1") }
            let arbitrary = try ArbitraryStylizer.fetched { Terminal.status($0) }
            let multiStyle = try MultiStyleNetwork.fetched { Terminal.status($0) }
            let report = try FastStyleBenchmark(repeats: repeats, trainingSteps: trainingSteps)
                .run(vgg: try network.loadNetwork(), arbitrary: arbitrary, multiStyle: multiStyle) { Terminal.status($0) }
            print(json ? try sortedJSON(report.values) : report.table)
        }
    }
}

func sortedJSON(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
