import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels

/// What a run reports after each step.
public struct StylizeProgress: Sendable {
    /// Steps completed, 1-based.
    public var step: Int
    public var totalSteps: Int
    /// 1-based epoch and step within it.
    public var epoch: Int
    public var stepInEpoch: Int
    /// The loss of the image the step started from, as the tutorial reports it.
    public var report: LossReport
    /// Wall time since the first step began.
    public var elapsed: Duration
    /// The image after this step's update.
    public var image: Tensor
    /// Objective evaluations so far (L-BFGS may use several per step).
    public var evaluations: Int
    /// Why the run stopped early, when the optimiser says it cannot go on.
    public var stopReason: String?
}

/// Thrown by `Stylization.run` when step `step` (1-based) met a value that is not a finite
/// number; the stylisation cannot go on. `imageBefore` is the image that step started from.
public struct NonFiniteStep: Error, CustomStringConvertible {
    public var value: NonFiniteValue
    public var step: Int
    public var imageBefore: Tensor

    public var description: String { "\(value) became NaN or infinite at step \(step)" }
}

/// A whole optimisation-based run: the objective built from the images, the starting image,
/// and the step loop with its progress.
public struct Stylization: Sendable {
    public let configuration: StylizeConfiguration
    public private(set) var transfer: GatysTransfer
    /// `--tolerance`: the last reported loss and how many steps in a row changed it by less.
    private var lastLoss: Double?
    private var calmSteps = 0

    /// Where and how often `run` saves its state.
    public struct Checkpointing {
        public var every: Int
        public var save: (StateArchive) throws -> Void

        public init(every: Int, save: @escaping (StateArchive) throws -> Void) {
            self.every = every
            self.save = save
        }
    }

    /// Builds the objective (content and style targets, computed once; tile by tile with
    /// `configuration.tile`) and the starting image:
    /// `startingImage` when given (coarse-to-fine passes its upsampled result), else the
    /// configured initialisation.
    public init(configuration: StylizeConfiguration, network: VGG19, content: Tensor, style: Tensor,
                startingImage: Tensor? = nil) throws {
        try self.init(configuration: configuration, network: network, content: content, styles: [style],
                      startingImage: startingImage)
    }

    /// Several styles, blended by `configuration.styleBlend` (equal weights when nil).
    public init(configuration: StylizeConfiguration, network: VGG19, content: Tensor, styles: [Tensor],
                startingImage: Tensor? = nil) throws {
        self.configuration = configuration
        var network = network
        network.pooling = configuration.pooling
        let blend = configuration.styleBlend ?? Array(repeating: 1, count: styles.count)
        let objective = StyleObjective(network: network, content: content, styles: Array(zip(styles, blend)),
                                       contentLayers: configuration.contentLayers,
                                       styleLayers: configuration.weightedStyleLayers, weights: configuration.lossWeights,
                                       tiling: configuration.tile)
        let start = try startingImage.map { try Self.resized($0, like: content) }
            ?? Self.initialImage(configuration.initialization, content: content, seed: configuration.seed)
        transfer = GatysTransfer(objective: objective, initialImage: start, optimizer: configuration.makeOptimizer(),
                                 pyramidLevels: configuration.effectivePyramidLevels,
                                 pyramidDecay: configuration.pyramidDecay,
                                 styleWarmup: configuration.effectiveStyleWarmup)
    }

    /// The current image.
    public var image: Tensor { transfer.image }

    /// Steps until the configured count, until the optimiser stops (L-BFGS converged or its line
    /// search failed), until the loss settles (`configuration.tolerance`) or until `shouldStop`
    /// returns true (checked after each step, so an interrupted run still ends on a whole step).
    /// With `checkpointing`, the state is saved every `every` steps and when interrupted.
    /// Returns whether it finished. A step that meets a value that is not finite throws
    /// `NonFiniteStep` before it is reported or saved, so no checkpoint holds its state.
    @discardableResult
    public mutating func run(shouldStop: () -> Bool = { false }, checkpointing: Checkpointing? = nil,
                             onStep: (StylizeProgress) throws -> Void) throws -> Bool {
        let clock = ContinuousClock()
        let start = clock.now
        let total = configuration.totalSteps
        while transfer.stepsTaken < total {
            let before = transfer.image
            let outcome = transfer.step()
            let step = transfer.stepsTaken
            if let value = outcome.nonFinite { throw NonFiniteStep(value: value, step: step, imageBefore: before) }
            let stopReason = outcome.stopReason ?? settled(outcome.report.total)
            try onStep(StylizeProgress(step: step, totalSteps: total,
                                       epoch: (step - 1) / configuration.stepsPerEpoch + 1,
                                       stepInEpoch: (step - 1) % configuration.stepsPerEpoch + 1,
                                       report: outcome.report, elapsed: clock.now - start, image: transfer.image,
                                       evaluations: transfer.evaluations, stopReason: stopReason))
            let interrupted = shouldStop() && step < total && stopReason == nil
            if let checkpointing, step % checkpointing.every == 0 || interrupted {
                try checkpointing.save(try archive())
            }
            // A converged optimiser has nothing left to do: the run is complete.
            if stopReason != nil { return true }
            if interrupted { return false }
        }
        return true
    }

    /// The reason to stop when the loss has changed by less than the tolerance (relative to its
    /// size) for `toleranceSteps` steps in a row.
    private mutating func settled(_ loss: Double) -> String? {
        defer { lastLoss = loss }
        guard let tolerance = configuration.tolerance, let lastLoss else { return nil }
        calmSteps = abs(loss - lastLoss) <= tolerance * abs(lastLoss) ? calmSteps + 1 : 0
        guard calmSteps >= configuration.toleranceSteps else { return nil }
        return "converged (loss changed by less than \(tolerance) of itself for \(calmSteps) steps)"
    }

    /// The whole state: settings, image, optimiser and counters.
    public func archive() throws -> StateArchive {
        var archive = StateArchive()
        try archive.set("configuration", json: configuration)
        try transfer.archive(into: &archive)
        archive.set("calm_steps", calmSteps)
        if let lastLoss { archive.set("last_loss", lastLoss) }
        return archive
    }

    /// The settings a checkpoint was written with.
    public static func configuration(of archive: StateArchive) throws -> StylizeConfiguration {
        try archive.decoded("configuration")
    }

    /// Continues from a checkpoint of a run with this objective and image size.
    public mutating func restore(from archive: StateArchive) throws {
        try transfer.restore(from: archive)
        calmSteps = try archive.value("calm_steps")
        lastLoss = archive.contains("last_loss") ? try archive.value("last_loss") as Double : nil
    }

    static func initialImage(_ initialization: Initialization, content: Tensor, seed: UInt64) throws -> Tensor {
        switch initialization {
        case .content:
            return content
        case .noise:
            var generator = SeededGenerator(seed: seed)
            return Tensor(uniform: 0...1, shape: content.shape, using: &generator)
        case .file(let path):
            return try resized(try ImageFile.load(URL(fileURLWithPath: path)), like: content)
        }
    }

    static func resized(_ image: Tensor, like reference: Tensor) throws -> Tensor {
        guard image.shape != reference.shape else { return image }
        return try ImageFile.resized(image, width: reference.shape.w, height: reference.shape.h)
    }
}
