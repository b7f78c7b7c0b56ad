import Foundation

/// The data folder's layout. Every file the studio reads or writes is named here from ids the
/// server made, so no name from a request ever becomes a path.
struct StudioFolder: Sendable {
    let root: URL

    var database: URL { root.appendingPathComponent("studio.sqlite") }
    var uploads: URL { root.appendingPathComponent("uploads", isDirectory: true) }
    var results: URL { root.appendingPathComponent("results", isDirectory: true) }
    var thumbnails: URL { root.appendingPathComponent("thumbnails", isDirectory: true) }

    init(root: URL) throws {
        self.root = root
        for folder in [root, uploads, results, thumbnails] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
    }

    func upload(_ image: ImageRecord) -> URL { uploads.appendingPathComponent(image.file) }
    func thumbnail(ofImage id: String) -> URL { thumbnails.appendingPathComponent("image-\(id).jpg") }
    func thumbnail(ofBuiltin index: Int) -> URL { thumbnails.appendingPathComponent("builtin-\(index).jpg") }
    func thumbnail(ofJob id: String) -> URL { thumbnails.appendingPathComponent("job-\(id).jpg") }
    func result(ofJob id: String) -> URL { results.appendingPathComponent("\(id).png") }
    func preview(ofJob id: String) -> URL { results.appendingPathComponent("\(id).preview.jpg") }

    /// Writes `data` under a temporary name beside `url`, then renames it into place.
    static func writeAtomically(_ data: Data, to url: URL) throws {
        try data.write(to: url, options: .atomic)
    }

    /// Removes files that may not exist.
    static func remove(_ urls: [URL]) {
        for url in urls { try? FileManager.default.removeItem(at: url) }
    }
}
