import ArgumentParser
import Foundation
import ImpastoImage
import ImpastoModels
import ImpastoStyle

// Flags that several commands share, declared and checked once.

/// `--max-dim`: the longer side images are shrunk to.
struct ImageSizeOptions: ParsableArguments {
    @Option(help: "Shrink images so the longer side is at most this (default: 512 for stylize, none otherwise).")
    var maxDim: Int?

    func validate() throws {
        if let maxDim, maxDim < 16 { throw ValidationError("--max-dim must be at least 16 pixels, not \(maxDim)") }
    }
}

/// `--quality`: JPEG and WebP quality of written images.
struct OutputQualityOptions: ParsableArguments {
    @Option(help: "JPEG/WebP quality, 1–100.") var quality = 95

    func validate() throws {
        guard (1...100).contains(quality) else { throw ValidationError("--quality must be 1–100, not \(quality)") }
    }
}

/// `--preserve-colors` and `--strength` for the one-pass commands.
struct OnePassLookOptions: ParsableArguments {
    @Option(help: "none, luminance (keep the photo's colours) or histogram (match its colour statistics).")
    var preserveColors = ColorPreservation.none
    @Option(help: ArgumentHelp("0 = the photo, 1 = fully stylised; in between a blend with the photo (with "
                               + "--style-image, of the photo's own style and the painting's, which keeps the strokes sharp)."))
    var strength: Float = 1

    func validate() throws {
        guard strength.isFinite, (0...1).contains(strength) else { throw ValidationError("--strength must be in 0…1") }
    }
}

/// `--quiet` and `--progress-every`.
struct ProgressOptions: ParsableArguments {
    @Flag(help: "Print nothing but errors.") var quiet = false
    @Option(help: "Without a terminal, print a progress line every N steps.") var progressEvery = 10

    func validate() throws {
        guard progressEvery >= 1 else { throw ValidationError("--progress-every must be at least 1") }
    }

    func say(_ line: String) {
        if !quiet { Terminal.status(line) }
    }
}

/// `--checkpoint`, `--checkpoint-every` and `--resume`, for the commands that can be stopped and continued.
struct CheckpointOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Save the whole state here every --checkpoint-every steps and when interrupted.",
                               valueName: "file"))
    var checkpoint: String?
    @Option(help: "Steps between checkpoints (default: 50 for stylize, 200 for train).") var checkpointEvery: Int?
    @Option(help: ArgumentHelp("Continue bit-identically from a --checkpoint file; the settings must match "
                               + "(the step counts may grow).", valueName: "file"))
    var resume: String?

    func validate() throws {
        if let checkpointEvery, checkpointEvery < 1 { throw ValidationError("--checkpoint-every must be at least 1") }
        if let resume, !FileManager.default.fileExists(atPath: resume) {
            throw ValidationError("--resume \(resume): no such file")
        }
    }
}

/// `--config FILE`, read before parsing (see `ConfigFile`); declared so that --help lists it.
struct ConfigOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Read settings from a JSON or YAML file whose keys are this command's flags without "
                               + "the dashes; flags given here win. Each run writes the settings it used beside its output.",
                               valueName: "file"))
    var config: String?
}

/// `--model FILE`, `--builtin STYLES` or `--style-image PAINTING`: the network `apply` and `video`
/// run. Without any, the first positional argument is the model file, so that commands written
/// for earlier versions (`impasto apply model.safetensors photo.jpg`) keep working.
struct OnePassNetworkOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A model from `impasto train` or `impasto import-model`.", valueName: "file"))
    var model: String?
    @Option(help: ArgumentHelp("A built-in style 0–25 (see `impasto styles`) or a blend such as 3:0.5,12:0.5 "
                               + "(weights are relative); its network is fetched on first use.", valueName: "styles"))
    var builtin: String?
    @Option(help: ArgumentHelp("Any painting as the style, in one pass (Magenta's arbitrary-style network, fetched on "
                               + "first use). Repeat to blend paintings.", valueName: "image"))
    var styleImage: [String] = []
    @Option(help: ArgumentHelp("Relative weights of the --style-image paintings, such as 2,1 (default: equal).",
                               valueName: "weights"))
    var styleWeights: String?

    func validate() throws {
        let chosen = [model != nil, builtin != nil, !styleImage.isEmpty].filter { $0 }.count
        if chosen > 1 { throw ValidationError("use one of --model, --builtin and --style-image") }
        _ = try blend
        _ = try paintingWeights
        for painting in styleImage where !FileManager.default.fileExists(atPath: painting) {
            throw ValidationError("--style-image \(painting): no such file")
        }
    }

    /// The `--builtin` blend, or nil without the flag.
    var blend: StyleBlend? {
        get throws {
            guard let builtin else { return nil }
            do {
                return try StyleBlend(parsing: builtin)
            } catch let error as StyleBlendError {
                throw ValidationError("--builtin \(builtin) \(error)")
            }
        }
    }

    /// One weight per `--style-image`: `--style-weights` parsed, or all equal.
    var paintingWeights: [Float] {
        get throws {
            guard let styleWeights else { return styleImage.map { _ in 1 } }
            let weights = styleWeights.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces)) }
            guard weights.count == styleImage.count, weights.allSatisfy({ $0.map { $0.isFinite && $0 >= 0 } ?? false }),
                  weights.reduce(0, { $0 + $1! }) > 0 else {
                throw ValidationError("--style-weights \(styleWeights): give \(styleImage.count) non-negative numbers "
                                      + "separated by commas, one per --style-image, not all zero")
            }
            return weights.map { $0! }
        }
    }

    /// The model file (nil for `--builtin` and `--style-image`) and the positional arguments that remain inputs.
    func model(andInputsFrom positionals: [String]) throws -> (model: String?, inputs: [String]) {
        if builtin != nil || model != nil || !styleImage.isEmpty { return (model, positionals) }
        guard let first = positionals.first else { throw CommandError("give --model FILE, --builtin STYLES or --style-image PAINTING") }
        return (first, Array(positionals.dropFirst()))
    }

    /// The stylizer for the model file, the built-in network or the paintings (networks fetched
    /// first if needed, saying so unless `quiet`).
    func stylizer(model: String?, look: OnePassLookOptions, quiet: Bool) throws -> FastStylizer {
        if let model { return try makeStylizer(model: model, look: look) }
        let announce: (String) -> Void = { line in if !quiet { Terminal.status(line) } }
        let network: OnePassNetwork
        if let blend = try blend {
            network = .builtin(try MultiStyleNetwork.fetched(announce: announce), blend)
        } else {
            let stylizer = try ArbitraryStylizer.fetched(announce: announce)
            let paintings = zip(styleImage, try paintingWeights).map { (url: URL(fileURLWithPath: $0), weight: $1) }
            network = .arbitrary(stylizer, styleVector: try stylizer.styleVector(ofPaintings: paintings))
        }
        return FastStylizer(network: network, strength: look.strength, colorPreservation: look.preserveColors)
    }
}
