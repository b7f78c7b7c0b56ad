import ImpastoCore
import ImpastoModels

/// The optimisation of Gatys et al. over the pixels of one image.
///
/// With Adam it is the reference tutorial's loop exactly: one gradient per step, the image
/// clipped to [0, 1] after every update. With L-BFGS the pixels are optimised unconstrained
/// (a line search needs the objective it measured, and clipping between its trials would change
/// it) and the image is clipped to [0, 1] whenever it is read: `image` is the projection of the
/// optimiser's point. That is how neural-style and its descendants use L-BFGS. A `PixelPyramid`
/// may precondition L-BFGS (its `basis`).
public struct GatysTransfer: Sendable {
    public enum Optimizer: Sendable {
        case adam(Adam)
        case lbfgs(LBFGS<LossReport>)
    }

    /// One step's result.
    public struct StepOutcome: Sendable {
        /// The loss of the image the step started from (the tutorial reports it this way).
        public var report: LossReport
        /// Objective evaluations the step used (1 for Adam).
        public var evaluations: Int
        /// Set when L-BFGS has stopped; further steps would do nothing.
        public var stopReason: String?
        /// Set when the step met a loss, gradient or image that is not a finite number: the
        /// image it left is unusable and every later step would be too.
        public var nonFinite: NonFiniteValue?
    }

    public let objective: StyleObjective
    public private(set) var optimizer: Optimizer
    /// The optimiser's point, `1 × 3 × H × W` NCHW; inside [0, 1] for Adam, unconstrained for
    /// L-BFGS.
    private var point: Tensor
    /// The pyramid that preconditions L-BFGS; nil for plain L-BFGS and for Adam.
    public let pyramid: PixelPyramid?
    /// Scales the style weight over the first steps; off unless given.
    public let styleWarmup: StyleWarmup
    /// Updates (iterations) taken so far.
    public private(set) var stepsTaken = 0
    /// Objective evaluations so far.
    public private(set) var evaluations = 0

    /// `pyramidLevels` above 1 preconditions L-BFGS with a pyramid of that many levels (see
    /// `PixelPyramid`); Adam is never preconditioned, as the reference is not.
    public init(objective: StyleObjective, initialImage: Tensor, optimizer: Optimizer,
                pyramidLevels: Int = 1, pyramidDecay: Float = StylizeConfiguration(preset: .tutorial).pyramidDecay,
                styleWarmup: StyleWarmup = StyleWarmup(iterationsPerStage: 0)) {
        self.objective = objective
        self.styleWarmup = styleWarmup
        point = initialImage.laidOut(as: .nchw).detached()
        guard case .lbfgs(var lbfgs) = optimizer, pyramidLevels > 1 else {
            self.optimizer = optimizer
            pyramid = nil
            return
        }
        let pyramid = PixelPyramid(channels: point.shape.c, height: point.shape.h, width: point.shape.w,
                                   levels: pyramidLevels, decay: pyramidDecay)
        self.pyramid = pyramid
        lbfgs.basis = pyramid
        self.optimizer = .lbfgs(lbfgs)
    }

    public init(objective: StyleObjective, initialImage: Tensor, optimizer: Adam) {
        self.init(objective: objective, initialImage: initialImage, optimizer: .adam(optimizer))
    }

    /// The current image, RGB in [0, 1].
    public var image: Tensor {
        guard case .lbfgs = optimizer else { return point }
        var projected = point
        projected.clamp(to: 0...1)
        return projected
    }

    @discardableResult
    public mutating func step() -> StepOutcome {
        let iteration = stepsTaken
        let styleScale = styleWarmup.styleScale(atIteration: iteration)
        stepsTaken += 1
        switch optimizer {
        case .adam(var adam):
            let (report, gradient) = evaluate(point, styleScale: styleScale)
            adam.update(&point, gradient: gradient)
            point.clamp(to: 0...1)
            optimizer = .adam(adam)
            evaluations += 1
            // A NaN gradient passes through the update and the clamp into the image.
            let nonFinite: NonFiniteValue? = !report.total.isFinite ? .loss : pointIsFinite ? nil : .image
            return StepOutcome(report: report, evaluations: 1, stopReason: nil, nonFinite: nonFinite)
        case .lbfgs(var lbfgs):
            let shape = point.shape
            var x = point.scalars
            if styleWarmup.changesScale(atIteration: iteration) { lbfgs.objectiveChanged() }
            let outcome = lbfgs.step(&x) { unconstrained in
                // The objective is the loss of the projected image clip(x), so every value the
                // line search sees is the loss of an image in [0, 1]; its gradient is zero along
                // coordinates the projection holds at a bound.
                let projected = unconstrained.map { min(max($0, 0), 1) }
                let (report, gradient) = evaluate(Tensor(shape: shape, scalars: projected), styleScale: styleScale)
                var g = gradient.scalars
                for i in g.indices where unconstrained[i] != projected[i] { g[i] = 0 }
                return .init(value: report.total(styleScale: Double(styleScale)), gradient: g, info: report)
            }
            point = Tensor(shape: shape, scalars: x)
            optimizer = .lbfgs(lbfgs)
            evaluations += outcome.evaluations
            let nonFinite: NonFiniteValue? = outcome.stop == .notFinite ? (outcome.value.isFinite ? .gradient : .loss)
                : pointIsFinite ? nil : .image
            return StepOutcome(report: outcome.info, evaluations: outcome.evaluations,
                               stopReason: outcome.stop.map(explained), nonFinite: nonFinite)
        }
    }

    private var pointIsFinite: Bool { point.withUnsafeBufferPointer { $0.allSatisfy(\.isFinite) } }

    /// A zero gradient usually means a minimum, but also comes from a point whose every pixel the
    /// projection clips: fixed steps that overshoot (`--line-search none`) end there.
    private func explained(_ stop: LBFGS<LossReport>.StopReason) -> String {
        let allClipped = point.withUnsafeBufferPointer { $0.allSatisfy { $0 < 0 || $0 > 1 } }
        guard stop == .converged, allClipped else { return stop.rawValue }
        return "every pixel is outside [0, 1], so the clipped image has no gradient (the steps overshot: "
            + "use the strong-Wolfe line search or a smaller learning rate)"
    }

    /// The loss report at `x` and the gradient with respect to x (NCHW) of the loss with the
    /// style weight times `styleScale` (tile by tile when the objective is tiled).
    private func evaluate(_ x: Tensor, styleScale: Float) -> (LossReport, Tensor) {
        objective.valueAndGradient(at: x, styleScale: styleScale)
    }
}

extension GatysTransfer {
    /// Saves the optimiser's point, counters and optimiser state, exactly.
    public func archive(into archive: inout StateArchive) throws {
        archive.set("point", floats: point.scalars, shape: point.shape.dims)
        archive.set("pyramid_coordinates", pyramid?.count ?? 0)
        archive.set("steps_taken", stepsTaken)
        archive.set("evaluations", evaluations)
        switch optimizer {
        case .adam(let adam):
            archive.set("optimizer", "adam")
            adam.archive(into: &archive, prefix: "adam.")
        case .lbfgs(let lbfgs):
            archive.set("optimizer", "lbfgs")
            try lbfgs.archive(into: &archive, prefix: "lbfgs.")
        }
    }

    /// Continues from an archive written by `archive(into:)` for the same objective and image size.
    public mutating func restore(from archive: StateArchive) throws {
        let shape = try archive.shape("point")
        guard shape == point.shape.dims else {
            throw CheckpointError.otherImageSize(path: archive.path, expected: point.shape.dims, found: shape)
        }
        let kind: String = try archive.value("optimizer")
        switch (optimizer, kind) {
        case (.adam, "adam"): optimizer = .adam(try Adam(from: archive, prefix: "adam."))
        case (.lbfgs, "lbfgs"): optimizer = .lbfgs(try restoredLBFGS(from: archive))
        default: throw CheckpointError.otherOptimizer(path: archive.path, saved: kind)
        }
        point = Tensor(shape: point.shape, scalars: try archive.floats("point"))
        stepsTaken = try archive.value("steps_taken")
        evaluations = try archive.value("evaluations")
    }

    /// The archived L-BFGS with this run's pyramid as its basis.
    private func restoredLBFGS(from archive: StateArchive) throws -> LBFGS<LossReport> {
        var lbfgs = try LBFGS<LossReport>(from: archive, prefix: "lbfgs.")
        guard try archive.value("pyramid_coordinates") == pyramid?.count ?? 0 else {
            throw CheckpointError.otherPyramid(path: archive.path)
        }
        lbfgs.basis = pyramid
        return lbfgs
    }
}
