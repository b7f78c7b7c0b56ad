import ArgumentParser
import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels
import ImpastoStyle

/// The flags that set `StylizeConfiguration`. Each is optional: a flag that is not given leaves
/// the preset's value.
struct StylizeSettingOptions: ParsableArguments {
    @Option(help: "Comma-separated blend weights, one per style, the positional one first (default equal).")
    var styleBlend: NumberList?
    @Option(help: "Colour: none (the painting's), luminance (keep the photo's colours) or histogram (recolour the painting first).")
    var preserveColors: ColorPreservation?
    @Option(help: "Comma-separated content layers (block5_conv2 or relu5_2 style names; default block5_conv2).",
            transform: layerList)
    var contentLayers: [VGG19.Layer]?
    @Option(help: "Comma-separated style layers (default block1_conv1…block5_conv1).", transform: layerList)
    var styleLayers: [VGG19.Layer]?
    @Option(help: "Comma-separated weights, one per style layer (default 1 each).") var styleLayerWeights: NumberList?
    @Option(help: "Content loss weight (default 1e4).") var contentWeight: Float?
    @Option(help: "Style loss weight (default 1e-2).") var styleWeight: Float?
    @Option(help: "Total-variation weight (default 4e-4).") var tvWeight: Float?
    @Option(help: "Optimizer (recommended: lbfgs; tutorial: adam).") var optimizer: OptimizerKind?
    @Option(help: "Learning rate (default 0.02 for Adam, 1 for L-BFGS).") var learningRate: Float?
    @Option(help: "L-BFGS: curvature pairs kept (default 100).") var historySize: Int?
    @Option(help: "L-BFGS line search (default strong-wolfe).") var lineSearch: LBFGS<LossReport>.LineSearch?
    @Option(help: ArgumentHelp("L-BFGS starting inverse Hessian: diagonal (each pixel scaled by its running RMS "
                               + "gradient, as Adam does; the default, fewer iterations) or scalar (the textbook's and PyTorch's)."))
    var startingHessian: LBFGS<LossReport>.StartingHessian?
    @Option(help: ArgumentHelp("L-BFGS: optimise the image as a pyramid of this many levels, each half the size "
                               + "of the last (1 = the pixels; default 5, or 1 with --line-search none, whose fixed steps overshoot on it)."))
    var pyramidLevels: Int?
    @Option(help: "L-BFGS: how much less each coarser pyramid level weighs (default 0.7).") var pyramidDecay: Float?
    @Option(help: ArgumentHelp("Bring the style in by stages: its weight times 0.4³, 0.4², 0.4 for this many "
                               + "steps each, then in full (0 = from the start; default 15 for L-BFGS, 0 for Adam)."))
    var styleWarmup: Int?
    @Option(help: "Adam β1 (default 0.99).") var beta1: Float?
    @Option(help: "Adam β2 (default 0.999).") var beta2: Float?
    @Option(help: "Adam ε, Keras form: added to √v, not bias-corrected (default 0.1).") var epsilon: Float?
    @Option(help: "Epochs (recommended: 1; tutorial: 10).") var epochs: Int?
    @Option(help: "Steps per epoch (recommended: 200; tutorial: 100).") var stepsPerEpoch: Int?
    @Option(name: .customLong("init"), help: "Starting image: content (default), noise or an image file.")
    var initialization: Initialization?
    @Option(help: "Random seed (for noise); a random one is chosen and printed if omitted.") var seed: UInt64?
    @Option(help: "VGG19 pooling (default max).") var pooling: Pooling?
    @Option(help: "Coarse-to-fine: number of sizes, each √2 larger (default 1 = full size only).") var scales: Int?
    @Option(help: "Coarse-to-fine: steps at each smaller size (default 100).") var scaleSteps: Int?
    @Option(help: "Multiply the style image's size by this (default 1).") var styleScale: Float?
    @Option(help: ArgumentHelp("Stop once the loss changes by less than this fraction of itself for --tolerance-steps "
                               + "steps in a row (recommended: 5e-4; tutorial: never)."))
    var tolerance: Double?
    @Option(help: "Steps in a row for --tolerance (default 10).") var toleranceSteps: Int?
    @Option(help: ArgumentHelp("Run VGG19 over tiles of this many pixels a side (512 is a good start) instead of the "
                               + "whole image: the same result, in the memory of one tile, about 2–5× slower a step; "
                               + "for print sizes. (default: whole image)", valueName: "size"))
    var tile: Int?

    /// `preset` with every given flag applied.
    func configuration(preset: StylizePreset, maxDimension: Int?, seedFallback: UInt64?) -> StylizeConfiguration {
        var c = StylizeConfiguration(preset: preset)
        func set<Value>(_ value: Value?, _ path: WritableKeyPath<StylizeConfiguration, Value>) {
            if let value { c[keyPath: path] = value }
        }
        set(maxDimension, \.maxDimension)
        set(contentLayers, \.contentLayers)
        set(styleLayers, \.styleLayers)
        if let styleLayerWeights { c.styleLayerWeights = styleLayerWeights.values }
        set(contentWeight, \.lossWeights.content)
        set(styleWeight, \.lossWeights.style)
        set(tvWeight, \.lossWeights.totalVariation)
        set(optimizer, \.optimizer)
        if let learningRate { c.learningRate = learningRate }
        set(historySize, \.historySize)
        set(lineSearch, \.lineSearch)
        set(startingHessian, \.startingHessian)
        if let pyramidLevels { c.pyramidLevels = pyramidLevels }
        set(pyramidDecay, \.pyramidDecay)
        if let styleWarmup { c.styleWarmup = styleWarmup }
        set(beta1, \.beta1)
        set(beta2, \.beta2)
        set(epsilon, \.epsilon)
        set(epochs, \.epochs)
        set(stepsPerEpoch, \.stepsPerEpoch)
        set(initialization, \.initialization)
        c.seed = seed ?? seedFallback ?? UInt64.random(in: 0...UInt64(UInt32.max))
        set(pooling, \.pooling)
        set(scales, \.scales)
        set(scaleSteps, \.scaleSteps)
        set(styleScale, \.styleScale)
        if let styleBlend { c.styleBlend = styleBlend.values }
        set(preserveColors, \.colorPreservation)
        if let tolerance { c.tolerance = tolerance }
        set(toleranceSteps, \.toleranceSteps)
        if let tile { c.tile = TileSettings(size: tile) }
        return c
    }
}

extension Stylize {
    func makeConfiguration(seedFallback: UInt64? = nil) throws -> StylizeConfiguration {
        let configuration = settings.configuration(preset: preset, maxDimension: size.maxDim, seedFallback: seedFallback)
        try mappingErrors {
            try configuration.validate()
            if let blend = configuration.styleBlend, blend.count != 1 + moreStyles.count {
                throw PipelineError.blendMismatch(weights: blend.count, styles: 1 + moreStyles.count)
            }
        }
        return configuration
    }

    /// `configuration` checked against `--max-memory` before any work: refused when its
    /// estimate is over, or with `--fit` shrunk to the largest `--max-dim` that is not.
    func fittingMemory(_ configuration: StylizeConfiguration) throws -> StylizeConfiguration {
        guard let sizes = imageFileSizes([content, style] + moreStyles) else { return configuration }
        let side = try memory.shrunkDimension({ (budget, shrinking) throws(MemoryPlanError) in
            try MemoryFit.stylize(configuration, contentSize: sizes[0], styleSizes: Array(sizes.dropFirst()), budget: budget,
                                  shrinking: shrinking, convolutions: network.convolutions)
        }, say: progress.say)
        var fitted = configuration
        if let side { fitted.maxDimension = side }
        return fitted
    }

    static let configurable = ConfigurableCommand(name: "stylize", keys: configKeys, positionalKeys: ["content", "style"],
                                            extraValuesFlag: "--style", booleanFlags: ["--quiet", "--fit", "--help", "-h"])

    /// The keys a `--config` file may hold: every flag of the command, without the dashes.
    static let configKeys = Set(StylizeFlags.table.map(\.key)).union([
        "content", "style", "output", "preset", "checkpoint", "checkpoint-every", "resume", "save-every", "save-dir",
        "log", "quality", "progress-every", "quiet", "weights", "convolutions", "max-memory", "fit",
    ])

    /// The settings that decide the image, as a `--config` file that repeats this run exactly:
    /// every value resolved (defaults filled in, the seed chosen, paths absolute).
    func usedSettings(_ configuration: StylizeConfiguration) throws -> Data {
        func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
        var written: [String: Any] = [
            "content": absolute(content),
            "style": moreStyles.isEmpty ? absolute(style) : ([style] + moreStyles).map(absolute) as Any,
            "preset": preset.rawValue,
            "convolutions": network.convolutions.rawValue,
            "quality": quality.quality,
        ]
        for flag in StylizeFlags.table { written[flag.key] = flag.written(configuration) }
        if let file = configuration.initialization.file { written["init"] = absolute(file) }
        written["weights"] = network.weights.map(absolute)
        return try JSONSerialization.data(withJSONObject: written, options: [.prettyPrinted, .sortedKeys])
    }
}

/// The one table of stylize settings: each flag's name (also its `--config` key), the
/// configuration setting it sets (so a library error about the setting names the flag), and the
/// value written to the settings file beside the output.
enum StylizeFlags {
    struct Flag: Sendable {
        var key: String
        var setting: String
        var written: @Sendable (StylizeConfiguration) -> Any?
    }

    private static func number(_ value: Float) -> Double { Double(value.description)! }

    static let table: [Flag] = [
        Flag(key: "max-dim", setting: "maxDimension") { $0.maxDimension },
        Flag(key: "tile", setting: "tile.size") { $0.tile?.size },
        Flag(key: "content-layers", setting: "contentLayers") { $0.contentLayers.map(\.rawValue) },
        Flag(key: "style-layers", setting: "styleLayers") { $0.styleLayers.map(\.rawValue) },
        Flag(key: "style-layer-weights", setting: "styleLayerWeights") { $0.styleLayerWeights?.map(number) },
        Flag(key: "content-weight", setting: "lossWeights.content") { number($0.lossWeights.content) },
        Flag(key: "style-weight", setting: "lossWeights.style") { number($0.lossWeights.style) },
        Flag(key: "tv-weight", setting: "lossWeights.totalVariation") { number($0.lossWeights.totalVariation) },
        Flag(key: "optimizer", setting: "optimizer") { $0.optimizer.rawValue },
        Flag(key: "learning-rate", setting: "learningRate") { $0.learningRate.map(number) },
        Flag(key: "history-size", setting: "historySize") { $0.historySize },
        Flag(key: "line-search", setting: "lineSearch") { $0.lineSearch.rawValue },
        Flag(key: "starting-hessian", setting: "startingHessian") { $0.startingHessian.rawValue },
        Flag(key: "pyramid-levels", setting: "pyramidLevels") { $0.effectivePyramidLevels },
        Flag(key: "pyramid-decay", setting: "pyramidDecay") { number($0.pyramidDecay) },
        Flag(key: "style-warmup", setting: "styleWarmup") { $0.effectiveStyleWarmup.iterationsPerStage },
        Flag(key: "beta1", setting: "beta1") { number($0.beta1) },
        Flag(key: "beta2", setting: "beta2") { number($0.beta2) },
        Flag(key: "epsilon", setting: "epsilon") { number($0.epsilon) },
        Flag(key: "epochs", setting: "epochs") { $0.epochs },
        Flag(key: "steps-per-epoch", setting: "stepsPerEpoch") { $0.stepsPerEpoch },
        Flag(key: "init", setting: "initialization") { $0.initialization.defaultValueDescription },
        Flag(key: "seed", setting: "seed") { $0.seed },
        Flag(key: "pooling", setting: "pooling") { $0.pooling.rawValue },
        Flag(key: "scales", setting: "scales") { $0.scales },
        Flag(key: "scale-steps", setting: "scaleSteps") { $0.scaleSteps },
        Flag(key: "style-scale", setting: "styleScale") { number($0.styleScale) },
        Flag(key: "style-blend", setting: "styleBlend") { $0.styleBlend?.map(number) },
        Flag(key: "preserve-colors", setting: "colorPreservation") { $0.colorPreservation.rawValue },
        Flag(key: "tolerance", setting: "tolerance") { $0.tolerance },
        Flag(key: "tolerance-steps", setting: "toleranceSteps") { $0.toleranceSteps },
    ]

    /// The flag that sets `setting`, for error messages.
    static func flag(for setting: String) -> String {
        table.first { $0.setting == setting }.map { "--" + $0.key } ?? setting
    }
}

/// `--max-memory` and `--fit`, for the commands whose memory grows with the image: the run is
/// planned before it starts (`MemoryPlan`) and refused, or with `--fit` shrunk, when its
/// estimated peak exceeds the budget.
struct MemoryLimitOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The memory the run may use, such as 12G or 800M (default: what the machine has available, "
                               + "less a tenth); a run estimated to need more is refused before it starts.", valueName: "size"),
            transform: parsedMemorySize)
    var maxMemory: MemorySize?
    @Flag(help: "Shrink the images (a smaller --max-dim) until the run fits the memory, instead of refusing it.")
    var fit = false

    var budget: MemorySize { maxMemory ?? MachineMemory.current.defaultBudget }

    /// The run as planned: `fitted` on the budget, with a refusal said as one line in flags,
    /// and a shrunk run announced with `say`. Returns the longer side to shrink the run to, nil
    /// when it fits as it is (or `fitted` found nothing to plan).
    func shrunkDimension(_ fitted: (MemorySize, Bool) throws(MemoryPlanError) -> MemoryFit?,
                         say: (String) -> Void) throws -> Int? {
        let fit: MemoryFit?
        do {
            fit = try fitted(budget, self.fit)
        } catch .exceedsBudget(let estimate, let budget, let dimension) {
            let limit = maxMemory == nil ? "but only \(budget) is available (see --max-memory)" : "over --max-memory \(budget)"
            let remedy = dimension.map { "--max-dim \($0) fits (add --fit to run at it)" }
                ?? "not even --max-dim 16 fits; free some memory or raise --max-memory"
            throw CommandError("the run needs about \(estimate) of memory, \(limit); \(remedy)")
        }
        guard let fit, let before = fit.shrunkFrom else { return nil }
        say("Shrinking to --max-dim \(fit.maxDimension) to fit in \(budget) of memory (about \(fit.plan.peak); "
            + "\(before.maxDimension) would need about \(before.estimate))")
        return fit.maxDimension
    }
}

/// `--max-memory`'s value, or an error ArgumentParser reports naming the flag.
private func parsedMemorySize(_ argument: String) throws -> MemorySize {
    do {
        return try MemorySize(parsing: argument)
    } catch {
        throw ValidationError(error.description)
    }
}

/// The sizes of the image files, nil when one cannot be read (the run then reports it itself).
func imageFileSizes(_ paths: [String]) -> [(width: Int, height: Int)]? {
    try? paths.map { try ImageFile.size(of: URL(fileURLWithPath: $0)) }
}
