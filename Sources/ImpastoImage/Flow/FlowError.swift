/// Why optical flow or a flicker measure could not be computed. Each message fits on one line.
public enum FlowError: Error, CustomStringConvertible, Equatable {
    case sizeMismatch(what: String, expected: String, actual: String)
    case estimatorFailed(detail: String)
    case tooFewFrames(count: Int)

    public var description: String {
        switch self {
        case .sizeMismatch(let what, let expected, let actual): "\(what) is \(actual), not \(expected) like the frames before it"
        case .estimatorFailed(let detail): "OpenCV's DIS optical flow failed: \(detail)"
        case .tooFewFrames(let count): "a flicker report needs at least 2 frames, not \(count)"
        }
    }
}
