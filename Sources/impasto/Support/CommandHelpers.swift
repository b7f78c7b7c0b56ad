import Foundation
import ImpastoImage

/// Checks an output path before any work starts, so that a bad one fails fast and nothing is
/// written: its folder must exist and be writable, its extension known, and it must not be an input.
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
    if let extensions, !extensions.contains(url.pathExtension.lowercased()) {
        throw CommandError("\(flag) \(path): unknown format '.\(url.pathExtension)'; use .jpg, .png, .webp or .tif")
    }
    let resolved = url.resolvingSymlinksInPath().path
    if inputs.contains(where: { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path == resolved }) {
        throw CommandError("\(flag) \(path): is one of the inputs; Impasto never overwrites an input")
    }
    return url
}
