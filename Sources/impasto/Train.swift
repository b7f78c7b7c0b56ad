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
    @Option(name: .shortAndLong, help: "Where to write the model (.safetensors).") var output: String
    @Option(help: "Training crop size (a multiple of 4).") var imageSize = defaults.imageSize
    @Option(help: "Photos per step.") var batchSize = defaults.batchSize
    @Option(help: "Adam learning rate.") var learningRate = defaults.learningRate
    @Option(help: "Comma-separated content layers.")
    var contentLayers = defaults.contentLayers.map(\.rawValue).joined(separator: ",")
    @Option(help: "Comma-separated style layers.")
    var styleLayers = defaults.styleLayers.map(\.rawValue).joined(separator: ",")
    @Option(help: "Content loss weight.") var contentWeight = defaults.contentWeight
    @Option(help: "Style loss weight.") var styleWeight = defaults.styleWeight
    @Option(help: "Total-variation weight.") var tvWeight = defaults.tvWeight
    @Option(help: "Resize the painting so its longer side is this (default: its size, at most 512).") var styleSize: Int?
    @Option(help: "Passes over the dataset (instead of --iterations).") var epochs: Int?
    @Option(help: "Training steps (default 2000).") var iterations: Int?
    @Option(help: "Write a checkpoint (and a sample image beside it) every N steps.") var checkpointEvery = 200
    @Option(help: ArgumentHelp("Checkpoint file (default: OUTPUT.checkpoint).", valueName: "file")) var checkpoint: String?
    @Option(help: ArgumentHelp("Continue exactly from a checkpoint of a run with the same settings.", valueName: "file"))
    var resume: String?
    @Option(help: "Seed for the network's initial weights and the order of the photos.") var seed: UInt64 = 0
    @Option(help: "Width of the network's first layer (32 in the paper).") var baseChannels = defaults.baseChannels
    @Option(help: "Without a terminal, print a progress line every N steps.") var progressEvery = 10
    @Flag(help: "Print nothing but errors.") var quiet = false
    @OptionGroup var network: NetworkOptions

    func run() throws {
        let started = ContinuousClock.now
        let images = try TrainingImages(folder: try existingFolder(dataset), size: imageSize, batchSize: batchSize, seed: seed)
        let configuration = try makeConfiguration(batchesPerEpoch: images.batchesPerEpoch)
        let outputURL = try checkOutput(output, flag: "--output", inputs: [style], extensions: ["safetensors"])
        let checkpointURL = try checkOutput(checkpoint ?? output + ".checkpoint", flag: "--checkpoint", inputs: [style],
                                            extensions: nil)
        guard checkpointEvery >= 1 else { throw CommandError("--checkpoint-every must be at least 1") }
        guard progressEvery >= 1 else { throw CommandError("--progress-every must be at least 1") }
        let painting = try ImageFile.load(URL(fileURLWithPath: style), maxDimension: styleSize ?? 512)
        var trainer = FastStyleTrainer(configuration: configuration, vgg: try network.loadNetwork(), style: painting)
        if let resume { try restore(&trainer, from: resume) }
        let sample = try TrainingImages.square(images.files[0], size: imageSize)
        say("\(images.files.count) photos, \(images.batchesPerEpoch) batches of \(batchSize) per epoch; "
            + "\(configuration.iterations) steps; network \(trainer.network.parameterCount) parameters; seed \(seed)")

        let prefetcher = BatchPrefetcher(images)
        let progress = TrainingProgress(quiet: quiet, lineEvery: progressEvery, total: configuration.iterations,
                                        batchSize: batchSize, firstIteration: trainer.iteration)
        Interrupt.install()
        while trainer.iteration < configuration.iterations {
            let loss = trainer.step(try prefetcher.batch(iteration: trainer.iteration))
            progress.show(iteration: trainer.iteration, loss: loss)
            let interrupted = Interrupt.wasRequested && trainer.iteration < configuration.iterations
            if trainer.iteration % checkpointEvery == 0 || interrupted {
                try saveCheckpoint(trainer, to: checkpointURL, sample: sample)
            }
            if interrupted {
                throw CommandError("interrupted after step \(trainer.iteration); resume with --resume \(checkpointURL.path)")
            }
        }
        try StyleModel(network: trainer.network, metadata: metadata(configuration)).save(to: outputURL)
        say("Trained \(configuration.iterations) steps in \(String(format: "%.1f", (ContinuousClock.now - started).seconds)) s; "
            + "wrote \(output)")
    }

    private func makeConfiguration(batchesPerEpoch: Int) throws -> FastStyleTrainingConfiguration {
        if epochs != nil && iterations != nil { throw CommandError("give --epochs or --iterations, not both") }
        if let epochs, epochs < 1 { throw CommandError("--epochs must be at least 1") }
        var configuration = FastStyleTrainingConfiguration()
        (configuration.imageSize, configuration.batchSize, configuration.learningRate) = (imageSize, batchSize, learningRate)
        (configuration.contentWeight, configuration.styleWeight, configuration.tvWeight) = (contentWeight, styleWeight, tvWeight)
        (configuration.styleSize, configuration.seed, configuration.baseChannels) = (styleSize, seed, baseChannels)
        configuration.contentLayers = try ConfigurationError.layers(contentLayers, flag: "--content-layers")
        configuration.styleLayers = try ConfigurationError.layers(styleLayers, flag: "--style-layers")
        configuration.iterations = iterations ?? epochs.map { $0 * batchesPerEpoch } ?? 2000
        try configuration.validate()
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
        try trainer.archive().write(to: url)
        let stylised = trainer.network(sample)
        try ImageFile.save(stylised, to: URL(fileURLWithPath: url.path + ".jpg"))
    }

    private func metadata(_ configuration: FastStyleTrainingConfiguration) -> StyleModel.Metadata {
        StyleModel.Metadata(baseChannels: configuration.baseChannels, scaling: .unit,
                            style: URL(fileURLWithPath: style).lastPathComponent, training: [
                                "dataset": URL(fileURLWithPath: dataset).lastPathComponent,
                                "iterations": String(configuration.iterations), "image-size": String(imageSize),
                                "batch-size": String(batchSize), "learning-rate": String(learningRate),
                                "content-weight": String(contentWeight), "style-weight": String(styleWeight),
                                "tv-weight": String(tvWeight), "seed": String(seed),
                            ])
    }

    private func say(_ line: String) {
        if !quiet { Terminal.status(line) }
    }
}

/// An existing folder, or a one-line error naming it.
func existingFolder(_ path: String, flag: String = "--dataset") throws -> URL {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw CommandError("\(flag) \(path): no such folder")
    }
    return URL(fileURLWithPath: path)
}
