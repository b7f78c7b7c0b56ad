import ImpastoCore
import ImpastoModels

/// The reference optimisation of Gatys et al. as the tutorial runs it: Adam on the pixels,
/// clipped to [0, 1] after every update.
public struct GatysTransfer: Sendable {
    public let objective: StyleObjective
    /// The current image, `1 × 3 × H × W`, RGB in [0, 1].
    public private(set) var image: Tensor
    public private(set) var optimizer: Adam
    /// Updates taken so far.
    public var stepsTaken: Int { optimizer.step }

    public init(objective: StyleObjective, initialImage: Tensor, optimizer: Adam) {
        self.objective = objective
        image = initialImage.laidOut(as: .nchw).detached()
        self.optimizer = optimizer
    }

    /// Takes one step and returns the loss of the image it started from (the tutorial reports
    /// the loss computed before the update).
    @discardableResult
    public mutating func step() -> LossReport {
        let x = image.requiringGradient()
        let (loss, report) = objective.evaluate(x)
        let gradient = gradients(of: loss, withRespectTo: [x])[0]
        optimizer.update(&image, gradient: gradient)
        image.clamp(to: 0...1)
        return report
    }
}
