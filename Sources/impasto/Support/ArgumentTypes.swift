import ArgumentParser
import ImpastoCore
import ImpastoModels
import ImpastoStyle

// The library's choices as flag values: ArgumentParser lists them in --help and refuses others
// with a line naming the flag and the choices.
extension OptimizerKind: ExpressibleByArgument {}
extension LBFGS.LineSearch: ExpressibleByArgument {}
extension LBFGS.StartingHessian: ExpressibleByArgument {}
extension Pooling: ExpressibleByArgument {}
extension ColorPreservation: ExpressibleByArgument {}
extension StylizePreset: ExpressibleByArgument {}
extension ConvolutionAlgorithm: ExpressibleByArgument {}

extension Initialization: ExpressibleByArgument {
    /// `content`, `noise`, or any other text as an image file.
    public init?(argument: String) {
        switch argument {
        case "content": self = .content
        case "noise": self = .noise
        default: self = .file(argument)
        }
    }

    public var defaultValueDescription: String {
        switch self {
        case .content: "content"
        case .noise: "noise"
        case .file(let path): path
        }
    }

    /// The image file it names, if any (an input the output must not overwrite).
    var file: String? {
        if case .file(let path) = self { path } else { nil }
    }
}

/// Comma-separated VGG19 layer names (`block4_conv2`, `relu4_2`, `conv4_2`), for `@Option(transform:)`
/// so that an unknown name is reported with the valid ones.
func layerList(_ argument: String) throws -> [VGG19.Layer] {
    try argument.split(separator: ",").map { name in
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard let layer = VGG19.Layer(name: trimmed) else {
            throw ValidationError("unknown layer '\(trimmed)'; use \(VGG19.Layer.validNames)")
        }
        return layer
    }
}

/// Comma-separated numbers.
struct NumberList: ExpressibleByArgument {
    var values: [Float]

    init?(argument: String) {
        let parsed = argument.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces)) }
        guard !parsed.isEmpty, !parsed.contains(where: { $0 == nil }) else { return nil }
        values = parsed.compactMap { $0 }
    }

    var defaultValueDescription: String { values.map { "\($0)" }.joined(separator: ",") }
}
