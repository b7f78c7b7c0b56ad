import ArgumentParser
import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels
import ImpastoStyle

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a fast style network for one painting (Johnson et al. 2016, with instance norm).",
        discussion: "Photos come from --dataset (JPEG/PNG, any folder tree), resized and centre-cropped to "
            + "--image-size. The result stylises any photo or video frame in one pass: see `impasto apply` and `impasto video`.")

    private static let defaults = FastStyleTrainingConfiguration()

    @Argument(help: "The painting to learn.") var style: String
    @Option(help: "Folder of training photos.") var dataset: String
    @Option(name: .shortAndLong, help: "Where to write the model (.safetensors).") var output: String?
    @Option(help: ArgumentHelp("Train nothing: print the perceptual loss of this model on every --dataset photo (e.g. "
                               + "photos it never saw), with the loss settings given, to compare recipes.", valueName: "model"))
    var evaluate: String?
    @Option(help: "Training crop size (a multiple of 4).") var imageSize = defaults.imageSize
    @Option(help: "Photos per step.") var batchSize = defaults.batchSize
    @Option(help: "Adam learning rate.") var learningRate = defaults.learningRate
    @Option(help: "Comma-separated content layers (default block2_conv2).", transform: layerList)
    var contentLayers: [VGG19.Layer] = defaults.contentLayers
    @Option(help: "Comma-separated style layers (default block1_conv2,block2_conv2,block3_conv3,block4_conv3).",
            transform: layerList)
    var styleLayers: [VGG19.Layer] = defaults.styleLayers
    @Option(help: "Content loss weight.") var contentWeight = defaults.contentWeight
    @Option(help: "Style loss weight.") var styleWeight = defaults.styleWeight
    @Option(help: "Total-variation weight.") var tvWeight = defaults.tvWeight
    @Option(help: "Resize the painting so its longer side is this (default: its size, at most 512).") var styleSize: Int?
    @Option(help: "Passes over the dataset (instead of --iterations).") var epochs: Int?
    @Option(help: "Training steps (default 2000).") var iterations: Int?
    @OptionGroup var checkpoints: CheckpointOptions
    @Option(help: ArgumentHelp("Random crops: each use of a photo zooms it by 1 to ZOOM (the crop then covers down to "
                               + "1/ZOOM of its shorter side), cuts it at a random place and mirrors it half the time; "
                               + "1 keeps the whole shorter side. (default: centre crops)", valueName: "zoom"))
    var augment: Double?
    @Option(help: "Seed for the network's initial weights, the order of the photos and their crops.") var seed: UInt64 = 0
    @Option(help: ArgumentHelp("Network width: full (32/64/128 channels, the paper's), half (16/32/64) or quarter "
                               + "(8/16/32, fast enough for live video); the model file records it. (default: full)"))
    var width: TransformerNetWidth?
    @Option(help: "Width of the network's first layer, for a width --width does not name.") var baseChannels: Int?
    @Option(help: ArgumentHelp("Weight of the temporal loss on pairs made by small random shifts, zooms and turns of "
                               + "each photo (0: none); trains a network whose output flickers less in video."))
    var temporalWeight = defaults.temporalWeight
    @OptionGroup var progress: ProgressOptions
    @OptionGroup var config: ConfigOptions
    @OptionGroup var network: NetworkOptions

    static let configurable = ConfigurableCommand(
        name: "train", keys: Set(flagOfSetting.values.map { String($0.dropFirst(2)) }).union([
            "style", "dataset", "output", "epochs", "checkpoint", "checkpoint-every", "resume", "seed",
            "progress-every", "quiet", "weights", "convolutions", "width", "evaluate"]),
        positionalKeys: ["style"])

    /// Each training setting's flag, for the library's errors and the `--config` keys.
    static let flagOfSetting = [
        "imageSize": "--image-size", "batchSize": "--batch-size", "learningRate": "--learning-rate",
        "contentLayers": "--content-layers", "styleLayers": "--style-layers", "contentWeight": "--content-weight",
        "styleWeight": "--style-weight", "tvWeight": "--tv-weight", "styleSize": "--style-size",
        "iterations": "--iterations", "baseChannels": "--base-channels", "temporalWeight": "--temporal-weight",
        "augment": "--augment",
    ]

    func run() throws {
        if let evaluate { return try evaluateModel(at: evaluate) }
        guard let output else { throw CommandError("give -o/--output: where to write the model") }
        let started = ContinuousClock.now
        let images = try mappingErrors(flag: { Self.flagOfSetting[$0] ?? $0 }) {
            try TrainingImages(folder: try existingFolder(dataset, flag: "--dataset"), size: imageSize, batchSize: batchSize,
                               seed: seed, augmentation: augment.map(TrainingAugmentation.init))
        }
        let configuration = try makeConfiguration(batchesPerEpoch: images.batchesPerEpoch)
        let checkpointFiles: [(suffix: String, writer: OutputWriter)] = [(".checkpoint", .weights), (".checkpoint.jpg", .image)]
        let outputURL = try checkOutput(output, flag: "--output", inputs: [style], extensions: ["safetensors"], writer: .weights,
                                        besides: [(".json", .direct)] + (checkpoints.checkpoint == nil ? checkpointFiles : []))
        let checkpointURL = try checkOutput(checkpoints.checkpoint ?? output + ".checkpoint", flag: "--checkpoint",
                                            inputs: [style], extensions: nil, writer: .weights, besides: [(".jpg", .image)])
        let checkpointEvery = checkpoints.checkpointEvery ?? 200
        try writeSettings(usedSettings(configuration), to: try checkOutput(outputURL.path + ".json", flag: "--output",
                                                                           inputs: [style], extensions: ["json"], writer: .direct))
        let painting = try ImageFile.load(URL(fileURLWithPath: style), maxDimension: styleSize ?? 512)
        var trainer = FastStyleTrainer(configuration: configuration, vgg: try network.loadNetwork(), style: painting)
        if let resume = checkpoints.resume { try restore(&trainer, from: resume) }
        let sample = try TrainingImages.square(images.files[0], size: imageSize)
        say("\(images.files.count) photos, \(images.batchesPerEpoch) batches of \(batchSize) per epoch; "
            + "\(configuration.iterations) steps; network \(trainer.network.parameterCount) parameters; seed \(seed)")

        let prefetcher = BatchPrefetcher(images) { file, error in
            Terminal.status("warning: skipping \(file.path) in this batch: \(error)")
        }
        let display = TrainingProgress(quiet: progress.quiet, lineEvery: progress.progressEvery,
                                       total: configuration.iterations, batchSize: batchSize, firstIteration: trainer.iteration)
        let cancellation = Interrupt.install()
        var lastCheckpoint: Int?
        do {
            while trainer.iteration < configuration.iterations {
                let loss = try trainer.checkedStep(try prefetcher.batch(iteration: trainer.iteration))
                display.show(iteration: trainer.iteration, loss: loss)
                let interrupted = cancellation.isCancelled && trainer.iteration < configuration.iterations
                if trainer.iteration % checkpointEvery == 0 || interrupted {
                    try saveCheckpoint(trainer, to: checkpointURL, sample: sample)
                    lastCheckpoint = trainer.iteration
                }
                if interrupted {
                    throw CommandError("interrupted after step \(trainer.iteration); resume with --resume \(checkpointURL.path)")
                }
            }
            _ = try stylizedSample(trainer, sample)
        } catch let error as DivergenceError {
            let kept = lastCheckpoint.map { "kept the checkpoint of step \($0) in \(checkpointURL.path)" }
                ?? "this run wrote no checkpoint"
            throw CommandError("\(error.value) became NaN or infinite at step \(error.step): the steps overshot; "
                               + "lower --learning-rate; \(kept); \(output) not written")
        }
        try StyleModel(network: trainer.network, metadata: metadata(configuration)).save(to: outputURL)
        say("Trained \(configuration.iterations) steps in \(String(format: "%.1f", (ContinuousClock.now - started).seconds)) s; "
            + "wrote \(output)")
    }

    /// Prints the model's mean perceptual loss over the dataset's photos, by term.
    private func evaluateModel(at path: String) throws {
        let model = try mappingErrors { try StyleModel.load(contentsOf: URL(fileURLWithPath: path)) }
        let photos = try mappingErrors {
            try TrainingImages(folder: try existingFolder(dataset, flag: "--dataset"), size: imageSize, batchSize: 1, seed: seed)
        }
        let configuration = try makeConfiguration(batchesPerEpoch: photos.batchesPerEpoch)
        let painting = try ImageFile.load(URL(fileURLWithPath: style), maxDimension: styleSize ?? 512)
        let trainer = FastStyleTrainer(configuration: configuration, vgg: try network.loadNetwork(), style: painting)
        let loss = try trainer.meanPerceptualLoss(of: model.network, on: photos.files, size: imageSize)
        print(String(format: "perceptual loss %.6g (content %.6g, style %.6g, tv %.4g), mean over %d photos at %d×%d",
                     loss.total, loss.content, loss.style, loss.totalVariation, photos.files.count, imageSize, imageSize))
    }

    private func makeConfiguration(batchesPerEpoch: Int) throws -> FastStyleTrainingConfiguration {
        if epochs != nil && iterations != nil { throw CommandError("give --epochs or --iterations, not both") }
        if let epochs, epochs < 1 { throw CommandError("--epochs must be at least 1") }
        if width != nil && baseChannels != nil { throw CommandError("give --width or --base-channels, not both") }
        var configuration = FastStyleTrainingConfiguration()
        (configuration.imageSize, configuration.batchSize, configuration.learningRate) = (imageSize, batchSize, learningRate)
        (configuration.contentWeight, configuration.styleWeight, configuration.tvWeight) = (contentWeight, styleWeight, tvWeight)
        (configuration.styleSize, configuration.seed) = (styleSize, seed)
        configuration.baseChannels = baseChannels ?? (width ?? .full).baseChannels
        configuration.temporalWeight = temporalWeight
        configuration.augmentation = augment.map(TrainingAugmentation.init)
        (configuration.contentLayers, configuration.styleLayers) = (contentLayers, styleLayers)
        configuration.iterations = iterations ?? epochs.map { $0 * batchesPerEpoch } ?? 2000
        try mappingErrors(flag: { Self.flagOfSetting[$0] ?? $0 }) { try configuration.validate() }
        return configuration
    }

    private func restore(_ trainer: inout FastStyleTrainer, from path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw CommandError("--resume \(path): no such file") }
        let archive = try StateArchive.read(contentsOf: URL(fileURLWithPath: path))
        var saved = try FastStyleTrainer.configuration(of: archive)
        saved.iterations = trainer.configuration.iterations
        guard saved == trainer.configuration else {
            throw CommandError("--resume \(path): written with different settings; only --iterations/--epochs may change")
        }
        try trainer.restore(from: archive)
        say("Resuming after step \(trainer.iteration) from \(path)")
    }

    /// The state, and the sample photo as the network now stylises it (CHECKPOINT.jpg).
    private func saveCheckpoint(_ trainer: FastStyleTrainer, to url: URL, sample: Tensor) throws {
        let stylised = try stylizedSample(trainer, sample)
        try trainer.archive().write(to: url)
        try ImageFile.save(stylised, to: URL(fileURLWithPath: url.path + ".jpg"))
    }

    /// The sample photo through the network. Weights can be finite yet overflow on a photo (a
    /// learning rate of 1e20 makes them about that large); such a network is written neither as
    /// a checkpoint, where it would replace the last good one, nor as the model.
    private func stylizedSample(_ trainer: FastStyleTrainer, _ sample: Tensor) throws(DivergenceError) -> Tensor {
        let stylised = trainer.network(sample)
        guard stylised.withUnsafeBufferPointer({ $0.allSatisfy(\.isFinite) }) else {
            throw .training(value: .output, step: trainer.iteration)
        }
        return stylised
    }

    /// The settings the model was trained with, keyed by flag, so that `impasto evaluate` scores
    /// it with its own objective (layers, weights and the painting's size).
    private func metadata(_ configuration: FastStyleTrainingConfiguration) -> StyleModel.Metadata {
        var training = [
            "dataset": URL(fileURLWithPath: dataset).lastPathComponent,
            "iterations": String(configuration.iterations), "image-size": String(imageSize),
            "batch-size": String(batchSize), "learning-rate": String(learningRate),
            "content-weight": String(contentWeight), "style-weight": String(styleWeight),
            "tv-weight": String(tvWeight), "seed": String(seed),
            "content-layers": contentLayers.map(\.rawValue).joined(separator: ","),
            "style-layers": styleLayers.map(\.rawValue).joined(separator: ","),
            "style-size": String(styleSize ?? 512),
        ]
        if temporalWeight > 0 { training["temporal-weight"] = String(temporalWeight) }
        if let augment { training["augment"] = String(augment) }
        return StyleModel.Metadata(baseChannels: configuration.baseChannels, scaling: .unit,
                                   style: URL(fileURLWithPath: style).lastPathComponent, training: training)
    }

    private func say(_ line: String) { progress.say(line) }

    /// The settings, as a `--config` file that repeats the run.
    private func usedSettings(_ configuration: FastStyleTrainingConfiguration) -> [String: Any?] {
        ["style": style, "dataset": dataset, "image-size": configuration.imageSize, "batch-size": configuration.batchSize,
         "learning-rate": Double(configuration.learningRate.description), "iterations": configuration.iterations,
         "content-layers": configuration.contentLayers.map(\.rawValue), "style-layers": configuration.styleLayers.map(\.rawValue),
         "content-weight": Double(configuration.contentWeight.description),
         "style-weight": Double(configuration.styleWeight.description),
         "tv-weight": Double(configuration.tvWeight.description), "style-size": configuration.styleSize,
         "seed": configuration.seed, "base-channels": configuration.baseChannels,
         "temporal-weight": configuration.temporalWeight > 0 ? Double(configuration.temporalWeight.description) : nil,
         "augment": configuration.augmentation?.maximumZoom,
         "convolutions": network.convolutions.rawValue, "weights": network.weights]
    }
}

extension TransformerNetWidth: ExpressibleByArgument {}
