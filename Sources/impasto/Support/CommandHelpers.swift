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
/// written: its folder must exist and be writable, its name must leave room for the temporary
/// name `writer` writes it through and for `besides` (files written beside it under its name plus
/// a suffix, such as `.json`, and their writers), it must not be a folder itself, its extension
/// must be known, and it must not be an input.
func checkOutput(_ path: String, flag: String, inputs: [String], extensions: Set<String>? = ImageFile.writableExtensions,
                 writer: OutputWriter = .image, besides: [(suffix: String, writer: OutputWriter)] = []) throws -> URL {
    let url = URL(fileURLWithPath: path).standardizedFileURL
    let folder = url.deletingLastPathComponent()
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw CommandError("\(flag) \(path): folder \(folder.path) does not exist")
    }
    guard access(folder.path, W_OK) == 0 else {
        throw CommandError("\(flag) \(path): folder \(folder.path) is not writable")
    }
    let reportedLimit = pathconf(folder.path, Int32(_PC_NAME_MAX))
    let limit = reportedLimit > 0 ? reportedLimit : 255
    let files = [(suffix: "", writer: writer)] + besides
    let longest = files.map { file in
        limit - file.suffix.utf8.count - file.writer.addedBytes(to: url.lastPathComponent + file.suffix)
    }.min()!
    guard url.lastPathComponent.utf8.count <= longest else {
        let beside = besides.isEmpty ? "" : " and the " + besides.map { "NAME\($0.suffix)" }.joined(separator: ", ") + " beside it"
        throw CommandError("\(flag) \(path): the file name is \(url.lastPathComponent.utf8.count) bytes; at most \(longest) "
                           + "leave room, within the file system's \(limit), for the temporary name it is written through\(beside)")
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

/// How an output is written, which decides how much longer than its name the name of the
/// temporary file it goes through first is. A name that fit the file system's limit but whose
/// temporary name did not used to fail only when the finished result was written.
enum OutputWriter {
    /// `ImageFile.save`: `.STEM.UUID.EXT`.
    case image
    /// Model files and checkpoints (`writeAtomically`): `.NAME.PID.partial`.
    case weights
    /// `VideoRun`: `.NAME.partial.EXT`.
    case video
    /// Foundation's atomic writes (whose temporary name does not grow with the file's) and logs
    /// written in place.
    case direct

    /// The bytes the temporary name adds to `name`.
    func addedBytes(to name: String) -> Int {
        switch self {
        case .image: 2 + 36  // Two dots and a UUID.
        case .weights: 10 + String(getpid()).utf8.count
        case .video: 10 + URL(fileURLWithPath: name).pathExtension.utf8.count
        case .direct: 0
        }
    }
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
