import ArgumentParser
import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels
import ImpastoStyle

struct Stylize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Repaint a photo in the style of a painting by optimising it (Gatys et al.).",
        discussion: """
            Two presets; each flag below changes one setting of the preset.

            recommended (the default): L-BFGS on a 5-level pyramid with the diagonal starting Hessian and the \
            style warm-up, up to 200 iterations, stopping once the loss changes by under 0.05 % for 10 in a row. \
            It reaches the tutorial's final loss in about a sixth of the tutorial's time.

            tutorial: the reference tutorial's run exactly: VGG19 block5_conv2 for content, block1_conv1 … \
            block5_conv1 for style, weights 1e4 / 1e-2 / 4e-4, Keras' Adam (lr 0.02, β1 0.99, β2 0.999, ε 0.1), \
            10 epochs of 100 steps.
            """)

    @Argument(help: "The photo to repaint.") var content: String
    @Argument(help: "The painting whose style to take.") var style: String
    @Option(name: .customLong("style"), help: ArgumentHelp("Another painting to blend in (repeatable).", valueName: "file"))
    var moreStyles: [String] = []
    @Option(name: .shortAndLong, help: "Where to write the result (.jpg, .png, .webp or .tif).") var output: String
    @Option(help: "Where the settings start.") var preset = StylizePreset.recommended
    @OptionGroup var settings: StylizeSettingOptions
    @OptionGroup var size: ImageSizeOptions
    @OptionGroup var memory: MemoryLimitOptions
    @OptionGroup var quality: OutputQualityOptions
    @OptionGroup var checkpoints: CheckpointOptions
    @Option(help: "Save the image every N steps into --save-dir.") var saveEvery: Int?
    @Option(help: "Folder for the images --save-every writes.") var saveDir: String?
    @Option(help: "Write one JSON line per step to this file.") var log: String?
    @OptionGroup var progress: ProgressOptions
    @OptionGroup var config: ConfigOptions
    @OptionGroup var network: NetworkOptions

    func validate() throws {
        if let saveEvery, saveEvery < 1 { throw ValidationError("--save-every must be at least 1") }
        if saveEvery != nil && saveDir == nil { throw ValidationError("--save-every needs --save-dir") }
    }

    func run() throws {
        let started = ContinuousClock.now
        let resume = try checkpoints.resume.map { path in try mappingErrors { try StylizeCheckpoint.read(URL(fileURLWithPath: path)) } }
        let configuration = try fittingMemory(try makeConfiguration(seedFallback: resume?.configuration.seed))
        let outputURL = try checkOutput(output, flag: "--output", inputs: inputs, besides: [(".json", .direct)])
        let settingsURL = try checkOutput(outputURL.path + ".json", flag: "--output", inputs: inputs, extensions: ["json"],
                                          writer: .direct)
        var request = StylizeRequest(content: .file(URL(fileURLWithPath: content)),
                                     styles: ([style] + moreStyles).map { .file(URL(fileURLWithPath: $0)) },
                                     configuration: configuration)
        request.checkpoint = try checkpoints.checkpoint.map { try checkOutput($0, flag: "--checkpoint", inputs: inputs, extensions: nil, writer: .weights) }
        request.checkpointEvery = checkpoints.checkpointEvery ?? 50
        request.resume = resume
        request.previewEvery = saveEvery
        let saveFolder = try saveDir.map { try checkOutput($0 + "/step.png", flag: "--save-dir", inputs: []).deletingLastPathComponent() }
        if let log {
            let logURL = try checkOutput(log, flag: "--log", inputs: inputs, extensions: nil, writer: .direct)
            for (other, flag) in [(outputURL, "--output"), (settingsURL, "--output's settings"),
                                  (request.checkpoint, "--checkpoint")] where other?.path == logURL.path {
                throw CommandError("--log \(log): is the same file as \(flag); give another name")
            }
        }
        var logFile: StepLog?
        let vgg = try network.loadNetwork()

        let display = StylizeDisplay(progress: progress, resumeFile: checkpoints.resume)
        let result = try keepingTheLastGoodImage(at: outputURL) {
            try StylizeRun(request: request, network: vgg).run(cancellation: Interrupt.install()) { event in
                display.show(event)
                switch event {
                case .started:
                    // Written once the images have loaded and passed their checks, so a bad one leaves nothing behind.
                    try usedSettings(configuration).write(to: settingsURL, options: .atomic)
                    logFile = try log.map { try StepLog(path: $0) }
                case .step(let step) where step.isFinalStage:
                    try logFile?.write(step.progress)
                case .preview(let number, let stage, let image) where stage == configuration.scales:
                    let name = String(format: "step-%05d.%@", number, outputURL.pathExtension)
                    if let saveFolder { try ImageFile.save(image, to: saveFolder.appendingPathComponent(name), quality: quality.quality) }
                default:
                    break
                }
            }
        }
        try ImageFile.save(result.image, to: outputURL, quality: quality.quality)
        guard result.completed else {
            let stage = result.stage == result.stages ? "" : " of scale \(result.stage)/\(result.stages) (upsampled)"
            throw CommandError("interrupted after step \(result.step)\(stage); wrote the current image to \(output)"
                               + (checkpoints.checkpoint.map { " and the state to \($0)" } ?? ""))
        }
        progress.say("Total time: \(String(format: "%.1f", (ContinuousClock.now - started).seconds)) s; wrote \(output)")
    }

    /// Runs `body` (the run, library errors said in flags); when a step diverges, writes the image
    /// from before it to the output, as an interrupted run does, and fails with one line naming the step.
    private func keepingTheLastGoodImage(at outputURL: URL, _ body: () throws -> StylizeResult) throws -> StylizeResult {
        do {
            return try mappingErrors(body)
        } catch DivergenceError.stylization(let value, let step, let stage, let stages, let kept) {
            let scale = stage == stages ? "" : " of scale \(stage)/\(stages)"
            var line = "\(value) became NaN or infinite at step \(step)\(scale): the steps overshot; lower --style-weight, "
                + "--content-weight or --learning-rate"
            if let kept {
                try ImageFile.save(kept.image, to: outputURL, quality: quality.quality)
                line += "; wrote the image from before that step to \(output)"
            } else {
                line += "; \(output) not written"
            }
            throw CommandError(line)
        }
    }

    /// Files the run reads, which no output may overwrite.
    var inputs: [String] {
        [content, style] + moreStyles + [settings.initialization?.file, config.config, checkpoints.resume].compactMap { $0 }
    }
}
