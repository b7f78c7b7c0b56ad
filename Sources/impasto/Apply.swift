import ArgumentParser
import Foundation
import ImpastoCore
import ImpastoImage
import ImpastoModels
import ImpastoStyle

struct Apply: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stylise photos with a trained model, one pass each.",
        discussion: "One photo and an image OUTPUT writes that file; several photos or a folder write into the "
            + "OUTPUT folder (created if needed), keeping a folder's tree and skipping files that are not images.")

    @Argument(help: "A model from `impasto train` or `impasto import-model`.") var model: String
    @Argument(help: "Photos or folders.") var inputs: [String]
    @Option(name: .shortAndLong, help: "Output image, or folder for several.") var output: String
    @Option(help: "Shrink photos so the longer side is at most this.") var maxDim: Int?
    @Option(help: "none, luminance (keep the photo's colours) or histogram (match its colour statistics).")
    var preserveColors = ColorPreservation.none.rawValue
    @Option(help: "Blend with the photo: 0 = the photo, 1 = fully stylised.") var strength: Float = 1
    @Option(help: "JPEG/WebP quality, 1–100.") var quality = 95
    @Flag(help: "Print nothing but errors and warnings.") var quiet = false

    func run() throws {
        if let maxDim, maxDim < 16 { throw CommandError("--max-dim must be at least 16") }
        guard (1...100).contains(quality) else { throw CommandError("--quality must be 1–100") }
        let stylizer = try makeStylizer(model: model, preserveColors: preserveColors, strength: strength)
        let jobs = try plan()
        var written = 0
        for (source, destination) in jobs {
            do {
                let photo = try ImageFile.load(source, maxDimension: maxDim)
                let started = ContinuousClock.now
                let result = stylizer.stylize(photo)
                try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(),
                                                        withIntermediateDirectories: true)
                try ImageFile.save(result, to: destination, quality: quality)
                written += 1
                if !quiet {
                    Terminal.status(String(format: "%@ → %@  (%d×%d, %.0f ms)", source.path, destination.path,
                                           photo.shape.w, photo.shape.h, (ContinuousClock.now - started).seconds * 1000))
                }
            } catch ImageError.notAnImage(let path) where jobs.count > 1 {
                Terminal.status("warning: skipping \(path): not an image")
            }
        }
        if jobs.count > 1 && !quiet { Terminal.status("Stylised \(written) of \(jobs.count) files into \(output)") }
    }

    /// Source and destination of every file to stylise.
    private func plan() throws -> [(URL, URL)] {
        guard !inputs.isEmpty else { throw CommandError("give at least one photo or folder") }
        var isDirectory: ObjCBool = false
        let single = inputs.count == 1 && FileManager.default.fileExists(atPath: inputs[0], isDirectory: &isDirectory)
            && !isDirectory.boolValue
        if single {
            return [(URL(fileURLWithPath: inputs[0]), try checkOutput(output, flag: "--output", inputs: inputs))]
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
            for file in files.sorted(by: { $0.path < $1.path }) {
                let relative = String(file.standardizedFileURL.path.dropFirst(root.path.count + 1))
                jobs.append((file, folder.appendingPathComponent(root.lastPathComponent).appendingPathComponent(relative)))
            }
        }
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


/// The model at `path` ready to apply, or a one-line error naming the file or flag.
func makeStylizer(model path: String, preserveColors: String, strength: Float) throws -> FastStylizer {
    guard FileManager.default.fileExists(atPath: path) else { throw CommandError("\(path): no such file") }
    let model: StyleModel
    do {
        model = try StyleModel.load(contentsOf: URL(fileURLWithPath: path))
    } catch let error as WeightFileError {
        throw CommandError(error.description)
    }
    guard let colors = ColorPreservation(rawValue: preserveColors) else {
        throw CommandError("--preserve-colors must be none, luminance or histogram, not '\(preserveColors)'")
    }
    guard strength.isFinite, (0...1).contains(strength) else { throw CommandError("--strength must be in 0…1") }
    return FastStylizer(model: model, strength: strength, colorPreservation: colors)
}
