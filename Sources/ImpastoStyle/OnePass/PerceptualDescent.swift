import ImpastoCore

/// L-BFGS over the pixels of one image on the fast-style training objective, starting from the
/// photo: the optimisation that `EquivalentIterations` counts a network's worth in.
///
/// As in `GatysTransfer`, the pixels are unconstrained and the objective is the loss of their
/// projection onto [0, 1], with no gradient along clipped pixels, so every loss is an image's.
struct PerceptualDescent {
    let photo: Tensor
    private let objective: FastStyleTrainer
    private var optimizer: LBFGS<TrainingLoss>
    private var point: [Float]
    /// The loss of `image`.
    private(set) var loss: TrainingLoss
    /// Set once L-BFGS has stopped; the image no longer changes.
    private(set) var stop: LBFGS<TrainingLoss>.StopReason?

    init(photo: Tensor, objective: FastStyleTrainer, configuration: EquivalentIterationsConfiguration) {
        self.photo = photo.laidOut(as: .nchw).detached()
        self.objective = objective
        // The objective is a weighted sum of squares, so it is never below 0.
        optimizer = LBFGS(historySize: configuration.historySize, lineSearch: .strongWolfe,
                          startingHessian: configuration.startingHessian, valueLowerBound: 0)
        if configuration.pyramidLevels > 1 {
            optimizer.basis = PixelPyramid(channels: photo.shape.c, height: photo.shape.h, width: photo.shape.w,
                                           levels: configuration.pyramidLevels, decay: configuration.pyramidDecay)
        }
        point = self.photo.scalars
        loss = objective.perceptualLoss(of: self.photo, photos: self.photo).1
    }

    /// Iterations taken.
    var iterations: Int { optimizer.iterations }

    /// The current image, RGB in [0, 1].
    var image: Tensor {
        var projected = Tensor(shape: photo.shape, scalars: point)
        projected.clamp(to: 0...1)
        return projected
    }

    /// One L-BFGS iteration; false when L-BFGS has stopped without moving.
    ///
    /// The new point's loss is the line search's last evaluation when that was at the point, as
    /// it almost always is, so tracking the loss costs no evaluation of its own.
    mutating func step() -> Bool {
        guard stop == nil else { return false }
        let (objective, photo) = (objective, photo)
        var last: (point: [Float], evaluation: LBFGS<TrainingLoss>.Evaluation)?
        let before = optimizer.iterations
        let outcome = optimizer.step(&point) { x in
            let evaluation = Self.evaluate(x, objective: objective, photo: photo)
            last = (x, evaluation)
            return evaluation
        }
        stop = outcome.stop
        guard optimizer.iterations > before else { return false }
        if let last, last.point == point {
            loss = last.evaluation.info
        } else {
            loss = Self.evaluate(point, objective: objective, photo: photo).info
        }
        return true
    }

    private static func evaluate(_ unconstrained: [Float], objective: FastStyleTrainer,
                                 photo: Tensor) -> LBFGS<TrainingLoss>.Evaluation {
        let projected = unconstrained.map { min(max($0, 0), 1) }
        let image = Tensor(shape: photo.shape, scalars: projected).requiringGradient()
        let (loss, parts) = objective.perceptualLoss(of: image, photos: photo)
        var gradient = gradients(of: loss, withRespectTo: [image])[0].scalars
        for i in gradient.indices where unconstrained[i] != projected[i] { gradient[i] = 0 }
        return .init(value: parts.total, gradient: gradient, info: parts)
    }
}
