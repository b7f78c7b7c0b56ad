/// A run that would need more memory than it may have, found before it starts.
public enum MemoryPlanError: Error, Equatable, CustomStringConvertible {
    /// The run's estimated peak exceeds the budget. `largestFittingDimension` is the largest
    /// longer side (the run's `maxDimension`) whose estimate fits, nil when not even the
    /// smallest does.
    case exceedsBudget(estimate: MemorySize, budget: MemorySize, largestFittingDimension: Int?)

    public var description: String {
        switch self {
        case .exceedsBudget(let estimate, let budget, let dimension):
            "needs about \(estimate) of memory but \(budget) is available"
                + (dimension.map { "; a longer side of at most \($0) pixels fits" } ?? "; no image size fits")
        }
    }
}

/// How a run fits its memory budget: the longer side it will run at and the plan for it, and
/// when it was shrunk to fit, the side and estimate it had before.
public struct MemoryFit: Sendable {
    public var maxDimension: Int
    public var plan: MemoryPlan
    public var shrunkFrom: (maxDimension: Int, estimate: MemorySize)?

    /// The plan at `maxDimension` (the longer side the run uses, at most the images' own) if
    /// it fits `budget`; else, with `shrinking`, the largest side from 16 up that does; else
    /// throws `MemoryPlanError.exceedsBudget`. `plan(side)` must grow with the side; the search
    /// is a bisection.
    public static func fitting(maxDimension: Int, budget: MemorySize, shrinking: Bool,
                               plan: (Int) -> MemoryPlan) throws(MemoryPlanError) -> MemoryFit {
        let requested = plan(maxDimension)
        if requested.peak <= budget { return MemoryFit(maxDimension: maxDimension, plan: requested) }
        let smallest = 16
        var (fits, tooLarge) = (smallest - 1, maxDimension)
        var best: MemoryPlan?
        while tooLarge - fits > 1 {
            let middle = (fits + tooLarge) / 2
            let candidate = plan(middle)
            if candidate.peak <= budget { (fits, best) = (middle, candidate) } else { tooLarge = middle }
        }
        guard shrinking, let best else {
            throw .exceedsBudget(estimate: requested.peak, budget: budget, largestFittingDimension: best.map { _ in fits })
        }
        return MemoryFit(maxDimension: fits, plan: best, shrunkFrom: (maxDimension, requested.peak))
    }

    init(maxDimension: Int, plan: MemoryPlan, shrunkFrom: (maxDimension: Int, estimate: MemorySize)? = nil) {
        self.maxDimension = maxDimension
        self.plan = plan
        self.shrunkFrom = shrunkFrom
    }
}
