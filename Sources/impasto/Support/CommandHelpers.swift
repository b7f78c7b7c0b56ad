import Foundation
import ImpastoImage
import ImpastoModels
import ImpastoStyle

// Helpers every command shares: one-line errors, output checks, and library errors said in flags.

/// A one-line error for the user, printed as `Error: …`.
struct CommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body`, turning the library's errors about settings into the flags that set them
/// (`flag(setting)`; stylize's table by default).
func mappingErrors<T>(flag: (String) -> String = StylizeFlags.flag(for:), _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ConfigurationError {
        throw CommandError("\(flag(error.setting)) \(error.problem)")
    } catch let error as TrainingError {
        throw CommandError("--dataset \(error)")
    } catch PipelineError.blendMismatch(let weights, let styles) {
        throw CommandError("--style-blend gives \(weights) weights for \(styles) styles")
    } catch let error as CheckpointError {
        throw CommandError("--resume \(error)")
    }
}

/// An existing folder, or a one-line error naming it.
func existingFolder(_ path: String, flag: String) throws -> URL {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw CommandError("\(flag) \(path): no such folder")
    }
    return URL(fileURLWithPath: path)
}

/// Checks an output path before any work starts, so that a bad one fails fast and nothing is
/// written: its folder must exist and be writable, it must not be a folder itself, its extension
/// must be known, and it must not be an input.
func checkOutput(_ path: String, flag: String, inputs: [String], extensions: Set<String>? = ImageFile.writableExtensions) throws -> URL {
    let url = URL(fileURLWithPath: path).standardizedFileURL
    let folder = url.deletingLastPathComponent()
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw CommandError("\(flag) \(path): folder \(folder.path) does not exist")
    }
    guard access(folder.path, W_OK) == 0 else {
        throw CommandError("\(flag) \(path): folder \(folder.path) is not writable")
    }
    var existingIsFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &existingIsFolder), existingIsFolder.boolValue {
        throw CommandError("\(flag) \(path): is a folder; give a file name")
    }
    if let extensions, !extensions.contains(url.pathExtension.lowercased()) {
        throw CommandError("\(flag) \(path): unknown format '.\(url.pathExtension)'; use .jpg, .png, .webp or .tif")
    }
    let resolved = url.resolvingSymlinksInPath().path
    if inputs.contains(where: { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path == resolved }) {
        throw CommandError("\(flag) \(path): is one of the inputs; Impasto never overwrites an input")
    }
    return url
}

/// Writes the settings a one-pass command used beside its output, as a `--config` file that
/// repeats the run: paths made absolute, unset options left out.
func writeSettings(_ settings: [String: Any?], to url: URL) throws {
    var written: [String: Any] = [:]
    for case let (key, value?) in settings {
        switch value {
        case let path as String where ConfigFile.pathKeys.contains(key):
            written[key] = URL(fileURLWithPath: path).standardizedFileURL.path
        case let paths as [String] where ConfigFile.pathKeys.contains(key):
            written[key] = paths.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        default: written[key] = value
        }
    }
    try JSONSerialization.data(withJSONObject: written, options: [.prettyPrinted, .sortedKeys]).write(to: url, options: .atomic)
}

/// The model at `path` ready to apply, or a one-line error naming the file.
func makeStylizer(model path: String, look: OnePassLookOptions) throws -> FastStylizer {
    guard FileManager.default.fileExists(atPath: path) else { throw CommandError("\(path): no such file") }
    do {
        let model = try StyleModel.load(contentsOf: URL(fileURLWithPath: path))
        return FastStylizer(model: model, strength: look.strength, colorPreservation: look.preserveColors)
    } catch let error as WeightFileError {
        throw CommandError(error.description)
    }
}
