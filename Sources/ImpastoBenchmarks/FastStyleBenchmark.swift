import Foundation
@_spi(Benchmarks) import ImpastoCore
import ImpastoModels
import ImpastoStyle

/// One-pass speed: the arbitrary-style transformer (with the style vector of a painting), the
/// built-in 26-style network and a full-width TransformerNet, each on a 320×240, 640×480 and
/// 1280×720 frame through `FastStylizer` (as `apply` and `video` run them); the style predictor
/// on its 256×256 painting; and training steps at 256×256, batch 4 (VGG19 loss included).
/// Images are random; speed does not depend on the pixels.
public struct FastStyleBenchmark: Sendable {
    /// The frame sizes, as width × height.
    public static let sizes = [(320, 240), (640, 480), (1280, 720)]
    /// The networks, by the names the report's keys use.
    public static let networks = ["arbitrary", "multistyle26", "transformernet"]

    public var repeats: Int
    public var trainingSteps: Int

    public init(repeats: Int = 5, trainingSteps: Int = 3) {
        self.repeats = repeats
        self.trainingSteps = trainingSteps
    }

    public struct Report: Sendable {
        /// `ms_320x240_arbitrary`, `frames_per_second_1280x720_multistyle26`, …: median per frame.
        public var frames: [String: Double]
        public var style_vector_ms: Double
        public var train_images_per_second: Double
        public var peak_memory_mb: Double
        public var transformernet_parameters: Int

        /// Every figure under its stable key.
        public var values: [String: Double] {
            frames.merging(["style_vector_ms": style_vector_ms, "train_images_per_second": train_images_per_second,
                            "peak_memory_mb": peak_memory_mb,
                            "transformernet_parameters": Double(transformernet_parameters)]) { first, _ in first }
        }

        public var table: String {
            var lines = ["network          " + FastStyleBenchmark.sizes.map { "\($0)×\($1)".padding(20) }.joined()]
            for network in FastStyleBenchmark.networks {
                let cells = FastStyleBenchmark.sizes.map { width, height in
                    let key = "\(width)x\(height)_\(network)"
                    return String(format: "%7.1f ms %5.1f f/s", frames["ms_" + key]!, frames["frames_per_second_" + key]!)
                        .padding(20)
                }
                lines.append(network.padding(17) + cells.joined())
            }
            lines += [String(format: "style vector (256×256 painting): %.1f ms", style_vector_ms),
                      String(format: "train 256×256 ×4: %.2f images/s (VGG19 loss and Adam included)", train_images_per_second),
                      String(format: "peak memory: %.0f MB; TransformerNet %d parameters", peak_memory_mb,
                             transformernet_parameters)]
            return lines.joined(separator: "\n")
        }
    }

    /// `arbitrary` is timed with a random painting's style vector, `multiStyle` with style 0
    /// (neither changes the work).
    public func run(vgg: VGG19, arbitrary: ArbitraryStylizer, multiStyle: MultiStyleNetwork,
                    progress: (String) -> Void) throws -> Report {
        var generator = SeededGenerator(seed: 11)
        let side = StylePredictor.inputSide
        let painting = Tensor(uniform: 0...1, shape: Shape(1, 3, side, side), using: &generator)
        progress("style vector of a 256×256 painting …")
        let styleVectorMs = try medianMilliseconds { _ = try arbitrary.styleVector(of: painting) }
        let model = StyleModel(network: TransformerNet(seed: 1), metadata: .init(baseChannels: 32, scaling: .unit, style: "random"))
        let stylizers: [String: FastStylizer] = [
            "arbitrary": FastStylizer(network: .arbitrary(arbitrary, styleVector: try arbitrary.styleVector(of: painting))),
            "multistyle26": FastStylizer(network: .builtin(multiStyle, try .single(0))),
            "transformernet": FastStylizer(model: model),
        ]
        var frames: [String: Double] = [:]
        for (width, height) in Self.sizes {
            let image = Tensor(uniform: 0...1, shape: Shape(1, 3, height, width), using: &generator)
            for network in Self.networks {
                progress("\(network) at \(width)×\(height) …")
                let ms = try medianMilliseconds { _ = try stylizers[network]!.stylize(image) }
                frames["ms_\(width)x\(height)_\(network)"] = ms
                frames["frames_per_second_\(width)x\(height)_\(network)"] = 1000 / ms
            }
        }
        progress("training at 256×256, batch 4 …")
        return Report(frames: frames, style_vector_ms: styleVectorMs,
                      train_images_per_second: trainingImagesPerSecond(vgg: vgg, using: &generator),
                      peak_memory_mb: peakResidentMegabytes(), transformernet_parameters: model.network.parameterCount)
    }

    private func trainingImagesPerSecond(vgg: VGG19, using generator: inout SeededGenerator) -> Double {
        var configuration = FastStyleTrainingConfiguration()
        configuration.seed = 1
        var trainer = FastStyleTrainer(configuration: configuration, vgg: vgg,
                                       style: Tensor(uniform: 0...1, shape: Shape(1, 3, 256, 256), using: &generator))
        let batch = Tensor(uniform: 0...1, shape: Shape(4, 3, 256, 256), using: &generator)
        _ = trainer.step(batch)
        let start = ContinuousClock.now
        for _ in 0..<trainingSteps { _ = trainer.step(batch) }
        return Double(4 * trainingSteps) / (ContinuousClock.now - start).seconds
    }

    /// The median of `repeats` timed runs after one untimed warm-up.
    private func medianMilliseconds(_ body: () throws -> Void) rethrows -> Double {
        try body()
        let times = try (0..<max(repeats, 1)).map { _ in
            let start = ContinuousClock.now
            try body()
            return (ContinuousClock.now - start).seconds * 1000
        }
        return times.sorted()[times.count / 2]
    }
}

private extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
