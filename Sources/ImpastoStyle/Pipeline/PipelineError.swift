import ImpastoModels

/// Why a run could not start. Each names the image or setting it is about (settings by their
/// name in `StylizeConfiguration`; front ends map them to their own words, such as flags).
public enum PipelineError: Error, CustomStringConvertible, Equatable {
    /// An image is too small for the deepest layer the run uses, at the smallest size it is seen.
    case imageTooSmall(name: String, width: Int, height: Int, minimum: Int, layer: String)
    /// The blend gives a weight count that differs from the style count.
    case blendMismatch(weights: Int, styles: Int)
    case noStyles

    public var description: String {
        switch self {
        case .imageTooSmall(let name, let width, let height, let minimum, let layer):
            "\(name): \(width)×\(height) is too small for \(layer); each side must be at least \(minimum) pixels (use fewer scales)"
        case .blendMismatch(let weights, let styles): "the style blend gives \(weights) weights for \(styles) styles"
        case .noStyles: "give at least one style image"
        }
    }
}
