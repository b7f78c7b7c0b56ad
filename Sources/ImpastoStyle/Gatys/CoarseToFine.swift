import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels

/// A run in stages of growing size: `configuration.scales − 1` smaller versions of the problem
/// (`configuration.scaleSteps` steps each), each starting from the one before's result
/// upsampled, then the content's own size for the configured steps. With one scale it is a
/// plain run at full size.
///
/// The style images are resized in proportion at every scale (times `configuration.styleScale`),
/// so their Grams describe brush strokes of the same relative size; targets are recomputed at
/// each scale. A checkpoint names its stage, so a run interrupted at a small scale resumes there.
public struct CoarseToFine: Sendable {
    public let configuration: StylizeConfiguration
    /// (width, height) of each stage, smallest first, ending at the content's size.
    public let sizes: [(width: Int, height: Int)]
    /// The running stage, 1-based; `sizes.count` is the full size.
    public private(set) var scale: Int
    /// The running stage's optimisation.
    public private(set) var stage: Stylization
    private let network: VGG19
    private let content: Tensor
    private let styles: [Tensor]

    /// The image sizes of a coarse-to-fine run, smallest first, ending at `width × height`:
    /// each scale is √2 larger than the one before (Gatys et al. 2017 and neural-style's
    /// multires scripts use the same ratio).
    public static func sizes(width: Int, height: Int, scales: Int) -> [(width: Int, height: Int)] {
        (0..<max(scales, 1)).map { index in
            let factor = pow(2.0, -Double(max(scales, 1) - 1 - index) / 2)
            return (max(1, Int((Double(width) * factor).rounded())), max(1, Int((Double(height) * factor).rounded())))
        }
    }

    /// Prepares the first stage, or with `checkpoint` (saved by `run` for the same settings and
    /// images) the stage it was saved in, restored. Several styles are blended by
    /// `configuration.styleBlend`.
    public init(configuration: StylizeConfiguration, network: VGG19, content: Tensor, styles: [Tensor],
                resumingFrom checkpoint: StateArchive? = nil) throws {
        self.configuration = configuration
        self.network = network
        self.content = content
        self.styles = styles
        let sizes = Self.sizes(width: content.shape.w, height: content.shape.h, scales: configuration.scales)
        self.sizes = sizes
        scale = try checkpoint.map { try Self.savedStage(in: $0, stages: sizes.count) } ?? 1
        stage = try Self.stage(scale, of: sizes, configuration: configuration, network: network, content: content,
                               styles: styles, startingImage: nil)
        if let checkpoint { try stage.restore(from: checkpoint) }
    }

    public var isAtFullSize: Bool { scale == sizes.count }

    /// The running stage's image at the content's size (upsampled before the last stage).
    public func fullSizeImage() throws -> Tensor {
        try Stylization.resized(stage.image, like: content)
    }

    /// Runs the stages left; `onStep` hears each step with its stage's number. Checkpoints are
    /// taken within every stage, counting that stage's steps. Returns whether the last stage
    /// finished (false when `shouldStop` interrupted it).
    @discardableResult
    public mutating func run(shouldStop: () -> Bool = { false }, checkpointing: Stylization.Checkpointing? = nil,
                             onStep: (_ scale: Int, StylizeProgress) throws -> Void) throws -> Bool {
        while true {
            let scale = self.scale
            let finished = try stage.run(shouldStop: shouldStop, checkpointing: checkpointing.map(namingStage)) {
                try onStep(scale, $0)
            }
            guard finished, !isAtFullSize else { return finished }
            self.scale += 1
            stage = try Self.stage(self.scale, of: sizes, configuration: configuration, network: network,
                                   content: content, styles: styles, startingImage: stage.image)
        }
    }

    /// The stage an archive was saved in; one that names none was written at full size.
    private static func savedStage(in archive: StateArchive, stages: Int) throws -> Int {
        let saved = archive.contains("scale") ? try archive.value("scale") as Int : stages
        guard (1...stages).contains(saved) else {
            throw CheckpointError.otherStage(path: archive.path, stage: saved, stages: stages)
        }
        return saved
    }

    /// `checkpointing`, with each archive it saves carrying the stage's number and the whole
    /// run's settings in place of the stage's (which count only the stage's steps), so that
    /// `--resume` compares it with the command line.
    private func namingStage(_ checkpointing: Stylization.Checkpointing) -> Stylization.Checkpointing {
        let (scale, configuration) = (scale, configuration)
        return Stylization.Checkpointing(every: checkpointing.every) { archive in
            try checkpointing.save(try Self.named(archive, scale: scale, configuration: configuration))
        }
    }

    private static func named(_ archive: StateArchive, scale: Int, configuration: StylizeConfiguration) throws -> StateArchive {
        var archive = archive
        archive.set("scale", scale)
        try archive.set("configuration", json: configuration)
        return archive
    }

    /// Stage `index`: the problem resized to `sizes[index − 1]`, run for `scaleSteps` steps
    /// unless it is the last; only the first warms the style up, as the rest start stylised.
    private static func stage(_ index: Int, of sizes: [(width: Int, height: Int)], configuration: StylizeConfiguration,
                              network: VGG19, content: Tensor, styles: [Tensor], startingImage: Tensor?) throws -> Stylization {
        let size = sizes[index - 1]
        let factor = Double(size.width) / Double(content.shape.w) * Double(configuration.styleScale)
        var settings = configuration
        if index > 1 { settings.styleWarmup = 0 }
        if index < sizes.count {
            settings.epochs = 1
            settings.stepsPerEpoch = configuration.scaleSteps
        }
        let stageContent = index < sizes.count
            ? try ImageFile.resized(content, width: size.width, height: size.height) : content
        let stageStyles = factor == 1 ? styles : try styles.map { try resizedStyle($0, factor: factor) }
        return try Stylization(configuration: settings, network: network, content: stageContent, styles: stageStyles,
                               startingImage: startingImage)
    }

    private static func resizedStyle(_ style: Tensor, factor: Double) throws -> Tensor {
        let width = max(16, Int((Double(style.shape.w) * factor).rounded()))
        let height = max(16, Int((Double(style.shape.h) * factor).rounded()))
        return try ImageFile.resized(style, width: width, height: height)
    }
}
