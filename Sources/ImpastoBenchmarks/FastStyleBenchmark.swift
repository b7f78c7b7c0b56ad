import Foundation
@_spi(Benchmarks) import ImpastoCore
import ImpastoModels
import ImpastoStyle

/// Fast style transfer's speed: one pass of a full-width TransformerNet over a 512×512 image
/// and over a 1280×720 frame, one pass of the built-in 26-style network at 320×240, 640×480 and
/// 1280×720, and training steps at 256×256, batch 4 (VGG19 loss included).
/// Images are random; speed does not depend on the pixels.
public struct FastStyleBenchmark: Sendable {
    public var repeats: Int
    public var trainingSteps: Int

    public init(repeats: Int = 5, trainingSteps: Int = 3) {
        self.repeats = repeats
        self.trainingSteps = trainingSteps
    }

    public struct Report: Sendable, Codable {
        public var ms_512: Double
        public var ms_720p: Double
        public var frames_per_second_720p: Double
        public var ms_320x240_multistyle26: Double
        public var ms_640x480_multistyle26: Double
        public var ms_1280x720_multistyle26: Double
        public var frames_per_second_320x240_multistyle26: Double
        public var frames_per_second_640x480_multistyle26: Double
        public var frames_per_second_1280x720_multistyle26: Double
        public var train_images_per_second: Double
        public var peak_memory_mb: Double
        public var parameters: Int

        public var table: String {
            [String(format: "stylise 512×512:     %8.1f ms (median of runs)", ms_512),
             String(format: "stylise 1280×720:    %8.1f ms = %.2f frames/s", ms_720p, frames_per_second_720p),
             String(format: "26-style 320×240:    %8.1f ms = %.2f frames/s", ms_320x240_multistyle26,
                    frames_per_second_320x240_multistyle26),
             String(format: "26-style 640×480:    %8.1f ms = %.2f frames/s", ms_640x480_multistyle26,
                    frames_per_second_640x480_multistyle26),
             String(format: "26-style 1280×720:   %8.1f ms = %.2f frames/s", ms_1280x720_multistyle26,
                    frames_per_second_1280x720_multistyle26),
             String(format: "train 256×256 ×4:    %8.2f images/s (VGG19 loss and Adam included)", train_images_per_second),
             String(format: "peak memory:         %8.0f MB; network %d parameters", peak_memory_mb, parameters)]
                .joined(separator: "\n")
        }
    }

    /// `multiStyle` is the built-in 26-style network, timed with style 0 (the blend does not
    /// change the work).
    public func run(vgg: VGG19, multiStyle: MultiStyleNetwork, progress: (String) -> Void) throws -> Report {
        var generator = SeededGenerator(seed: 11)
        let model = StyleModel(network: TransformerNet(seed: 1), metadata: .init(baseChannels: 32, scaling: .unit, style: "random"))
        let stylizer = FastStylizer(model: model)
        progress("stylising 512×512 …")
        let square = Tensor(uniform: 0...1, shape: Shape(1, 3, 512, 512), using: &generator)
        let ms512 = medianMilliseconds { _ = stylizer.stylize(square) }
        progress("stylising 1280×720 …")
        let frame = Tensor(uniform: 0...1, shape: Shape(1, 3, 720, 1280), using: &generator)
        let ms720 = medianMilliseconds { _ = stylizer.stylize(frame) }
        let builtin = FastStylizer(network: .builtin(multiStyle, try .single(0)))
        let multiStyleMs = [(320, 240), (640, 480), (1280, 720)].map { width, height in
            progress("26-style network at \(width)×\(height) …")
            let image = Tensor(uniform: 0...1, shape: Shape(1, 3, height, width), using: &generator)
            return medianMilliseconds { _ = builtin.stylize(image) }
        }
        progress("training at 256×256, batch 4 …")
        var configuration = FastStyleTrainingConfiguration()
        configuration.seed = 1
        var trainer = FastStyleTrainer(configuration: configuration, vgg: vgg,
                                       style: Tensor(uniform: 0...1, shape: Shape(1, 3, 256, 256), using: &generator))
        let batch = Tensor(uniform: 0...1, shape: Shape(4, 3, 256, 256), using: &generator)
        _ = trainer.step(batch)
        let start = ContinuousClock.now
        for _ in 0..<trainingSteps { _ = trainer.step(batch) }
        let trainSeconds = (ContinuousClock.now - start).seconds
        return Report(ms_512: ms512, ms_720p: ms720, frames_per_second_720p: 1000 / ms720,
                      ms_320x240_multistyle26: multiStyleMs[0], ms_640x480_multistyle26: multiStyleMs[1],
                      ms_1280x720_multistyle26: multiStyleMs[2],
                      frames_per_second_320x240_multistyle26: 1000 / multiStyleMs[0],
                      frames_per_second_640x480_multistyle26: 1000 / multiStyleMs[1],
                      frames_per_second_1280x720_multistyle26: 1000 / multiStyleMs[2],
                      train_images_per_second: Double(4 * trainingSteps) / trainSeconds,
                      peak_memory_mb: peakResidentMegabytes(), parameters: model.network.parameterCount)
    }

    /// The median of `repeats` timed runs after one untimed warm-up.
    private func medianMilliseconds(_ body: () -> Void) -> Double {
        body()
        let times = (0..<max(repeats, 1)).map { _ in
            let start = ContinuousClock.now
            body()
            return (ContinuousClock.now - start).seconds * 1000
        }
        return times.sorted()[times.count / 2]
    }
}
