import ArgumentParser
import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels
import ImpastoStyle

struct Stylize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Repaint a photo in the style of a painting (Gatys et al., as the reference tutorial runs it).",
        discussion: "Defaults are the tutorial's: VGG19 block5_conv2 for content, block1_conv1…block5_conv1 for style, "
            + "weights 1e4/1e-2/4e-4, Keras Adam (lr 0.02, β1 0.99, β2 0.999, ε 0.1), 10 epochs of 100 steps.")

    private static let defaults = StylizeConfiguration.default

    @Argument(help: "The photo to repaint.") var content: String
    @Argument(help: "The painting whose style to take.") var style: String
    @Option(name: .customLong("style"), help: ArgumentHelp("Another painting to blend in (repeatable).", valueName: "file"))
    var moreStyles: [String] = []
    @Option(help: "Comma-separated blend weights, one per style, the positional one first (default equal).")
    var styleBlend: String?
    @Option(help: "Colour: none (the painting's), luminance (keep the photo's colours) or histogram (recolour the painting first).")
    var preserveColors = defaults.colorPreservation.rawValue
    @Option(name: .shortAndLong, help: "Where to write the result (.jpg, .png, .webp or .tif).") var output: String

    @Option(help: "Shrink images so the longer side is at most this.") var maxDim = defaults.maxDimension
    @Option(help: "Comma-separated content layers (block5_conv2 or relu5_2 style names).")
    var contentLayers = defaults.contentLayers.map(\.rawValue).joined(separator: ",")
    @Option(help: "Comma-separated style layers.")
    var styleLayers = defaults.styleLayers.map(\.rawValue).joined(separator: ",")
    @Option(help: "Comma-separated weights, one per style layer (default 1 each).") var styleLayerWeights: String?
    @Option(help: "Content loss weight.") var contentWeight = defaults.lossWeights.content
    @Option(help: "Style loss weight.") var styleWeight = defaults.lossWeights.style
    @Option(help: "Total-variation weight.") var tvWeight = defaults.lossWeights.totalVariation
    @Option(help: "Optimizer: adam (the reference) or lbfgs.") var optimizer = defaults.optimizer.rawValue
    @Option(help: "Learning rate (default 0.02 for Adam, 1 for L-BFGS).") var learningRate: Float?
    @Option(help: "L-BFGS: curvature pairs kept.") var historySize = defaults.historySize
    @Option(help: "L-BFGS line search: strong-wolfe or none.") var lineSearch = defaults.lineSearch.rawValue
    @Option(help: ArgumentHelp("L-BFGS starting inverse Hessian: diagonal (each pixel scaled by its running RMS "
                               + "gradient, as Adam does; fewer iterations) or scalar (the textbook's and PyTorch's)."))
    var startingHessian = defaults.startingHessian.rawValue
    @Option(help: ArgumentHelp("L-BFGS: optimise the image as a pyramid of this many levels, each half the size "
                               + "of the last (1 = the pixels; default 5, or 1 with --line-search none, whose fixed steps overshoot on it)."))
    var pyramidLevels: Int?
    @Option(help: "L-BFGS: how much less each coarser pyramid level weighs.") var pyramidDecay = defaults.pyramidDecay
    @Option(help: ArgumentHelp("Bring the style in by stages: its weight times 0.4³, 0.4², 0.4 for this many "
                               + "steps each, then in full (0 = from the start; default 15 for L-BFGS, 0 for Adam)."))
    var styleWarmup: Int?
    @Option(help: "Adam β1.") var beta1 = defaults.beta1
    @Option(help: "Adam β2.") var beta2 = defaults.beta2
    @Option(help: "Adam ε (Keras form: added to √v, not bias-corrected).") var epsilon = defaults.epsilon
    @Option(help: "Epochs.") var epochs = defaults.epochs
    @Option(help: "Steps per epoch.") var stepsPerEpoch = defaults.stepsPerEpoch
    @Option(name: .customLong("init"), help: "Starting image: content, noise or an image file.") var initialization = "content"
    @Option(help: "Random seed (for noise); a random one is chosen and printed if omitted.") var seed: UInt64?
    @Option(help: "VGG19 pooling: max or avg.") var pooling = defaults.pooling.rawValue
    @Option(help: "Coarse-to-fine: number of sizes, each √2 larger (1 = full size only).") var scales = defaults.scales
    @Option(help: "Coarse-to-fine: steps at each smaller size.") var scaleSteps = defaults.scaleSteps
    @Option(help: "Multiply the style image's size by this.") var styleScale = defaults.styleScale
    @Option(help: "Stop once the loss changes by less than this fraction of itself for --tolerance-steps steps in a row.")
    var tolerance: Double?
    @Option(help: "Steps in a row for --tolerance.") var toleranceSteps = defaults.toleranceSteps
    @Option(help: ArgumentHelp("Save the image and optimiser state here (safetensors) every --checkpoint-every steps "
                               + "and when interrupted; L-BFGS's history makes it large (2 × history × image floats, "
                               + "a third more on the pyramid).",
                               valueName: "file"))
    var checkpoint: String?
    @Option(help: "Steps between checkpoints.") var checkpointEvery = 50
    @Option(help: ArgumentHelp("Continue bit-identically from a --checkpoint file; the settings must match "
                               + "(the step counts may grow).", valueName: "file"))
    var resume: String?
    @Option(help: ArgumentHelp("Read settings from a JSON or YAML file whose keys are these flags without the dashes; "
                               + "flags given here win. Each run writes the settings it used to OUTPUT.json.",
                               valueName: "file"))
    var config: String?
    @Option(help: "Save the image every N steps into --save-dir.") var saveEvery: Int?
    @Option(help: "Folder for the images --save-every writes.") var saveDir: String?
    @Option(help: "Write one JSON line per step to this file.") var log: String?
    @Option(help: "JPEG/WebP quality, 1–100.") var quality = 95
    @Option(help: "Without a terminal, print a progress line every N steps.") var progressEvery = 10
    @Flag(help: "Print nothing but errors.") var quiet = false
    @OptionGroup var network: NetworkOptions

    func run() throws {
        let started = ContinuousClock.now
        let checkpointToResume = try resume.map { try readCheckpoint($0) }
        let configuration = try makeConfiguration(seedFallback: checkpointToResume?.seed)
        if let checkpointToResume { try checkCompatible(configuration, checkpointToResume.configuration) }
        let outputURL = try checkOutput(output, flag: "--output", inputs: inputs)
        let settingsURL = try checkOutput(outputURL.path + ".json", flag: "--output", inputs: inputs, extensions: ["json"])
        let checkpointURL = try checkpoint.map { try checkOutput($0, flag: "--checkpoint", inputs: inputs, extensions: nil) }
        guard checkpointEvery >= 1 else { throw CommandError("--checkpoint-every must be at least 1") }
        guard progressEvery >= 1 else { throw CommandError("--progress-every must be at least 1") }
        let saveFolder = try checkSaving()
        let logFile = try openLog()
        let contentImage = try ImageFile.load(URL(fileURLWithPath: content), maxDimension: configuration.maxDimension)
        let styleImages = try ([style] + moreStyles).map {
            try ImageFile.load(URL(fileURLWithPath: $0), maxDimension: configuration.maxDimension)
        }
        try checkSizes(contentImage, styleImages, configuration)
        let vgg = try network.loadNetwork()
        try usedSettings(configuration).write(to: settingsURL, options: .atomic)
        say("Seed \(configuration.seed); content \(contentImage.shape.w)×\(contentImage.shape.h), style "
            + styleImages.map { "\($0.shape.w)×\($0.shape.h)" }.joined(separator: " + ")
            + "; \(configuration.totalSteps) steps"
            + coarseStepsNote(configuration))
        let mode = configuration.colorPreservation
        let prepared = styleImages.map { ColorControl.prepare(content: contentImage, style: $0, mode: mode) }
        let finished = { (image: Tensor) in ColorControl.finish(image, content: contentImage, mode: mode) }

        let display = ProgressDisplay(quiet: quiet, lineEvery: progressEvery)
        Interrupt.install()
        var run = try CoarseToFine(configuration: configuration, network: vgg, content: prepared[0].content,
                                   styles: prepared.map(\.style), resumingFrom: checkpointToResume?.archive)
        if let checkpointToResume {
            say("Resuming after step \(run.stage.transfer.stepsTaken)" + (run.isAtFullSize ? "" : " of scale \(run.scale)")
                + " from \(checkpointToResume.archive.path)")
        }
        let checkpointing = checkpointURL.map { url in
            Stylization.Checkpointing(every: checkpointEvery) { try $0.write(to: url) }
        }
        var last: StylizeProgress?
        let completed = try run.run(shouldStop: { Interrupt.wasRequested }, checkpointing: checkpointing) { scale, progress in
            guard scale == configuration.scales else {
                return display.show(progress, stepsPerEpoch: configuration.scaleSteps, epochs: 1,
                                    label: "Scale \(scale)/\(configuration.scales) \(progress.image.shape.w)×\(progress.image.shape.h)")
            }
            last = progress
            display.show(progress, stepsPerEpoch: configuration.stepsPerEpoch, epochs: configuration.epochs)
            try logFile?.write(progress)
            if let saveEvery, let saveFolder, progress.step % saveEvery == 0 {
                let name = String(format: "step-%05d.%@", progress.step, outputURL.pathExtension)
                try ImageFile.save(finished(progress.image), to: saveFolder.appendingPathComponent(name), quality: quality)
            }
        }
        try ImageFile.save(finished(try run.fullSizeImage()), to: outputURL, quality: quality)
        guard completed else {
            let stage = run.isAtFullSize ? "" : " of scale \(run.scale)/\(configuration.scales) (upsampled)"
            throw CommandError("interrupted after step \(run.stage.transfer.stepsTaken)\(stage); wrote the current image to \(output)"
                               + (checkpoint.map { " and the state to \($0)" } ?? ""))
        }
        if let last {
            if let reason = last.stopReason { say("Stopped after step \(last.step): \(reason)") }
            say(LayerReport(last.report, step: last.step).text)
        }
        say("Total time: \(String(format: "%.1f", (ContinuousClock.now - started).seconds)) s; wrote \(output)")
    }

    private var inputs: [String] {
        [content, style] + moreStyles + (["content", "noise"].contains(initialization) ? [] : [initialization])
            + [config, resume].compactMap { $0 }
    }

    private func coarseStepsNote(_ configuration: StylizeConfiguration) -> String {
        switch configuration.scales {
        case ...1: ""
        case 2: " after \(configuration.scaleSteps) at a smaller size"
        default: " after \(configuration.scaleSteps) at each of \(configuration.scales - 1) smaller sizes"
        }
    }

    private func say(_ line: String) {
        if !quiet { Terminal.status(line) }
    }

    func makeConfiguration(seedFallback: UInt64? = nil) throws -> StylizeConfiguration {
        var configuration = StylizeConfiguration()
        configuration.maxDimension = maxDim
        configuration.contentLayers = try ConfigurationError.layers(contentLayers, flag: "--content-layers")
        configuration.styleLayers = try ConfigurationError.layers(styleLayers, flag: "--style-layers")
        configuration.styleLayerWeights = try styleLayerWeights.map { try numbers($0, flag: "--style-layer-weights") }
        configuration.lossWeights = LossWeights(content: contentWeight, style: styleWeight, totalVariation: tvWeight)
        guard let kind = OptimizerKind(rawValue: optimizer) else {
            throw ConfigurationError(flag: "--optimizer", problem: "must be adam or lbfgs, not '\(optimizer)'")
        }
        configuration.optimizer = kind
        configuration.learningRate = learningRate
        configuration.historySize = historySize
        guard let search = LBFGS<LossReport>.LineSearch(rawValue: lineSearch) else {
            throw ConfigurationError(flag: "--line-search", problem: "must be strong-wolfe or none, not '\(lineSearch)'")
        }
        configuration.lineSearch = search
        guard let hessian = LBFGS<LossReport>.StartingHessian(rawValue: startingHessian) else {
            throw ConfigurationError(flag: "--starting-hessian", problem: "must be diagonal or scalar, not '\(startingHessian)'")
        }
        configuration.startingHessian = hessian
        configuration.pyramidLevels = pyramidLevels
        configuration.pyramidDecay = pyramidDecay
        configuration.styleWarmup = styleWarmup
        configuration.beta1 = beta1
        configuration.beta2 = beta2
        configuration.epsilon = epsilon
        configuration.epochs = epochs
        configuration.stepsPerEpoch = stepsPerEpoch
        configuration.initialization = switch initialization {
        case "content": .content
        case "noise": .noise
        default: .file(initialization)
        }
        configuration.seed = seed ?? seedFallback ?? UInt64.random(in: 0...UInt64(UInt32.max))
        guard let kind = Pooling(rawValue: pooling) else {
            throw ConfigurationError(flag: "--pooling", problem: "must be max or avg, not '\(pooling)'")
        }
        configuration.pooling = kind
        configuration.scales = scales
        configuration.scaleSteps = scaleSteps
        configuration.styleScale = styleScale
        configuration.styleBlend = try styleBlend.map { try numbers($0, flag: "--style-blend") }
        if let blend = configuration.styleBlend, blend.count != 1 + moreStyles.count {
            throw ConfigurationError(flag: "--style-blend", problem: "gives \(blend.count) weights for \(1 + moreStyles.count) styles")
        }
        guard let colors = ColorPreservation(rawValue: preserveColors) else {
            throw ConfigurationError(flag: "--preserve-colors", problem: "must be none, luminance or histogram, not '\(preserveColors)'")
        }
        configuration.colorPreservation = colors
        configuration.tolerance = tolerance
        configuration.toleranceSteps = toleranceSteps
        try configuration.validate()
        guard (1...100).contains(quality) else { throw ConfigurationError(flag: "--quality", problem: "must be 1–100") }
        return configuration
    }

    private func numbers(_ list: String, flag: String) throws -> [Float] {
        try list.split(separator: ",").map { text in
            guard let value = Float(text.trimmingCharacters(in: .whitespaces)) else {
                throw ConfigurationError(flag: flag, problem: "has '\(text)', which is not a number")
            }
            return value
        }
    }

    private func checkSaving() throws -> URL? {
        guard let saveEvery else { return nil }
        guard saveEvery >= 1 else { throw CommandError("--save-every must be at least 1") }
        guard let saveDir else { throw CommandError("--save-every needs --save-dir") }
        let folder = try checkOutput(saveDir + "/step.png", flag: "--save-dir", inputs: []).deletingLastPathComponent()
        return folder
    }

    private func openLog() throws -> StepLog? {
        guard let log else { return nil }
        _ = try checkOutput(log, flag: "--log", inputs: inputs, extensions: nil)
        return try StepLog(path: log)
    }

    /// Every layer must keep at least one pixel after the pools before it.
    private func checkSizes(_ content: Tensor, _ styles: [Tensor], _ configuration: StylizeConfiguration) throws {
        let deepest = (configuration.contentLayers + configuration.styleLayers).max() ?? .block1_conv1
        let minimum = VGG19.minimumSide(for: deepest)
        for (image, name) in zip([content] + styles, [self.content, style] + moreStyles) {
            // The coarsest scale is the smallest image the network will see.
            let smallest = CoarseToFine.sizes(width: image.shape.w, height: image.shape.h,
                                                  scales: configuration.scales)[0]
            if min(smallest.width, smallest.height) < minimum {
                throw CommandError("\(name): \(smallest.width)×\(smallest.height) is too small for \(deepest.rawValue); "
                                   + "each side must be at least \(minimum) pixels (use fewer --scales)")
            }
        }
    }
}
