/// A warm-up for the style term: the first iterations minimise the loss with the style weight
/// scaled by 0.4³, then 0.4², then 0.4, for `iterationsPerStage` iterations each, and the loss
/// itself from then on.
///
/// Why: at the photo the content term is zero, so the style gradient alone sets the first steps.
/// On the reference workload (chelsea-cat, The Starry Night) L-BFGS's first iteration raised the
/// content term to 8.6 times its value at the end, and most of the ~154 iterations to the
/// reference's loss went into rebuilding the photo's structure. Brought in by stages, the style
/// leaves that structure standing: 131 iterations (140 evaluations, against 161). On four other
/// photo-and-painting pairs it made little difference (docs/benchmarks.md).
///
/// Each change of weight costs one evaluation, since the optimiser's cached value and gradient
/// belong to the old objective, and no curvature pair spans a change.
public struct StyleWarmup: Sendable, Equatable {
    public static let stages = 3
    public static let ratio: Float = 0.4

    /// 0 turns the warm-up off.
    public var iterationsPerStage: Int

    public init(iterationsPerStage: Int) {
        self.iterationsPerStage = iterationsPerStage
    }

    /// The factor on the style weight at iteration `index` (0-based).
    public func styleScale(atIteration index: Int) -> Float {
        guard iterationsPerStage > 0 else { return 1 }
        let stage = index / iterationsPerStage
        guard stage < Self.stages else { return 1 }
        var scale: Float = 1
        for _ in stage..<Self.stages { scale *= Self.ratio }
        return scale
    }

    /// Whether iteration `index` has another factor than the one before it.
    public func changesScale(atIteration index: Int) -> Bool {
        index > 0 && styleScale(atIteration: index) != styleScale(atIteration: index - 1)
    }
}
