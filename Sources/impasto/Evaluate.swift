import ArgumentParser
import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels
import ImpastoStyle

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a trained model in L-BFGS iterations: how many the optimisation needs to match it.",
        discussion: "Each photo is resized and centre-cropped to --size, stylised by the model and scored with the "
            + "objective the model was trained with (its content, style and TV weights as the model records them); "
            + "then L-BFGS starts from the photo on the same objective until its image is as good. The table gives "
            + "those equivalent iterations and the content and style losses of both images (Johnson et al. 2016 "
            + "report 50–100 for theirs).")

    private static let defaults = EquivalentIterationsConfiguration()

    @Argument(help: "A model from `impasto train`.") var model: String
    @Argument(help: "Held-out photos: ones the model was not trained on.") var photos: [String] = []
    @Option(help: "The painting the model was trained on.") var style: String
    @Option(help: "Side of the square each photo is cropped and resized to (a multiple of 4).") var size = defaults.size
    @Option(help: "The most L-BFGS iterations per photo; a model not matched by then counts as at least this many.")
    var iterations = defaults.iterationCap
    @Option(help: ArgumentHelp("Write the measurements here as JSON.", valueName: "file")) var json: String?
    @Option(help: "Content layers, for a model that does not record them (default block2_conv2).", transform: layerList)
    var contentLayers: [VGG19.Layer]?
    @Option(help: "Style layers, for a model that does not record them (default block1_conv2,block2_conv2,block3_conv3,block4_conv3).",
            transform: layerList)
    var styleLayers: [VGG19.Layer]?
    @Option(help: "The painting's longer side in training, for a model that does not record it (default: its size, at most 512).")
    var styleSize: Int?
    @OptionGroup var progress: ProgressOptions
    @OptionGroup var network: NetworkOptions

    private static let flagOfSetting = ["size": "--size", "iterationCap": "--iterations", "contentLayers": "--content-layers",
                                        "styleLayers": "--style-layers", "styleSize": "--style-size"]

    func validate() throws {
        if photos.isEmpty { throw ValidationError("give at least one photo to measure on") }
        if !FileManager.default.fileExists(atPath: model) { throw ValidationError("\(model): no such file") }
        if !FileManager.default.fileExists(atPath: style) { throw ValidationError("--style \(style): no such file") }
        for photo in photos where !FileManager.default.fileExists(atPath: photo) {
            throw ValidationError("\(photo): no such file")
        }
    }

    func run() throws {
        let jsonURL = try json.map { try checkOutput($0, flag: "--json", inputs: [model, style] + photos, extensions: ["json"], writer: .direct) }
        var configuration = EquivalentIterationsConfiguration()
        (configuration.size, configuration.iterationCap) = (size, iterations)
        try mappingErrors(flag: { Self.flagOfSetting[$0] ?? $0 }) { try configuration.validate() }
        let styleModel = try StyleModel.load(contentsOf: URL(fileURLWithPath: model))
        let training = try objective(recordedIn: styleModel.metadata)
        let painting = try ImageFile.load(URL(fileURLWithPath: style), maxDimension: training.styleSize ?? 512)
        let measurement = try mappingErrors(flag: { Self.flagOfSetting[$0] ?? $0 }) {
            try EquivalentIterations(configuration: configuration, training: training, vgg: try network.loadNetwork(),
                                     painting: painting)
        }
        let display = EvaluationProgress(options: progress, cap: iterations)
        let results: [PhotoEquivalence]
        do {
            results = try measurement.measure(styleModel.network, photos: photos.map { URL(fileURLWithPath: $0) },
                                              progress: display.show)
        } catch let error as EquivalentIterationsError {
            throw CommandError("\(model): \(error)")
        }
        display.finish()
        let report = EquivalentIterationsReport(model: model, style: style, configuration: configuration, training: training,
                                                styleSize: max(painting.shape.h, painting.shape.w), photos: results)
        print(Self.table(report))
        if let jsonURL {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(report).write(to: jsonURL, options: .atomic)
            progress.say("wrote \(jsonURL.path)")
        }
    }

    /// The training objective as the model records it; the flags give what it does not, and
    /// anything neither gives is the default, said on standard error.
    private func objective(recordedIn metadata: StyleModel.Metadata) throws -> FastStyleTrainingConfiguration {
        var (training, unrecorded) = try mappingRecordErrors { try FastStyleTrainingConfiguration.recorded(in: metadata.training) }
        var given: Set<String> = []
        if let contentLayers { (training.contentLayers, given) = (contentLayers, given.union(["content-layers"])) }
        if let styleLayers { (training.styleLayers, given) = (styleLayers, given.union(["style-layers"])) }
        if let styleSize { (training.styleSize, given) = (styleSize, given.union(["style-size"])) }
        unrecorded.removeAll { given.contains($0) }
        if !unrecorded.isEmpty {
            progress.say("\(model) does not record its \(unrecorded.joined(separator: ", ")); using the defaults "
                         + "(give \(unrecorded.map { "--" + $0 }.joined(separator: ", ")) if it was trained otherwise)")
        }
        return training
    }

    private func mappingRecordErrors<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as RecordedSettingError { throw CommandError("\(model): \(error)") }
    }

    /// One row per photo and the mean: equivalent iterations, then the network's loss and the
    /// L-BFGS image's it is compared with, each with its content and style parts.
    static func table(_ report: EquivalentIterationsReport) -> String {
        func loss(_ terms: LossTerms) -> String {
            String(format: "%10.4g %10.4g %10.4g", terms.total, terms.content, terms.style)
        }
        func iterations(_ value: Double, reached: Bool) -> String {
            reached ? String(format: "%.1f", value) : String(format: ">=%.0f", value)
        }
        let nameWidth = max(12, report.photos.map { URL(fileURLWithPath: $0.photo).lastPathComponent.count }.max() ?? 0)
        func padded(_ text: String) -> String { text.padding(toLength: nameWidth, withPad: " ", startingAt: 0) }
        var lines = [padded("photo") + "  equivalent  " + "  network: loss    content      style"
                     + "   L-BFGS it.      loss    content      style"]
        for photo in report.photos {
            lines.append(padded(URL(fileURLWithPath: photo.photo).lastPathComponent)
                         + "  " + iterations(photo.equivalentIterations, reached: photo.reached).leftPadded(10)
                         + "  " + loss(photo.network) + "  " + String(photo.lbfgsIteration).leftPadded(11) + loss(photo.lbfgs)
                         + (photo.lbfgsStop.map { "  (L-BFGS stopped: \($0))" } ?? ""))
        }
        let mean = report.mean
        lines.append(padded("mean") + "  "
                     + iterations(mean.equivalentIterations, reached: mean.reached == report.photos.count).leftPadded(10)
                     + "  " + loss(mean.network) + "  " + "".leftPadded(11) + loss(mean.lbfgs))
        lines.append(String(format: "%d of %d photos matched within %d L-BFGS iterations at %d×%d; content loss %@ the L-BFGS image's",
                            mean.reached, report.photos.count, report.iterationCap, report.size, report.size,
                            mean.contentRatio.map { String(format: "%.2f×", $0) } ?? "(none at iteration 0)"))
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

/// L-BFGS progress on standard error: a live line on a terminal, otherwise a line every
/// `--progress-every` iterations and at each photo's end. The time left assumes every remaining
/// photo runs to the cap, so it is an upper bound.
private final class EvaluationProgress {
    private let options: ProgressOptions
    private let cap: Int
    private let started = ContinuousClock.now
    private var iterationsDone = 0

    init(options: ProgressOptions, cap: Int) {
        (self.options, self.cap) = (options, cap)
    }

    func show(_ progress: EquivalentIterations.Progress) {
        iterationsDone += 1
        guard !options.quiet else { return }
        let rate = Double(iterationsDone) / max((ContinuousClock.now - started).seconds, 1e-9)
        let left = Double(cap - progress.iteration + cap * (progress.photos - progress.photo - 1)) / max(rate, 1e-9)
        let reached = progress.loss.total <= progress.target.total
        let line = String(format: "photo %d/%d  step %d/%d  loss %.4g (content %.4g, style %.4g)  network %.4g  %.2f steps/s  ETA ≤ %d:%02d:%02d",
                          progress.photo + 1, progress.photos, progress.iteration, cap, progress.loss.total,
                          progress.loss.content, progress.loss.style, progress.target.total, rate,
                          Int(left) / 3600, Int(left) / 60 % 60, Int(left) % 60)
        if Terminal.isInteractive {
            Terminal.overwrite(line)
            if reached || progress.iteration == cap { Terminal.status("") }
        } else if progress.iteration % options.progressEvery == 0 || reached || progress.iteration == cap {
            Terminal.status(line)
        }
    }

    /// Clears a live line left by a photo on which L-BFGS stopped early.
    func finish() {
        if Terminal.isInteractive && !options.quiet { Terminal.overwrite("") }
    }
}
