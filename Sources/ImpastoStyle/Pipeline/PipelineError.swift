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

/// A number a run computes that stopped being finite (NaN or infinite).
public enum NonFiniteValue: Sendable, Equatable, CustomStringConvertible {
    case loss
    case gradient
    case image
    /// A parameter of the network being trained, by name.
    case weights(String)
    /// What the network being trained makes of a photo.
    case output

    public var description: String {
        switch self {
        case .loss: "the loss"
        case .gradient: "the gradient"
        case .image: "the image"
        case .weights(let name): "the weights (\(name))"
        case .output: "the network's output"
        }
    }
}

/// Why a run stopped part-way: a step made a value that is not a finite number, after which no
/// step can recover (every later value is NaN too). The step that did is named, 1-based, and
/// nothing it made is kept: the error carries, or the run leaves in place, what came before it.
public enum DivergenceError: Error, CustomStringConvertible {
    /// A stylisation's step `step` of stage `stage` (of `stages`; counted within the stage).
    /// `kept` is the run's result as it stood before that step, with colours finished; nil
    /// when no step had succeeded, as the image then is only the starting one.
    case stylization(value: NonFiniteValue, step: Int, stage: Int, stages: Int, kept: StylizeResult?)
    /// A training run's step `step`; the network, its optimiser and its count of steps are
    /// left as they were before it.
    case training(value: NonFiniteValue, step: Int)

    public var value: NonFiniteValue {
        switch self {
        case .stylization(let value, _, _, _, _), .training(let value, _): value
        }
    }

    public var step: Int {
        switch self {
        case .stylization(_, let step, _, _, _), .training(_, let step): step
        }
    }

    public var description: String {
        switch self {
        case .stylization(let value, let step, let stage, let stages, _):
            let scale = stage == stages ? "" : " of scale \(stage)/\(stages)"
            return "\(value) became NaN or infinite at step \(step)\(scale): the steps overshot "
                + "(lower the style weight, the content weight or the learning rate)"
        case .training(let value, let step):
            return "\(value) became NaN or infinite at step \(step): the steps overshot (lower the learning rate)"
        }
    }
}
