import Foundation
import ImpastoCore
import ImpastoModels

/// How the optimisation starts.
public enum Initialization: Sendable, Equatable, Codable {
    /// The content image, as the tutorial does.
    case content
    /// Uniform noise in [0, 1] from the run's seed.
    case noise
    /// An image file, resized to the content's size.
    case file(String)
}

/// The optimiser a run uses.
public enum OptimizerKind: String, Sendable, Codable, CaseIterable {
    /// Keras' Adam, the reference's.
    case adam
    /// L-BFGS (see `LBFGS`).
    case lbfgs
}

/// Where a run's settings start, before any are changed.
public enum StylizePreset: String, Sendable, Codable, CaseIterable {
    /// The best picture per second Impasto has: L-BFGS on a 5-level pyramid with the diagonal
    /// starting Hessian and the style warm-up, which reaches the tutorial's final loss in 13–19 %
    /// of its time (docs/benchmarks.md). 200 iterations leave a margin over the ~150 that takes;
    /// it stops sooner once the loss changes by under 0.05 % for 10 iterations in a row.
    case recommended
    /// The reference tutorial's run exactly: Keras' Adam for 10 epochs of 100 steps.
    case tutorial
}

/// Every setting of an optimisation-based run. The defaults are the reference tutorial's
/// (`StylizePreset.tutorial`); `init(preset:)` starts from another preset.
public struct StylizeConfiguration: Sendable, Equatable, Codable {
    /// The longer side of the content and style images is shrunk to at most this.
    public var maxDimension = 512
    public var contentLayers: [VGG19.Layer] = [.block5_conv2]
    public var styleLayers: [VGG19.Layer] = [.block1_conv1, .block2_conv1, .block3_conv1, .block4_conv1, .block5_conv1]
    /// One weight per style layer (λ_l); nil means 1 for each.
    public var styleLayerWeights: [Float]?
    public var lossWeights = LossWeights()
    public var optimizer = OptimizerKind.adam
    /// nil: 0.02 for Adam (the tutorial's), 1 for L-BFGS (a full quasi-Newton step).
    public var learningRate: Float?
    /// L-BFGS: curvature pairs kept.
    public var historySize = 100
    /// L-BFGS: how the step length is chosen.
    public var lineSearch = LBFGS<LossReport>.LineSearch.strongWolfe
    /// L-BFGS: its starting inverse Hessian; the diagonal one needs fewer iterations here.
    public var startingHessian = LBFGS<LossReport>.StartingHessian.diagonal
    /// L-BFGS: levels of the pyramid it optimises (see `PixelPyramid`); 1 works on the pixels.
    /// nil: 5 for L-BFGS with its line search (it reaches the reference's loss in fewer steps),
    /// else 1: Adam works on the pixels as the reference does, and L-BFGS's fixed unit steps
    /// overshoot on the pyramid (on the reference workload the image was all clipped by step 4).
    public var pyramidLevels: Int?
    /// L-BFGS: the pyramid's per-level factor d.
    public var pyramidDecay: Float = 0.7
    /// Iterations per stage of the style warm-up (see `StyleWarmup`; 0 = none). nil: 15 for
    /// L-BFGS, 0 for Adam, whose reference run has none. Only the first coarse-to-fine stage
    /// warms up: the later ones start from a stylised image.
    public var styleWarmup: Int?
    public var beta1: Float = 0.99
    public var beta2: Float = 0.999
    public var epsilon: Float = 0.1
    public var epochs = 10
    public var stepsPerEpoch = 100
    public var initialization = Initialization.content
    public var seed: UInt64 = 0
    public var pooling = Pooling.max
    /// Coarse-to-fine: the number of sizes (1 = the full size only), each √2 larger than the last.
    public var scales = 1
    /// Coarse-to-fine: steps at each size before the full one.
    public var scaleSteps = 100
    /// Multiplies the style image's size (at every scale).
    public var styleScale: Float = 1
    /// One blend weight per style image; nil means equal weights.
    public var styleBlend: [Float]?
    public var colorPreservation = ColorPreservation.none
    /// Stop once the loss changes by less than this fraction of itself for `toleranceSteps`
    /// steps in a row; nil runs every step.
    public var tolerance: Double?
    public var toleranceSteps = 10
    /// Run VGG19 tile by tile (see `TiledObjective`) so that memory follows the tile's size, not
    /// the image's; nil runs it over the whole image at once.
    public var tile: TileSettings?

    /// The reference tutorial's settings.
    public init() {}

    public init(preset: StylizePreset) {
        self.init()
        guard preset == .recommended else { return }
        optimizer = .lbfgs
        epochs = 1
        stepsPerEpoch = 200
        tolerance = 5e-4
    }

    public var totalSteps: Int { epochs * stepsPerEpoch }

    /// The style layers with their weights.
    public var weightedStyleLayers: [VGG19.Layer: Float] {
        Dictionary(uniqueKeysWithValues: styleLayers.enumerated().map { index, layer in
            (layer, styleLayerWeights?[index] ?? 1)
        })
    }

    public var effectiveLearningRate: Float { learningRate ?? (optimizer == .adam ? 0.02 : 1) }

    public var effectivePyramidLevels: Int {
        pyramidLevels ?? (optimizer == .lbfgs && lineSearch == .strongWolfe ? 5 : 1)
    }

    public var effectiveStyleWarmup: StyleWarmup {
        StyleWarmup(iterationsPerStage: styleWarmup ?? (optimizer == .lbfgs ? 15 : 0))
    }

    public func makeOptimizer() -> GatysTransfer.Optimizer {
        switch optimizer {
        case .adam:
            .adam(Adam(learningRate: effectiveLearningRate, beta1: beta1, beta2: beta2, epsilon: epsilon))
        case .lbfgs:
            // The style objective is a weighted sum of squares, so it is never below 0.
            .lbfgs(LBFGS(historySize: historySize, lineSearch: lineSearch, startingHessian: startingHessian,
                         learningRate: effectiveLearningRate, valueLowerBound: 0))
        }
    }

    /// Throws the first setting that cannot work, naming it.
    public func validate() throws {
        func require(_ condition: Bool, _ setting: String, _ problem: String) throws {
            if !condition { throw ConfigurationError(setting: setting, problem: problem) }
        }
        try require(maxDimension >= 16, "maxDimension", "must be at least 16 pixels, not \(maxDimension)")
        try require(!contentLayers.isEmpty || !styleLayers.isEmpty, "contentLayers", "no content or style layers")
        try require(Set(styleLayers).count == styleLayers.count, "styleLayers", "a layer is listed twice")
        try require(Set(contentLayers).count == contentLayers.count, "contentLayers", "a layer is listed twice")
        if let styleLayerWeights {
            try require(styleLayerWeights.count == styleLayers.count, "styleLayerWeights",
                        "gives \(styleLayerWeights.count) weights for \(styleLayers.count) style layers")
            try requireWeights(styleLayerWeights, "styleLayerWeights")
        }
        try requireWeights([lossWeights.content], "lossWeights.content")
        try requireWeights([lossWeights.style], "lossWeights.style")
        try requireWeights([lossWeights.totalVariation], "lossWeights.totalVariation")
        try require(effectiveLearningRate.isFinite && effectiveLearningRate > 0, "learningRate", "must be a positive number")
        try require(historySize >= 1, "historySize", "must be at least 1")
        if let pyramidLevels {
            try require((1...12).contains(pyramidLevels), "pyramidLevels", "must be 1–12")
            try require(pyramidLevels == 1 || optimizer == .lbfgs, "pyramidLevels",
                        "applies to the L-BFGS optimiser only (Adam works on the pixels, as the reference does)")
        }
        try require(pyramidDecay.isFinite && pyramidDecay > 0 && pyramidDecay <= 2, "pyramidDecay", "must be in (0, 2]")
        if let styleWarmup { try require(styleWarmup >= 0, "styleWarmup", "must be 0 or more, not \(styleWarmup)") }
        try require((1...8).contains(scales), "scales", "must be 1–8")
        try require(scaleSteps >= 1, "scaleSteps", "must be at least 1")
        if let styleBlend {
            try requireWeights(styleBlend, "styleBlend")
            try require(styleBlend.reduce(0, +) > 0, "styleBlend", "must have a positive weight")
        }
        try require(styleScale.isFinite && styleScale > 0 && styleScale <= 4, "styleScale", "must be in (0, 4]")
        try require((0..<1).contains(beta1), "beta1", "must be in [0, 1)")
        try require((0..<1).contains(beta2), "beta2", "must be in [0, 1)")
        try require(epsilon.isFinite && epsilon > 0, "epsilon", "must be a positive number")
        try require(epochs >= 1, "epochs", "must be at least 1")
        try require(stepsPerEpoch >= 1, "stepsPerEpoch", "must be at least 1")
        if let tolerance {
            try require(tolerance.isFinite && tolerance > 0 && tolerance < 1, "tolerance", "must be in (0, 1)")
        }
        try require(toleranceSteps >= 1, "toleranceSteps", "must be at least 1")
        try tile?.validate()
    }

    private func requireWeights(_ weights: [Float], _ setting: String) throws {
        for weight in weights where !(weight.isFinite && weight >= 0) {
            throw ConfigurationError(setting: setting, problem: "must be a finite number ≥ 0, not \(weight)")
        }
    }
}

/// A setting that cannot work. `setting` is its name in the configuration (`maxDimension`,
/// `lossWeights.style`), so that each front end can say it in its own words (a flag, a form field).
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public var setting: String
    public var problem: String

    public init(setting: String, problem: String) {
        self.setting = setting
        self.problem = problem
    }

    public var description: String { "\(setting) \(problem)" }
}
