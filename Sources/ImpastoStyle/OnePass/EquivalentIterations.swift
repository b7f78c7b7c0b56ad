import Foundation
import ImpastoCore
import ImpastoModels

/// Settings of `EquivalentIterations`.
public struct EquivalentIterationsConfiguration: Sendable, Codable, Equatable {
    private static let recommended = StylizeConfiguration(preset: .recommended)

    /// The side of the square each photo is resized and centre-cropped to; 512 is one of the
    /// sizes Johnson et al. 2016 (§4.1) compare at.
    public var size = 512
    /// The most L-BFGS iterations per photo; a network L-BFGS has not caught up with by then is
    /// reported as at least this many. The recommended preset's 200 (see `StylizePreset`).
    public var iterationCap = recommended.totalSteps
    /// L-BFGS as the recommended preset runs it (a pyramid, the diagonal starting Hessian, the
    /// strong-Wolfe search), the fastest Impasto has, so that the count is not flattered by a weak
    /// baseline; but without the style warm-up, which optimises another objective at first.
    public var historySize = recommended.historySize
    public var startingHessian = LBFGS<TrainingLoss>.StartingHessian(rawValue: recommended.startingHessian.rawValue)!
    public var pyramidLevels = recommended.effectivePyramidLevels
    public var pyramidDecay = recommended.pyramidDecay

    public init() {}

    /// Throws the first setting that cannot work, naming it.
    public func validate() throws {
        func require(_ condition: Bool, _ setting: String, _ problem: String) throws {
            if !condition { throw ConfigurationError(setting: setting, problem: problem) }
        }
        try require(size >= 16 && size % 4 == 0, "size", "must be a multiple of 4, at least 16")
        try require(iterationCap >= 1, "iterationCap", "must be at least 1")
        try require(historySize >= 1, "historySize", "must be at least 1")
        try require((1...12).contains(pyramidLevels), "pyramidLevels", "must be 1–12")
        try require(pyramidDecay.isFinite && pyramidDecay > 0 && pyramidDecay <= 2, "pyramidDecay", "must be in (0, 2]")
    }
}

/// A network's worth in optimisation: the L-BFGS iterations, from the photo and on the very
/// objective the network was trained with, that reach the loss of the network's output (Johnson
/// et al. 2016, §4.1 and Fig. 5, report 50–100 at 256–1024 pixels).
///
/// Between two iterations the count is interpolated linearly in the loss, which L-BFGS's
/// line search only ever lowers.
public struct EquivalentIterations: Sendable {
    /// Where a measurement is: an L-BFGS iteration of one photo.
    public struct Progress: Sendable {
        /// Which photo (from 0) of how many.
        public var photo: Int
        public var photos: Int
        public var iteration: Int
        /// The loss of the L-BFGS image after `iteration`.
        public var loss: TrainingLoss
        /// The loss of the network's output, which L-BFGS is trying to reach.
        public var target: TrainingLoss
    }

    public let configuration: EquivalentIterationsConfiguration
    /// Scores images with the training objective; its network is not used.
    public let objective: FastStyleTrainer

    /// `training` gives the objective (its layers and weights), `painting` the style image as
    /// training loaded it.
    public init(configuration: EquivalentIterationsConfiguration, training: FastStyleTrainingConfiguration,
                vgg: VGG19, painting: Tensor) throws {
        try configuration.validate()
        try training.validate()
        self.configuration = configuration
        objective = FastStyleTrainer(configuration: training, vgg: vgg, style: painting)
    }

    /// Each photo at `configuration.size`, stylised by `network` and measured, in order. A
    /// network whose loss is not finite is refused: no number of iterations would match it.
    public func measure(_ network: TransformerNet, photos: [URL],
                        progress: (Progress) -> Void = { _ in }) throws -> [PhotoEquivalence] {
        guard !photos.isEmpty else { throw EquivalentIterationsError.noPhotos }
        return try photos.enumerated().map { index, url in
            let heldOut = try objective.heldOut(url, network: network, size: configuration.size)
            guard heldOut.loss.total.isFinite else { throw EquivalentIterationsError.notFinite(photo: url.relativePath) }
            var result = measure(output: heldOut.output, photo: heldOut.photo) { iteration, loss in
                progress(Progress(photo: index, photos: photos.count, iteration: iteration, loss: loss, target: heldOut.loss))
            }
            result.photo = url.relativePath
            return result
        }
    }

    /// The equivalent iterations of `output`, an image made from `photo` (both `1 × 3 × H × W`
    /// in [0, 1]); `progress` sees each L-BFGS iteration and its loss.
    public func measure(output: Tensor, photo: Tensor,
                        progress: (_ iteration: Int, _ loss: TrainingLoss) -> Void = { _, _ in }) -> PhotoEquivalence {
        let target = objective.perceptualLoss(of: output, photos: photo).1
        var descent = PerceptualDescent(photo: photo, objective: objective, configuration: configuration)
        let start = descent.loss
        var equivalent: Double? = start.total <= target.total ? 0 : nil
        var previous = start
        while equivalent == nil && descent.iterations < configuration.iterationCap && descent.step() {
            progress(descent.iterations, descent.loss)
            if descent.loss.total <= target.total {
                let fraction = (previous.total - target.total) / (previous.total - descent.loss.total)
                equivalent = Double(descent.iterations - 1) + fraction
            }
            previous = descent.loss
        }
        return PhotoEquivalence(photo: "", network: LossTerms(target), photoLoss: LossTerms(start),
                                lbfgs: LossTerms(descent.loss), lbfgsIteration: descent.iterations,
                                equivalentIterations: equivalent ?? Double(descent.iterations), reached: equivalent != nil,
                                lbfgsStop: equivalent == nil ? descent.stop?.rawValue : nil)
    }

    /// The L-BFGS image after `iterations` from `photo`, or after fewer when L-BFGS stops sooner.
    public func optimised(_ photo: Tensor, iterations: Int) -> Tensor {
        var descent = PerceptualDescent(photo: photo, objective: objective, configuration: configuration)
        while descent.iterations < iterations && descent.step() {}
        return descent.image
    }
}

public enum EquivalentIterationsError: Error, CustomStringConvertible, Equatable {
    case noPhotos
    case notFinite(photo: String)

    public var description: String {
        switch self {
        case .noPhotos: "no photos to measure on"
        case .notFinite(let photo): "the network's output for \(photo) has a loss that is not finite (NaN or infinite)"
        }
    }
}
