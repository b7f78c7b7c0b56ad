/// Why a checkpoint cannot continue this run. Kept apart from `WeightFileError`, which is about
/// reading a file: here the file reads fine but holds another run's state.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    /// Not a stylize checkpoint this version can read (the archive's own error, in words).
    case unreadable(path: String, reason: String)
    /// A setting the optimiser saved that this version does not know.
    case unknownValue(path: String, setting: String, value: String)
    case otherImageSize(path: String, expected: [Int], found: [Int])
    case otherOptimizer(path: String, saved: String)
    case otherPyramid(path: String)
    case otherStage(path: String, stage: Int, stages: Int)
    /// Settings that decide the image differ from the run being resumed (setting names).
    case otherSettings(path: String, settings: [String])

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): not a stylize checkpoint this version of impasto can read (\(reason))"
        case .unknownValue(let path, let setting, let value): "\(path): unknown \(setting) '\(value)'"
        case .otherImageSize(let path, let expected, let found):
            "\(path): holds an image of shape \(found), this run's is \(expected)"
        case .otherOptimizer(let path, let saved): "\(path): holds \(saved) state, this run uses another optimiser"
        case .otherPyramid(let path): "\(path): its pyramid does not match this run's"
        case .otherStage(let path, let stage, let stages): "\(path): it is from stage \(stage) of a run with \(stages)"
        case .otherSettings(let path, let settings):
            "\(path): written with different settings (\(settings.joined(separator: ", "))); only the step counts and the tolerance may change"
        }
    }
}
