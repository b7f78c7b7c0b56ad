import Foundation
import ImpastoCore
import ImpastoModels
import ImpastoStyle

extension Stylize {
    /// The keys a `--config` file may hold: every flag of the command, without the dashes.
    static let configKeys: Set<String> = [
        "content", "style", "style-blend", "preserve-colors", "output", "max-dim", "content-layers", "style-layers",
        "style-layer-weights", "content-weight", "style-weight", "tv-weight", "optimizer", "learning-rate",
        "history-size", "line-search", "starting-hessian", "pyramid-levels", "pyramid-decay", "style-warmup", "beta1", "beta2", "epsilon", "epochs", "steps-per-epoch", "init", "seed",
        "pooling", "scales", "scale-steps", "style-scale", "tolerance", "tolerance-steps", "checkpoint",
        "checkpoint-every", "resume", "save-every", "save-dir", "log", "quality", "progress-every", "quiet",
        "weights", "convolutions",
    ]

    static let booleanFlags: Set<String> = ["--quiet", "--help", "-h"]

    /// The settings that decide the image, as a `--config` file that repeats this run exactly:
    /// every value resolved (defaults filled in, the seed chosen, paths absolute).
    func usedSettings(_ configuration: StylizeConfiguration) throws -> Data {
        func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
        func number(_ value: Float) -> Double { Double(value.description)! }
        var settings: [String: Any] = [
            "content": absolute(content),
            "style": moreStyles.isEmpty ? absolute(style) : ([style] + moreStyles).map(absolute) as Any,
            "preserve-colors": configuration.colorPreservation.rawValue,
            "max-dim": configuration.maxDimension,
            "content-layers": configuration.contentLayers.map(\.rawValue),
            "style-layers": configuration.styleLayers.map(\.rawValue),
            "content-weight": number(configuration.lossWeights.content),
            "style-weight": number(configuration.lossWeights.style),
            "tv-weight": number(configuration.lossWeights.totalVariation),
            "optimizer": configuration.optimizer.rawValue,
            "history-size": configuration.historySize,
            "line-search": configuration.lineSearch.rawValue,
            "starting-hessian": configuration.startingHessian.rawValue,
            "pyramid-levels": configuration.effectivePyramidLevels,
            "pyramid-decay": number(configuration.pyramidDecay),
            "style-warmup": configuration.effectiveStyleWarmup.iterationsPerStage,
            "beta1": number(configuration.beta1), "beta2": number(configuration.beta2),
            "epsilon": number(configuration.epsilon),
            "epochs": configuration.epochs, "steps-per-epoch": configuration.stepsPerEpoch,
            "init": ["content", "noise"].contains(initialization) ? initialization : absolute(initialization),
            "seed": configuration.seed,
            "pooling": configuration.pooling.rawValue,
            "scales": configuration.scales, "scale-steps": configuration.scaleSteps,
            "style-scale": number(configuration.styleScale),
            "tolerance-steps": configuration.toleranceSteps,
            "convolutions": network.convolutions.rawValue,
            "quality": quality,
        ]
        settings["style-blend"] = configuration.styleBlend?.map(number)
        settings["style-layer-weights"] = configuration.styleLayerWeights?.map(number)
        settings["learning-rate"] = configuration.learningRate.map(number)
        settings["tolerance"] = configuration.tolerance
        settings["weights"] = network.weights.map(absolute)
        return try JSONSerialization.data(withJSONObject: settings, options: [.prettyPrinted, .sortedKeys])
    }

    /// A checkpoint to resume and the settings it was written with.
    struct Checkpoint {
        var archive: StateArchive
        var configuration: StylizeConfiguration
        var seed: UInt64 { configuration.seed }
    }

    func readCheckpoint(_ path: String) throws -> Checkpoint {
        guard FileManager.default.fileExists(atPath: path) else { throw CommandError("--resume \(path): no such file") }
        do {
            let archive = try StateArchive.read(contentsOf: URL(fileURLWithPath: path))
            return Checkpoint(archive: archive, configuration: try Stylization.configuration(of: archive))
        } catch let error as WeightFileError {
            throw CommandError("--resume \(path): not a stylize checkpoint this version of impasto can read (\(error))")
        }
    }

    /// A resumed run must optimise the same thing; only how long it runs and when it stops may change.
    func checkCompatible(_ configuration: StylizeConfiguration, _ saved: StylizeConfiguration) throws {
        func comparable(_ configuration: StylizeConfiguration) throws -> [String: String] {
            var free = configuration
            (free.epochs, free.stepsPerEpoch, free.tolerance, free.toleranceSteps) = (1, 1, nil, 1)
            let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(free)) as? [String: Any] ?? [:]
            return try json.mapValues { value in
                String(decoding: try JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys]), as: UTF8.self)
            }
        }
        let (now, then) = (try comparable(configuration), try comparable(saved))
        let differing = Set(now.keys).union(then.keys).filter { now[$0] != then[$0] }.sorted()
        guard differing.isEmpty else {
            throw CommandError("--resume \(resume ?? ""): written with different settings (\(differing.joined(separator: ", "))); "
                               + "only the step counts and --tolerance may change")
        }
    }
}

/// The loss of the last step, per term and per layer (unweighted, as the layers report it).
struct LayerReport {
    var report: LossReport
    var step: Int

    init(_ report: LossReport, step: Int) {
        self.report = report
        self.step = step
    }

    var text: String {
        var lines = [String(format: "Loss at step %d: %.6g = content %.6g + style %.6g + tv %.6g",
                            step, report.total, report.content, report.style, report.totalVariation)]
        for (key, value) in report.perLayer.sorted(by: { $0.key < $1.key }) {
            lines.append(String(format: "  %@ %.6g", key.padding(toLength: 22, withPad: " ", startingAt: 0), value))
        }
        return lines.joined(separator: "\n")
    }
}
