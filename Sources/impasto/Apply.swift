import ArgumentParser
import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels
import ImpastoStyle

struct Apply: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stylise photos in one pass: with any painting, a built-in style or a trained model.",
        discussion: "One photo and an image OUTPUT writes that file; several photos or a folder write into the "
            + "OUTPUT folder (created if needed), keeping a folder's tree and skipping files that are not images. "
            + "Without --model, --builtin or --style-image the first argument is the model file, as in earlier versions.")

    static let configurable = ConfigurableCommand(
        name: "apply", keys: ["model", "builtin", "style-image", "style-weights", "inputs", "output", "max-dim", "preserve-colors", "strength", "quality",
                              "quiet", "max-memory", "fit"],
        positionalKeys: ["inputs"], repeatableKeys: ["style-image"], booleanFlags: ["--quiet", "--fit", "--help", "-h"])

    @OptionGroup var network: OnePassNetworkOptions
    @Argument(help: "Photos or folders.") var inputs: [String]
    @Option(name: .shortAndLong, help: "Output image, or folder for several.") var output: String
    @OptionGroup var size: ImageSizeOptions
    @OptionGroup var memory: MemoryLimitOptions
    @OptionGroup var look: OnePassLookOptions
    @OptionGroup var quality: OutputQualityOptions
    @Flag(help: "Print nothing but errors and warnings.") var quiet = false
    @OptionGroup var config: ConfigOptions

    func run() throws {
        let (model, photos) = try network.model(andInputsFrom: inputs)
        let files = try plan(photos)
        let jobs = files.map { ApplyJob(source: .file($0), destination: $1) }
        let stylizer = try network.stylizer(model: model, look: look, quiet: quiet)
        let maxDimension = try fittingMemory(stylizer.network.architecture, photos: files.map(\.0))
        var run = ApplyRun(stylizer: stylizer, jobs: jobs, maxDimension: maxDimension)
        run.quality = quality.quality
        let settingsURL = try checkOutput(URL(fileURLWithPath: output).standardizedFileURL.path + ".json", flag: "--output",
                                          inputs: inputs + network.styleImage, extensions: ["json"], writer: .direct)
        let settings: [String: Any?] = [
            "model": model, "builtin": network.builtin, "style-image": network.styleImage.isEmpty ? nil : network.styleImage,
            "style-weights": network.styleWeights, "inputs": photos, "max-dim": maxDimension, "strength": look.strength,
            "preserve-colors": look.preserveColors.rawValue, "quality": quality.quality,
        ]
        var settingsWritten = false
        try run.run(cancellation: Interrupt.install()) { event in
            switch event {
            case .stylized(_, _, let source, let destination, let image, let elapsed):
                // Written with the first result, so a run that writes nothing leaves no settings
                // behind (nor replaces those of an earlier run into the same output).
                if !settingsWritten {
                    try writeSettings(settings, to: settingsURL)
                    settingsWritten = true
                }
                if !quiet {
                    Terminal.status(String(format: "%@ → %@  (%d×%d, %.0f ms)", source, destination?.path ?? "", image.shape.w,
                                           image.shape.h, elapsed.seconds * 1000))
                }
            case .skipped(_, _, let source, let reason): Terminal.status("warning: skipping \(source): \(reason)")
            case .warning(_, _, let source, let warning): Terminal.status("warning: \(source): \(warning)")
            case .finished(let written, let total) where total > 1 && !quiet:
                Terminal.status("Stylised \(written) of \(total) files into \(output)")
            case .cancelled(let written, let total):
                throw CommandError("interrupted after \(written) of \(total) files; those are written")
            default: break
            }
        }
    }

    /// `--max-dim`, checked against `--max-memory` for the largest photo before any is
    /// stylised: refused when over, or with `--fit` lowered to the largest side that is not.
    /// Photos over the decoder's pixel limit are left out: loading refuses them, naming the file.
    private func fittingMemory(_ architecture: OnePassArchitecture, photos: [URL]) throws -> Int? {
        let sizes = photos.compactMap { try? ImageFile.size(of: $0) }.filter { $0.width * $0.height <= ImageFile.maximumPixels }
        return try memory.shrunkDimension({ (budget, shrinking) throws(MemoryPlanError) in
            try MemoryFit.apply(architecture, photoSizes: sizes, maxDimension: size.maxDim, budget: budget, shrinking: shrinking)
        }, say: { if !quiet { Terminal.status($0) } }) ?? size.maxDim
    }

    /// Source and destination of every file to stylise.
    private func plan(_ inputs: [String]) throws -> [(URL, URL)] {
        guard !inputs.isEmpty else { throw CommandError("give at least one photo or folder") }
        var isDirectory: ObjCBool = false
        let single = inputs.count == 1 && FileManager.default.fileExists(atPath: inputs[0], isDirectory: &isDirectory)
            && !isDirectory.boolValue
        if single {
            return [(URL(fileURLWithPath: inputs[0]),
                     try checkOutput(output, flag: "--output", inputs: inputs + network.styleImage, besides: [(".json", .direct)]))]
        }
        let folder = URL(fileURLWithPath: output)
        var jobs: [(URL, URL)] = []
        for input in inputs {
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
                throw CommandError("\(input): no such file or folder")
            }
            let root = URL(fileURLWithPath: input).standardizedFileURL
            guard isDirectory.boolValue else {
                jobs.append((root, folder.appendingPathComponent(root.lastPathComponent)))
                continue
            }
            let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])?
                .compactMap { $0 as? URL }
                .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true } ?? []
            // Results go under OUTPUT/NAME; when that lies inside the input folder it holds
            // earlier results, not photos to stylise.
            let outputPrefix = folder.appendingPathComponent(root.lastPathComponent).standardizedFileURL.path + "/"
            for file in files.sorted(by: { $0.path < $1.path }) where !file.standardizedFileURL.path.hasPrefix(outputPrefix) {
                let relative = String(file.standardizedFileURL.path.dropFirst(root.path.count + 1))
                jobs.append((file, folder.appendingPathComponent(root.lastPathComponent).appendingPathComponent(relative)))
            }
        }
        guard !jobs.isEmpty else { throw CommandError("\(inputs.joined(separator: ", ")): no files to stylise") }
        for (source, destination) in jobs where destination.standardizedFileURL.path == source.standardizedFileURL.path {
            throw CommandError("--output \(output): would overwrite the input \(source.path)")
        }
        return jobs.map { source, destination in
            // Outputs keep their name; formats libvips cannot write become PNG.
            ImageFile.writableExtensions.contains(destination.pathExtension.lowercased())
                ? (source, destination) : (source, destination.deletingPathExtension().appendingPathExtension("png"))
        }
    }
}
