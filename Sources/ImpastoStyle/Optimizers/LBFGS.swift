/// Limited-memory BFGS with an optional strong-Wolfe line search, one iteration per `step`.
///
/// Built like PyTorch's `torch.optim.LBFGS` (Nocedal & Wright, algorithms 7.4 and 3.5–3.6):
/// the two-loop recursion gives a direction from the last `historySize` curvature pairs, the
/// line search picks the step length, and each stopping rule has its own name. A pair that fails
/// the curvature check (yᵀs ≤ 1e-10) is skipped, so the implied Hessian stays positive definite.
///
/// The vector is unconstrained; callers that need bounds project the result themselves. A
/// `basis` preconditions it (see `LBFGSBasis`).
public struct LBFGS<Info: Sendable>: Sendable {
    public enum LineSearch: String, Sendable, Codable, CaseIterable {
        /// A fixed step of `learningRate` along the direction (the first one scaled to 1/|g|₁).
        case none
        /// Strong-Wolfe conditions (c₁ = 1e-4, c₂ = 0.9) by bracketing and cubic zooming.
        case strongWolfe = "strong-wolfe"
    }

    /// Why the optimisation cannot usefully go on.
    public enum StopReason: String, Sendable, Equatable {
        case converged = "converged (gradient below tolerance)"
        case noProgress = "converged (step or loss change below tolerance)"
        case lineSearchFailed = "line search failed to find a decrease"
        case notFinite = "the loss or its gradient is not finite"
    }

    public struct Outcome: Sendable {
        /// The objective at the start of the iteration (as the reference reports losses).
        public var value: Double
        /// What the objective reported with that value.
        public var info: Info
        /// Function evaluations this iteration used.
        public var evaluations: Int
        /// Set when the optimisation has stopped and further steps would do nothing.
        public var stop: StopReason?
    }

    public var historySize: Int
    public var lineSearch: LineSearch
    public let startingHessian: StartingHessian
    public var learningRate: Float
    public var gradientTolerance: Float
    public var changeTolerance: Double
    /// A value the objective cannot go below, if known (0 for a sum of squares). The first
    /// iteration then tries the Polyak step (f − bound) / |slope| instead of PyTorch's
    /// min(1, 1/|g|₁), which on style transfer is 10⁴–10⁵ times too short and cost the line search
    /// 5–7 evaluations; the Polyak step was accepted at once.
    public var valueLowerBound: Double?
    /// Coordinates for the starting inverse Hessian; nil: x's own. Not archived: whoever
    /// restores an optimiser sets it again.
    public var basis: (any LBFGSBasis)?

    /// Curvature pairs, oldest first. Once the history is full the evicted pair's arrays are
    /// reused for the next one: each pair is two image-sized arrays, and allocating fresh ones
    /// every iteration cost page faults measurable next to a VGG19 evaluation.
    var steps: [[Float]] = []
    var gradientChanges: [[Float]] = []
    var curvatureRatios: [Double] = []
    private var spareStep: [Float] = []
    private var spareGradientChange: [Float] = []
    var previousGradient: [Float]?
    var previousDirection: [Float]?
    var previousStepLength: Float = 0
    var hessianScale: Double = 1
    /// D when `startingHessian` is `.diagonal`.
    var gradientScaling: GradientScaling?
    var cached: Evaluation?
    public internal(set) var iterations = 0

    public init(historySize: Int = 100, lineSearch: LineSearch = .strongWolfe, startingHessian: StartingHessian = .scalar,
                learningRate: Float = 1, gradientTolerance: Float = 1e-7, changeTolerance: Double = 1e-9,
                valueLowerBound: Double? = nil) {
        self.historySize = historySize
        self.lineSearch = lineSearch
        self.startingHessian = startingHessian
        gradientScaling = startingHessian == .diagonal ? GradientScaling() : nil
        self.learningRate = learningRate
        self.gradientTolerance = gradientTolerance
        self.changeTolerance = changeTolerance
        self.valueLowerBound = valueLowerBound
    }

    /// The objective's value and gradient at a point, with anything else it wants reported.
    public struct Evaluation: Sendable {
        public var value: Double
        public var gradient: [Float]
        public var info: Info

        public init(value: Double, gradient: [Float], info: Info) {
            self.value = value
            self.gradient = gradient
            self.info = info
        }
    }

    public typealias Objective = ([Float]) -> Evaluation

    /// One iteration from `x`, which is moved to the new point.
    public mutating func step(_ x: inout [Float], objective: Objective) -> Outcome {
        var evaluations = 0
        let start = cached ?? { evaluations += 1; return objective(x) }()
        let (value, gradient, info) = (start.value, start.gradient, start.info)
        func outcome(_ stop: StopReason?) -> Outcome {
            Outcome(value: value, info: info, evaluations: evaluations, stop: stop)
        }
        let largest = maxMagnitude(gradient)
        guard value.isFinite, largest.isFinite else { return outcome(.notFinite) }
        if largest <= gradientTolerance { return outcome(.converged) }

        // MARK: Direction
        if gradientScaling != nil {
            // Mapped first: updating a copy of the scaling would copy its image-sized arrays.
            let coordinateGradient = contracted(gradient)
            gradientScaling?.update(with: coordinateGradient)
        }
        if let previousGradient, let previousDirection {
            remember(direction: previousDirection, length: previousStepLength, gradient: gradient,
                     previousGradient: previousGradient)
        }
        let direction = twoLoopDirection(gradient)
        let slope = dot(gradient, direction)
        guard slope < -changeTolerance else { return outcome(.noProgress) }

        // MARK: Step length
        let initialLength = iterations == 0 ? firstStepLength(value: value, slope: slope, gradient: gradient) : learningRate
        let search: LineSearchResult
        switch lineSearch {
        case .none:
            search = LineSearchResult(length: initialLength, evaluation: objective(axpy(x, direction, initialLength)),
                                      evaluations: 1)
        case .strongWolfe:
            search = strongWolfeSearch(x: x, direction: direction, start: start, slope: slope,
                                       initialLength: initialLength, objective: objective)
        }
        evaluations += search.evaluations

        // MARK: Update and stopping rules
        if search.length == 0 { return outcome(.lineSearchFailed) }
        x = axpy(x, direction, search.length)
        previousGradient = gradient
        previousDirection = direction
        previousStepLength = search.length
        cached = search.evaluation
        iterations += 1
        let moved = Double(search.length) * Double(maxMagnitude(direction))
        let unchanged = abs(search.evaluation.value - value) < changeTolerance
        return outcome(moved <= changeTolerance || unchanged ? .noProgress : nil)
    }

    private func firstStepLength(value: Double, slope: Double, gradient: [Float]) -> Float {
        if let valueLowerBound, value > valueLowerBound {
            return Float((value - valueLowerBound) / -slope) * learningRate
        }
        return Float(min(1, 1 / l1Norm(contracted(gradient)))) * learningRate
    }

    /// Call when the objective itself changes (a new weight): forgets the cached evaluation and
    /// the last step, whose curvature pair would take the difference of two objectives'
    /// gradients. The older pairs stay: they still describe most of the curvature.
    public mutating func objectiveChanged() {
        cached = nil
        previousGradient = nil
        previousDirection = nil
    }

    // MARK: Two-loop recursion

    /// Adds the pair s = length · direction, y = gradient − previousGradient, built in the spare
    /// arrays; the evicted oldest pair becomes the next spare.
    private mutating func remember(direction: [Float], length: Float, gradient: [Float], previousGradient: [Float]) {
        assign(&spareStep, scaled: direction, by: length)
        assign(&spareGradientChange, difference: gradient, previousGradient)
        let ys = dot(spareGradientChange, spareStep)
        guard ys > 1e-10 else { return }   // failed curvature check: keep the old history
        hessianScale = fittedHessianScale(gradientChange: spareGradientChange, curvature: ys)
        steps.append(spareStep)
        gradientChanges.append(spareGradientChange)
        curvatureRatios.append(1 / ys)
        if steps.count > historySize {
            spareStep = steps.removeFirst()
            spareGradientChange = gradientChanges.removeFirst()
            curvatureRatios.removeFirst()
        } else {
            spareStep = []
            spareGradientChange = []
        }
    }

    private func twoLoopDirection(_ gradient: [Float]) -> [Float] {
        var q = gradient.map { -$0 }
        var alphas = [Double](repeating: 0, count: steps.count)
        for i in steps.indices.reversed() {
            alphas[i] = dot(steps[i], q) * curvatureRatios[i]
            addScaled(gradientChanges[i], Float(-alphas[i]), to: &q)
        }
        applyStartingInverseHessian(to: &q)
        for i in steps.indices {
            let beta = dot(gradientChanges[i], q) * curvatureRatios[i]
            addScaled(steps[i], Float(alphas[i] - beta), to: &q)
        }
        return q
    }

    // MARK: Strong-Wolfe line search

    struct LineSearchResult {
        /// 0 when no step lowered the objective.
        var length: Float
        var evaluation: Evaluation
        var evaluations: Int
    }
}
